package io.vlsuite.media.lifecycle;

/**
 * One rule of our lifecycle plan, independent of the client library.
 *
 * @param id     rule id; ours all start with {@value LifecyclePlan#RULE_ID_PREFIX} so operator rules are kept
 * @param prefix key prefix the rule applies to ({@code ""} = whole bucket)
 * @param expireDays                 delete objects this many days after creation ({@code null} = no expiry)
 * @param abortIncompleteUploadDays  abort unfinished multipart uploads after this many days ({@code null} = no)
 */
public record ExpiryRule(String id, String prefix, Integer expireDays, Integer abortIncompleteUploadDays) {
}
