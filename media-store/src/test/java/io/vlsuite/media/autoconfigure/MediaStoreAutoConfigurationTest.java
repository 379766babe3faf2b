package io.vlsuite.media.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vlsuite.media.BucketLayout;
import io.vlsuite.media.JobDocumentStore;
import io.vlsuite.media.MediaStore;
import io.vlsuite.media.embedded.EmbeddedS3Config;
import io.vlsuite.media.embedded.EmbeddedS3Server;
import io.vlsuite.media.lifecycle.PeriodicExpirySweep;
import io.vlsuite.media.s3.S3ObjectStorage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class MediaStoreAutoConfigurationTest {

    private static EmbeddedS3Server server;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MediaStoreAutoConfiguration.class));

    @BeforeAll
    static void start() {
        server = EmbeddedS3Server.start(EmbeddedS3Config.transientOnRandomPort());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String[] pointingAt(EmbeddedS3Server s) {
        return new String[] {
                "vlsuite.media-store.endpoint=" + s.endpoint(),
                "vlsuite.media-store.access-key=" + s.accessKey(),
                "vlsuite.media-store.secret-key=" + s.secretKey()};
    }

    @Test
    void withoutAnEndpointNothingIsCreated() {
        // The gateway's context: no storage configured, no storage beans, no connection attempts.
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(S3ObjectStorage.class);
            assertThat(context).doesNotHaveBean(MediaStore.class);
            assertThat(context).doesNotHaveBean(MediaStoreHealthIndicator.class);
        });
    }

    @Test
    void withAnEndpointItCreatesBucketsAndReportsHealth() {
        runner.withPropertyValues(pointingAt(server))
                .withPropertyValues("vlsuite.media-store.buckets.media=ctx-media", "vlsuite.media-store.buckets.jobs=ctx-jobs")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(MediaStore.class).hasSingleBean(JobDocumentStore.class);
                    S3ObjectStorage storage = context.getBean(S3ObjectStorage.class);
                    assertThat(storage.bucketExists("ctx-media")).isTrue();
                    assertThat(storage.bucketExists("ctx-jobs")).isTrue();
                    // S3Proxy has no lifecycle support, so the client-side sweep stands in.
                    assertThat(context.getBean("mediaStoreExpirySweep")).isInstanceOf(PeriodicExpirySweep.class);

                    Health health = context.getBean(MediaStoreHealthIndicator.class).health();
                    assertThat(health.getStatus()).isEqualTo(Status.UP);
                    assertThat(health.getDetails()).containsEntry("endpoint", server.endpoint().toString())
                            .containsEntry("buckets", Map.of("ctx-media", "present", "ctx-jobs", "present"))
                            .containsEntry("lifecycle", Map.of("ctx-media", "unsupported", "ctx-jobs", "unsupported"));
                    assertThat(health.getDetails().toString()).doesNotContain(server.secretKey());
                });
    }

    @Test
    void propertiesBindWithTheirDefaults() {
        runner.withPropertyValues(pointingAt(server)).run(context -> {
            MediaStoreProperties p = context.getBean(MediaStoreProperties.class);
            assertThat(p.toLayout()).isEqualTo(BucketLayout.DEFAULTS);
            assertThat(p.region()).isEqualTo("us-east-1");
            assertThat(p.presignMaxTtl()).isEqualTo(Duration.ofMinutes(15));
            assertThat(p.timeouts().call()).isEqualTo(Duration.ofSeconds(30));
            assertThat(p.retry().maxAttempts()).isEqualTo(3);
            assertThat(p.retention().mediaDays()).isEqualTo(7);
            assertThat(p.retention().jobDays()).isEqualTo(30);
            assertThat(p.retention().tmpDays()).isEqualTo(1);
        });
    }

    @Test
    void operationsAreTimedPerOperationAndOutcome() {
        runner.withPropertyValues(pointingAt(server))
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> {
                    MediaStore media = context.getBean(MediaStore.class);
                    media.exists("0".repeat(64));

                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    Timer ensure = registry.find("vlsuite.media_store.operation")
                            .tags("operation", "ensure_bucket", "outcome", "success").timer();
                    Timer head = registry.find("vlsuite.media_store.operation")
                            .tags("operation", "head_object", "outcome", "object_not_found").timer();
                    assertThat(ensure).isNotNull();
                    assertThat(ensure.count()).isEqualTo(2);
                    assertThat(head).isNotNull();
                    assertThat(head.count()).isEqualTo(1);
                });
    }

    @Test
    void healthGoesDownWhenTheStorageStops() {
        EmbeddedS3Server shortLived = EmbeddedS3Server.start(EmbeddedS3Config.transientOnRandomPort());
        runner.withPropertyValues(pointingAt(shortLived))
                .withPropertyValues("vlsuite.media-store.timeouts.call=1s")
                .run(context -> {
                    MediaStoreHealthIndicator indicator = context.getBean(MediaStoreHealthIndicator.class);
                    assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);

                    shortLived.stop();

                    Health down = indicator.health();
                    assertThat(down.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(down.getDetails()).containsEntry("error", "storage_unavailable");
                });
    }

    @Test
    void anUnreachableStorageStopsStartUpWithAClearMessage() {
        EmbeddedS3Server gone = EmbeddedS3Server.start(EmbeddedS3Config.transientOnRandomPort());
        String[] props = pointingAt(gone);
        gone.stop();
        runner.withPropertyValues(props)
                .withPropertyValues("vlsuite.media-store.retry.max-attempts=1")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause().isNotNull();
                    assertThat(context.getStartupFailure()).hasStackTraceContaining("cannot prepare buckets")
                            .hasStackTraceContaining("storage_unavailable");
                });
        runner.withPropertyValues(props)
                .withPropertyValues("vlsuite.media-store.retry.max-attempts=1", "vlsuite.media-store.fail-fast=false")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void invalidSettingsAreRejectedAtBindingNamingTheProblem() {
        runner.withPropertyValues(pointingAt(server))
                .withPropertyValues("vlsuite.media-store.presign-max-ttl=30d")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).hasStackTraceContaining("vlsuite.media-store")
                            .hasStackTraceContaining("presign max TTL must be within (0, 7 days]");
                });
        runner.withPropertyValues("vlsuite.media-store.endpoint=" + server.endpoint())
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).hasStackTraceContaining("access-key");
                });
    }
}
