package io.vlsuite.preprocess.store;

import io.vlsuite.media.BucketLayout;
import io.vlsuite.media.JobDocumentStore;
import io.vlsuite.media.s3.S3ObjectStorage;
import io.vlsuite.media.s3.StorageSettings;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import java.net.URI;

/**
 * The job document store, built from {@code vlsuite.media-store.*} when the media-store module's own
 * auto-configuration does not provide one (it backs off for these beans, and these back off for its).
 */
@Configuration(proxyBeanMethods = false)
public class JobStoreConfiguration {

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
    JobDocumentStore vlsuiteJobDocumentStore(S3ObjectStorage storage, Environment env) {
        BucketLayout layout = new BucketLayout(
                env.getProperty("vlsuite.media-store.media-bucket", BucketLayout.DEFAULTS.mediaBucket()),
                env.getProperty("vlsuite.media-store.jobs-bucket", BucketLayout.DEFAULTS.jobsBucket()));
        try {
            storage.ensureBucket(layout.jobsBucket());
        } catch (RuntimeException e) {
            // Storage down at start-up must not keep the service down: requests answer 503 until it is back.
            LoggerFactory.getLogger(JobStoreConfiguration.class).warn("could not ensure bucket {}: {}",
                    layout.jobsBucket(), e.getMessage());
        }
        return new JobDocumentStore(storage, layout);
    }
}
