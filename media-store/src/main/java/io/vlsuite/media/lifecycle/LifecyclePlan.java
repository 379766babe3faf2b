package io.vlsuite.media.lifecycle;

import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.minio.messages.Filter;
import io.minio.messages.LifecycleConfiguration;
import io.minio.messages.Status;
import io.vlsuite.media.BucketLayout;
import io.vlsuite.media.MediaKeys;

/**
 * The lifecycle rules each bucket should carry for a {@link RetentionPolicy}. When media and jobs share one
 * bucket, its rules are the union (they differ by prefix).
 */
public final class LifecyclePlan {

    public static final String RULE_ID_PREFIX = "vlsuite-";

    private final Map<String, List<ExpiryRule>> rulesByBucket;

    private LifecyclePlan(Map<String, List<ExpiryRule>> rulesByBucket) {
        this.rulesByBucket = rulesByBucket;
    }

    public static LifecyclePlan of(BucketLayout layout, RetentionPolicy retention) {
        Map<String, List<ExpiryRule>> plan = new LinkedHashMap<>();
        for (String bucket : layout.buckets()) {
            plan.put(bucket, new ArrayList<>());
        }
        List<ExpiryRule> media = plan.get(layout.mediaBucket());
        addExpiry(media, "media", MediaKeys.MEDIA_PREFIX, retention.mediaDays());
        addExpiry(media, "video", MediaKeys.VIDEO_PREFIX, retention.mediaDays());
        addExpiry(media, "tmp", MediaKeys.TMP_PREFIX, retention.tmpDays());
        addExpiry(plan.get(layout.jobsBucket()), "jobs", MediaKeys.JOBS_PREFIX, retention.jobDays());
        if (retention.abortIncompleteUploadDays() > 0) {
            for (List<ExpiryRule> rules : plan.values()) {
                rules.add(new ExpiryRule(RULE_ID_PREFIX + "abort-incomplete-uploads", "", null,
                        retention.abortIncompleteUploadDays()));
            }
        }
        plan.replaceAll((bucket, rules) -> List.copyOf(rules));
        return new LifecyclePlan(Map.copyOf(plan));
    }

    private static void addExpiry(List<ExpiryRule> rules, String name, String prefix, int days) {
        if (days > 0) {
            rules.add(new ExpiryRule(RULE_ID_PREFIX + name + "-expiry", prefix, days, null));
        }
    }

    public Map<String, List<ExpiryRule>> rulesByBucket() {
        return rulesByBucket;
    }

    public List<ExpiryRule> rules(String bucket) {
        return rulesByBucket.getOrDefault(bucket, List.of());
    }

    /**
     * The configuration to send for {@code bucket}: our rules plus those already there whose id is not ours
     * (rules an operator added by hand survive our start-up).
     */
    public LifecycleConfiguration configurationFor(String bucket, LifecycleConfiguration existing) {
        List<LifecycleConfiguration.Rule> rules = new ArrayList<>();
        if (existing != null && existing.rules() != null) {
            for (LifecycleConfiguration.Rule r : existing.rules()) {
                if (r.id() == null || !r.id().startsWith(RULE_ID_PREFIX)) {
                    rules.add(r);
                }
            }
        }
        for (ExpiryRule rule : rules(bucket)) {
            rules.add(toMinio(rule));
        }
        return new LifecycleConfiguration(rules);
    }

    static LifecycleConfiguration.Rule toMinio(ExpiryRule rule) {
        LifecycleConfiguration.Expiration expiration = rule.expireDays() == null ? null
                : new LifecycleConfiguration.Expiration((ZonedDateTime) null, rule.expireDays(), null, null);
        LifecycleConfiguration.AbortIncompleteMultipartUpload abort = rule.abortIncompleteUploadDays() == null ? null
                : new LifecycleConfiguration.AbortIncompleteMultipartUpload(rule.abortIncompleteUploadDays());
        return new LifecycleConfiguration.Rule(Status.ENABLED, abort, expiration, new Filter(rule.prefix()), rule.id(),
                null, null, null);
    }
}
