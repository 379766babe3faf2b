package io.vlsuite.media.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZonedDateTime;
import java.util.List;

import io.minio.messages.Filter;
import io.minio.messages.LifecycleConfiguration;
import io.minio.messages.Status;
import io.vlsuite.media.BucketLayout;
import org.junit.jupiter.api.Test;

class LifecyclePlanTest {

    @Test
    void twoBucketsGetTheirOwnPrefixRules() {
        LifecyclePlan plan = LifecyclePlan.of(BucketLayout.DEFAULTS, new RetentionPolicy(7, 30, 1, 1));

        assertThat(plan.rules("vlsuite-media")).containsExactly(
                new ExpiryRule("vlsuite-media-expiry", "media/", 7, null),
                new ExpiryRule("vlsuite-video-expiry", "video/", 7, null),
                new ExpiryRule("vlsuite-tmp-expiry", "tmp/", 1, null),
                new ExpiryRule("vlsuite-abort-incomplete-uploads", "", null, 1));
        assertThat(plan.rules("vlsuite-jobs")).containsExactly(
                new ExpiryRule("vlsuite-jobs-expiry", "jobs/", 30, null),
                new ExpiryRule("vlsuite-abort-incomplete-uploads", "", null, 1));
    }

    @Test
    void oneSharedBucketCarriesTheUnionOnce() {
        LifecyclePlan plan = LifecyclePlan.of(new BucketLayout("suite", "suite"), RetentionPolicy.DEFAULTS);

        assertThat(plan.rulesByBucket()).containsOnlyKeys("suite");
        assertThat(plan.rules("suite")).extracting(ExpiryRule::prefix)
                .containsExactly("media/", "video/", "tmp/", "jobs/", "");
    }

    @Test
    void zeroDaysMeansKeepForever() {
        LifecyclePlan plan = LifecyclePlan.of(BucketLayout.DEFAULTS, new RetentionPolicy(0, 0, 1, 0));
        assertThat(plan.rules("vlsuite-media")).extracting(ExpiryRule::id).containsExactly("vlsuite-tmp-expiry");
        assertThat(plan.rules("vlsuite-jobs")).isEmpty();
    }

    @Test
    void operatorRulesSurviveAndOurOldRulesAreReplaced() {
        LifecyclePlan plan = LifecyclePlan.of(BucketLayout.DEFAULTS, RetentionPolicy.DEFAULTS);
        LifecycleConfiguration existing = new LifecycleConfiguration(List.of(
                rule("ops-audit-logs", "audit/", 90),
                rule("vlsuite-media-expiry", "media/", 3)));

        LifecycleConfiguration merged = plan.configurationFor("vlsuite-media", existing);

        assertThat(merged.rules()).extracting(LifecycleConfiguration.Rule::id).containsExactly(
                "ops-audit-logs", "vlsuite-media-expiry", "vlsuite-video-expiry", "vlsuite-tmp-expiry",
                "vlsuite-abort-incomplete-uploads");
        assertThat(merged.rules().get(1).expiration().days()).isEqualTo(7);
    }

    @Test
    void retentionRejectsNegativeDays() {
        assertThatThrownBy(() -> new RetentionPolicy(-1, 30, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static LifecycleConfiguration.Rule rule(String id, String prefix, int days) {
        return new LifecycleConfiguration.Rule(Status.ENABLED, null,
                new LifecycleConfiguration.Expiration((ZonedDateTime) null, days, null, null), new Filter(prefix), id,
                null, null, null);
    }
}
