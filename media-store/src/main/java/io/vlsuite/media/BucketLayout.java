package io.vlsuite.media;

import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Which bucket holds what. Media ({@code media/}, {@code video/}, {@code tmp/}) and job documents ({@code jobs/})
 * live in two buckets by default so that each can get its own access policy and lifecycle; both names may be
 * equal (one bucket, told apart by prefix) where an operator can only get one bucket.
 */
public record BucketLayout(String mediaBucket, String jobsBucket) {

    public static final BucketLayout DEFAULTS = new BucketLayout("vlsuite-media", "vlsuite-jobs");

    public BucketLayout {
        Objects.requireNonNull(mediaBucket, "mediaBucket");
        Objects.requireNonNull(jobsBucket, "jobsBucket");
        if (mediaBucket.isBlank() || jobsBucket.isBlank()) {
            throw new IllegalArgumentException("bucket names must not be blank");
        }
    }

    /** Distinct bucket names, media bucket first. */
    public Set<String> buckets() {
        Set<String> names = new LinkedHashSet<>();
        names.add(mediaBucket);
        names.add(jobsBucket);
        return names;
    }
}
