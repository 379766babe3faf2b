package io.vlsuite.media.lifecycle;

/**
 * How long stored objects live. {@code 0} days means "keep forever" (no rule is written for that prefix).
 *
 * @param mediaDays                 images ({@code media/}) and video frames ({@code video/})
 * @param jobDays                   job documents ({@code jobs/})
 * @param tmpDays                   temporary uploads ({@code tmp/}): leftovers of crashed requests
 * @param abortIncompleteUploadDays unfinished multipart uploads
 */
public record RetentionPolicy(int mediaDays, int jobDays, int tmpDays, int abortIncompleteUploadDays) {

    public static final RetentionPolicy DEFAULTS = new RetentionPolicy(7, 30, 1, 1);

    public RetentionPolicy {
        requireDays("media", mediaDays);
        requireDays("job", jobDays);
        requireDays("tmp", tmpDays);
        requireDays("abort-incomplete-upload", abortIncompleteUploadDays);
    }

    private static void requireDays(String what, int days) {
        if (days < 0 || days > 36_500) {
            throw new IllegalArgumentException(what + " retention must be within 0..36500 days (0 = keep), got " + days);
        }
    }
}
