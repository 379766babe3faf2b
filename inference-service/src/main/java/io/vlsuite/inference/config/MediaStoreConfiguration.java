package io.vlsuite.inference.config;

import io.vlsuite.media.BucketLayout;
import io.vlsuite.media.JobDocumentStore;
import io.vlsuite.media.MediaStore;
import io.vlsuite.media.s3.S3ObjectStorage;
import io.vlsuite.media.s3.StorageSettings;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import java.net.URI;

/**
 * Media and job-document access from {@code vlsuite.media-store.*} (endpoint, access-key, secret-key, media-bucket,
 * jobs-bucket), when the media-store module's own auto-configuration has not provided the beans. Without an
 * endpoint the workers run text-only jobs and keep no job documents.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("vlsuite.media-store.endpoint")
public class MediaStoreConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    S3ObjectStorage vlsuiteObjectStorage(Environment env) {
        return S3ObjectStorage.create(StorageSettings.of(
                URI.create(env.getRequiredProperty("vlsuite.media-store.endpoint")),
                env.getProperty("vlsuite.media-store.access-key", ""),
                env.getProperty("vlsuite.media-store.secret-key", "")), null);
    }

    @Bean
    @ConditionalOnMissingBean
    BucketLayout vlsuiteBucketLayout(Environment env) {
        return new BucketLayout(
                env.getProperty("vlsuite.media-store.media-bucket", BucketLayout.DEFAULTS.mediaBucket()),
                env.getProperty("vlsuite.media-store.jobs-bucket", BucketLayout.DEFAULTS.jobsBucket()));
    }

    @Bean
    @ConditionalOnMissingBean
    MediaStore vlsuiteMediaStore(S3ObjectStorage storage, BucketLayout layout) {
        return new MediaStore(storage, layout);
    }

    @Bean
    @ConditionalOnMissingBean
    JobDocumentStore vlsuiteJobDocumentStore(S3ObjectStorage storage, BucketLayout layout) {
        return new JobDocumentStore(storage, layout);
    }
}
