package io.vlsuite.preprocess.media;

import io.vlsuite.media.BucketLayout;
import io.vlsuite.media.MediaStore;
import io.vlsuite.media.s3.S3ObjectStorage;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Registers the media pipeline when media storage is configured ({@code vlsuite.media-store.endpoint}).
 *
 * <p>An auto-configuration rather than a scanned {@code @Component}: it runs after every application and test
 * configuration, so {@link ConditionalOnMissingBean} reliably steps aside for a {@link MediaIntake} a test or an
 * embedding application defines itself, instead of creating a second one.
 */
@AutoConfiguration(afterName = "io.vlsuite.media.autoconfigure.MediaStoreAutoConfiguration")
@ConditionalOnBean(MediaStore.class)
@EnableConfigurationProperties(MediaIntakeProperties.class)
public class MediaIntakeAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    UploadedFiles uploadedFiles(S3ObjectStorage storage, BucketLayout layout, MediaIntakeProperties properties) {
        return new UploadedFiles(storage, layout.mediaBucket(), properties.uploads().maxBytes());
    }

    @Bean
    @ConditionalOnMissingBean(MediaIntake.class)
    DefaultMediaIntake mediaIntake(MediaIntakeProperties properties, MediaStore store, UploadedFiles uploads) {
        return new DefaultMediaIntake(properties, store, uploads);
    }
}
