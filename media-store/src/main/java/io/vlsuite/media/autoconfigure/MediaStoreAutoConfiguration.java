package io.vlsuite.media.autoconfigure;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import io.minio.MinioClient;
import io.vlsuite.media.BucketLayout;
import io.vlsuite.media.JobDocumentStore;
import io.vlsuite.media.MediaStore;
import io.vlsuite.media.MediaStoreException;
import io.vlsuite.media.lifecycle.ExpirySweeper;
import io.vlsuite.media.lifecycle.LifecyclePlan;
import io.vlsuite.media.lifecycle.LifecycleState;
import io.vlsuite.media.lifecycle.PeriodicExpirySweep;
import io.vlsuite.media.lifecycle.StorageBootstrap;
import io.vlsuite.media.s3.OperationObserver;
import io.vlsuite.media.s3.S3ObjectStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The media store for services that have an S3 endpoint configured ({@code vlsuite.media-store.endpoint}); a
 * context without it (the gateway) gets nothing. At start it creates the buckets and applies the lifecycle rules;
 * where the server lacks lifecycle support (S3Proxy) it schedules the client-side expiry sweep instead.
 */
@AutoConfiguration
@ConditionalOnClass(MinioClient.class)
@ConditionalOnProperty(prefix = "vlsuite.media-store", name = "endpoint")
@EnableConfigurationProperties(MediaStoreProperties.class)
public class MediaStoreAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(MediaStoreAutoConfiguration.class);

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public S3ObjectStorage mediaStoreStorage(MediaStoreProperties properties, ObjectProvider<OperationObserver> observer) {
        return S3ObjectStorage.create(properties.toStorageSettings(), observer.getIfAvailable(() -> OperationObserver.NOOP));
    }

    @Bean
    @ConditionalOnMissingBean
    public BucketLayout mediaStoreBucketLayout(MediaStoreProperties properties) {
        return properties.toLayout();
    }

    @Bean
    @ConditionalOnMissingBean
    public LifecyclePlan mediaStoreLifecyclePlan(MediaStoreProperties properties, BucketLayout layout) {
        return LifecyclePlan.of(layout, properties.toRetention());
    }

    /** Runs the start-up work while the context refreshes, so a service never serves without its buckets. */
    @Bean
    @ConditionalOnMissingBean
    public StorageBootstrap mediaStoreBootstrap(S3ObjectStorage storage, BucketLayout layout, LifecyclePlan plan,
                                                MediaStoreProperties properties) {
        StorageBootstrap bootstrap = new StorageBootstrap(storage, layout, plan, properties.retention().manageLifecycle());
        try {
            bootstrap.createBuckets();
        } catch (MediaStoreException e) {
            if (properties.failFast()) {
                throw new IllegalStateException("media store: cannot prepare buckets " + layout.buckets() + " at "
                        + properties.endpoint() + " (" + e.code() + "): " + e.getMessage()
                        + "; check vlsuite.media-store.endpoint and credentials, or set "
                        + "vlsuite.media-store.fail-fast=false to start anyway", e);
            }
            log.warn("media store: cannot prepare buckets at {} ({}); starting anyway, health reports DOWN",
                    properties.endpoint(), e.getMessage());
            return bootstrap;
        }
        bootstrap.applyLifecycle();
        return bootstrap;
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public PeriodicExpirySweep mediaStoreExpirySweep(S3ObjectStorage storage, LifecyclePlan plan,
                                                     StorageBootstrap bootstrap, MediaStoreProperties properties) {
        boolean needed = bootstrap.lifecycleStates().values().stream()
                .anyMatch(s -> s.outcome() == LifecycleState.Outcome.UNSUPPORTED);
        if (!needed || properties.sweepInterval().isZero()) {
            return null;
        }
        log.info("media store: the S3 server does not expire objects; sweeping expired objects every {}",
                properties.sweepInterval());
        return new PeriodicExpirySweep(new ExpirySweeper(storage, plan, Clock.systemUTC()), bootstrap,
                properties.sweepInterval());
    }

    @Bean
    @ConditionalOnMissingBean
    public MediaStore mediaStore(S3ObjectStorage storage, BucketLayout layout) {
        return new MediaStore(storage, layout);
    }

    @Bean
    @ConditionalOnMissingBean
    public JobDocumentStore jobDocumentStore(S3ObjectStorage storage, BucketLayout layout, MediaStoreProperties properties) {
        return new JobDocumentStore(storage, layout, properties.jobUpdateAttempts());
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class MetricsConfiguration {

        @Bean
        @ConditionalOnMissingBean(OperationObserver.class)
        OperationObserver mediaStoreOperationObserver(ObjectProvider<MeterRegistry> registry) {
            MeterRegistry r = registry.getIfAvailable();
            return r == null ? OperationObserver.NOOP : new MicrometerOperationObserver(r);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static class HealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "mediaStoreHealthIndicator")
        MediaStoreHealthIndicator mediaStoreHealthIndicator(S3ObjectStorage storage, BucketLayout layout,
                                                            StorageBootstrap bootstrap) {
            return new MediaStoreHealthIndicator(storage, layout, bootstrap);
        }
    }
}
