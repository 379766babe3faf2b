package io.vlsuite.media.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import io.vlsuite.media.BucketLayout;
import io.vlsuite.media.MediaStoreException;
import io.vlsuite.media.lifecycle.LifecycleState;
import io.vlsuite.media.lifecycle.StorageBootstrap;
import io.vlsuite.media.s3.S3ObjectStorage;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * UP when every bucket answers (one attempt each, no retries, so the check stays within one call timeout);
 * DOWN with the error code otherwise. Details name the endpoint, the buckets and whether lifecycle rules are in
 * force; never credentials.
 */
public final class MediaStoreHealthIndicator implements HealthIndicator {

    private final S3ObjectStorage storage;
    private final BucketLayout layout;
    private final StorageBootstrap bootstrap;

    public MediaStoreHealthIndicator(S3ObjectStorage storage, BucketLayout layout, StorageBootstrap bootstrap) {
        this.storage = storage;
        this.layout = layout;
        this.bootstrap = bootstrap;
    }

    @Override
    public Health health() {
        Health.Builder health = Health.up();
        health.withDetail("endpoint", storage.settings().endpoint().toString());
        Map<String, String> buckets = new LinkedHashMap<>();
        try {
            for (String bucket : layout.buckets()) {
                boolean exists = storage.probeBucket(bucket);
                buckets.put(bucket, exists ? "present" : "missing");
                if (!exists) {
                    health.down();
                }
            }
        } catch (MediaStoreException e) {
            health.down().withDetail("error", e.code()).withDetail("message", e.getMessage());
        }
        health.withDetail("buckets", buckets);
        Map<String, String> lifecycle = new LinkedHashMap<>();
        for (Map.Entry<String, LifecycleState> e : bootstrap.lifecycleStates().entrySet()) {
            lifecycle.put(e.getKey(), e.getValue().outcome().name().toLowerCase(java.util.Locale.ROOT));
        }
        health.withDetail("lifecycle", lifecycle);
        return health.build();
    }
}
