package io.vlsuite.media.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import io.vlsuite.media.BucketLayout;
import io.vlsuite.media.embedded.EmbeddedS3Config;
import io.vlsuite.media.embedded.EmbeddedS3Server;
import io.vlsuite.media.s3.ListedObject;
import io.vlsuite.media.s3.OperationObserver;
import io.vlsuite.media.s3.PutCondition;
import io.vlsuite.media.s3.S3ObjectStorage;
import io.vlsuite.media.s3.StorageSettings;
import org.junit.jupiter.api.Test;

class ExpirySweeperTest {

    @Test
    void removesWhatIsOlderThanEachPrefixsRetentionAndNothingElse() {
        try (EmbeddedS3Server server = EmbeddedS3Server.start(EmbeddedS3Config.transientOnRandomPort());
             S3ObjectStorage storage = S3ObjectStorage.create(
                     StorageSettings.of(server.endpoint(), server.accessKey(), server.secretKey()), OperationObserver.NOOP)) {
            LifecyclePlan plan = LifecyclePlan.of(BucketLayout.DEFAULTS, new RetentionPolicy(7, 30, 1, 1));
            new StorageBootstrap(storage, BucketLayout.DEFAULTS, plan, true).createBuckets();
            for (String key : List.of("tmp/a", "tmp/b", "media/x.png", "video/v/frame-00000.png", "other/keep")) {
                storage.put("vlsuite-media", key, new byte[] {1}, "application/octet-stream", Map.of(), PutCondition.NONE);
            }
            storage.put("vlsuite-jobs", "jobs/t/1.json", "{}".getBytes(), "application/json", Map.of(), PutCondition.NONE);

            assertThat(sweeper(storage, plan, Duration.ofHours(12)).sweep(BucketLayout.DEFAULTS.buckets())).isZero();

            assertThat(sweeper(storage, plan, Duration.ofDays(2)).sweep(BucketLayout.DEFAULTS.buckets())).isEqualTo(2);
            assertThat(keys(storage, "vlsuite-media")).containsExactly("media/x.png", "other/keep", "video/v/frame-00000.png");

            assertThat(sweeper(storage, plan, Duration.ofDays(8)).sweep(BucketLayout.DEFAULTS.buckets())).isEqualTo(2);
            assertThat(keys(storage, "vlsuite-media")).containsExactly("other/keep");
            assertThat(keys(storage, "vlsuite-jobs")).containsExactly("jobs/t/1.json");

            assertThat(sweeper(storage, plan, Duration.ofDays(31)).sweep(BucketLayout.DEFAULTS.buckets())).isEqualTo(1);
            assertThat(keys(storage, "vlsuite-jobs")).isEmpty();
        }
    }

    @Test
    void sweepsOnlyBucketsWhoseServerDoesNotExpireObjectsItself() {
        try (EmbeddedS3Server server = EmbeddedS3Server.start(EmbeddedS3Config.transientOnRandomPort());
             S3ObjectStorage storage = S3ObjectStorage.create(
                     StorageSettings.of(server.endpoint(), server.accessKey(), server.secretKey()), OperationObserver.NOOP)) {
            LifecyclePlan plan = LifecyclePlan.of(BucketLayout.DEFAULTS, RetentionPolicy.DEFAULTS);
            new StorageBootstrap(storage, BucketLayout.DEFAULTS, plan, true).createBuckets();
            storage.put("vlsuite-media", "tmp/a", new byte[] {1}, "text/plain", Map.of(), PutCondition.NONE);

            int deleted = sweeper(storage, plan, Duration.ofDays(2)).sweepUnsupported(Map.of(
                    "vlsuite-media", new LifecycleState(LifecycleState.Outcome.APPLIED, "")));

            assertThat(deleted).isZero();
            assertThat(keys(storage, "vlsuite-media")).containsExactly("tmp/a");
        }
    }

    private static ExpirySweeper sweeper(S3ObjectStorage storage, LifecyclePlan plan, Duration ahead) {
        return new ExpirySweeper(storage, plan, Clock.fixed(Instant.now().plus(ahead), ZoneOffset.UTC));
    }

    private static List<String> keys(S3ObjectStorage storage, String bucket) {
        return storage.list(bucket, "", null, 1000).objects().stream().map(ListedObject::key).toList();
    }
}
