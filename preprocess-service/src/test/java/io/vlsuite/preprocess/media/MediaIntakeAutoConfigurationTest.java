package io.vlsuite.preprocess.media;



import io.vlsuite.contracts.job.MediaRef;
import io.vlsuite.media.autoconfigure.MediaStoreAutoConfiguration;
import io.vlsuite.media.embedded.EmbeddedS3Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.ByteArrayInputStream;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Wiring: the pipeline appears with media storage, binds and validates its settings, and yields to a user bean. */
class MediaIntakeAutoConfigurationTest {

    private static EmbeddedS3Server s3;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MediaStoreAutoConfiguration.class,
                    MediaIntakeAutoConfiguration.class));

    @BeforeAll
    static void start() {
        s3 = IntakeFixtures.startS3();
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    private String[] storage() {
        return new String[] {"vlsuite.media-store.endpoint=" + s3.endpoint(),
                "vlsuite.media-store.access-key=" + s3.accessKey(),
                "vlsuite.media-store.secret-key=" + s3.secretKey(),
                "vlsuite.preprocess.media.model-dir=" + IntakeFixtures.MODEL_DIR};
    }

    @Test
    void withoutStorageThereIsNoPipeline() {
        // EmbeddedInfraExtension publishes the S3 endpoint as a JVM-wide system property when any test class that
        // uses it ran earlier in this JVM; hide it so this test sees a service without storage.
        String endpoint = System.clearProperty("vlsuite.media-store.endpoint");
        try {
            runner.run(context -> {
                assertThat(context).hasNotFailed();
                assertThat(context).doesNotHaveBean(MediaIntake.class);
                assertThat(context).doesNotHaveBean(UploadedFiles.class);
            });
        } finally {
            if (endpoint != null) {
                System.setProperty("vlsuite.media-store.endpoint", endpoint);
            }
        }
    }

    @Test
    void withStorageThePipelineBindsItsSettingsAndWorks() {
        runner.withPropertyValues(storage())
                .withPropertyValues("vlsuite.preprocess.media.fetch.max-redirects=5",
                        "vlsuite.preprocess.media.fetch.allow-cidrs=10.1.0.0/16,fd00::/8",
                        "vlsuite.preprocess.media.video.max-duration=30m")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(DefaultMediaIntake.class);
                    MediaIntakeProperties p = context.getBean(MediaIntakeProperties.class);
                    assertThat(p.fetch().maxRedirects()).isEqualTo(5);
                    assertThat(p.fetch().allowCidrs()).containsExactly("10.1.0.0/16", "fd00::/8");
                    assertThat(p.fetch().allowLoopback()).isFalse();
                    assertThat(p.video().maxDuration()).isEqualTo(Duration.ofMinutes(30));
                    assertThat(p.image().maxBytes()).isEqualTo(20L << 20);

                    UploadedFiles uploads = context.getBean(UploadedFiles.class);
                    byte[] png = IntakeFixtures.encode(IntakeFixtures.picture(64, 64, 3), "png");
                    String id = uploads.store("acme", "a.png", new ByteArrayInputStream(png), png.length);
                    MediaRef ref = context.getBean(MediaIntake.class)
                            .ingest(new MediaSource.Upload("image", id), MediaOptions.DEFAULTS, "acme");
                    assertThat(ref.gridThw()).containsExactly(1, ref.height() / 14, ref.width() / 14);
                });
    }

    @Test
    void invalidSettingsStopStartUpWithTheirName() {
        runner.withPropertyValues(storage())
                .withPropertyValues("vlsuite.preprocess.media.fetch.max-redirects=50")
                .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("maxRedirects"));
    }

    @Test
    void aUserDefinedIntakeWins() {
        runner.withPropertyValues(storage()).withUserConfiguration(OwnIntake.class).run(context -> {
            assertThat(context).hasSingleBean(MediaIntake.class);
            assertThat(context).doesNotHaveBean(DefaultMediaIntake.class);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnIntake {
        @Bean
        MediaIntake ownIntake() {
            return (source, options, tenant) -> {
                throw new MediaIntakeException("test", 400, "test");
            };
        }
    }
}
