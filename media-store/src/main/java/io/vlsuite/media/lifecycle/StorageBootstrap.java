package io.vlsuite.media.lifecycle;

import java.util.LinkedHashMap;
import java.util.Map;

import io.minio.messages.LifecycleConfiguration;
import io.vlsuite.media.BucketLayout;
import io.vlsuite.media.MediaStoreException;
import io.vlsuite.media.s3.S3ObjectStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up work: create the buckets, then apply the lifecycle plan. Bucket creation failing is fatal (nothing
 * would work); lifecycle failing is not (the suite works, objects just do not expire), so it is logged and
 * reported per bucket instead of thrown.
 */
public final class StorageBootstrap {

    private static final Logger log = LoggerFactory.getLogger(StorageBootstrap.class);

    private final S3ObjectStorage storage;
    private final BucketLayout layout;
    private final LifecyclePlan plan;
    private final boolean manageLifecycle;
    private volatile Map<String, LifecycleState> lifecycle = Map.of();

    public StorageBootstrap(S3ObjectStorage storage, BucketLayout layout, LifecyclePlan plan, boolean manageLifecycle) {
        this.storage = storage;
        this.layout = layout;
        this.plan = plan;
        this.manageLifecycle = manageLifecycle;
    }

    /** Creates missing buckets. @throws MediaStoreException when a bucket cannot be created */
    public void createBuckets() {
        for (String bucket : layout.buckets()) {
            storage.ensureBucket(bucket);
        }
    }

    /** Applies the lifecycle plan to every bucket; never throws. */
    public Map<String, LifecycleState> applyLifecycle() {
        Map<String, LifecycleState> states = new LinkedHashMap<>();
        for (String bucket : layout.buckets()) {
            states.put(bucket, applyTo(bucket));
        }
        lifecycle = Map.copyOf(states);
        return lifecycle;
    }

    /** {@link #createBuckets()} then {@link #applyLifecycle()}. */
    public Map<String, LifecycleState> run() {
        createBuckets();
        return applyLifecycle();
    }

    /** Result of the last {@link #applyLifecycle()} per bucket (empty before the first run). */
    public Map<String, LifecycleState> lifecycleStates() {
        return lifecycle;
    }

    public LifecyclePlan plan() {
        return plan;
    }

    private LifecycleState applyTo(String bucket) {
        if (!manageLifecycle) {
            return new LifecycleState(LifecycleState.Outcome.DISABLED, "vlsuite.media-store.retention.manage-lifecycle=false");
        }
        try {
            LifecycleConfiguration existing = storage.getLifecycle(bucket).orElse(null);
            storage.setLifecycle(bucket, plan.configurationFor(bucket, existing));
            log.info("lifecycle rules applied to bucket {}: {}", bucket, plan.rules(bucket));
            return new LifecycleState(LifecycleState.Outcome.APPLIED, plan.rules(bucket).size() + " rule(s)");
        } catch (MediaStoreException.Unsupported e) {
            log.warn("the S3 server does not support bucket lifecycle configuration ({}); objects in bucket {} will "
                    + "not expire unless the expiry sweeper runs", e.getMessage(), bucket);
            return new LifecycleState(LifecycleState.Outcome.UNSUPPORTED, e.getMessage());
        } catch (MediaStoreException e) {
            log.warn("could not apply lifecycle rules to bucket {}: {}", bucket, e.getMessage());
            return new LifecycleState(LifecycleState.Outcome.FAILED, e.code() + ": " + e.getMessage());
        }
    }
}
