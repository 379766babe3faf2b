package io.vlsuite.media.autoconfigure;

import java.net.URI;
import java.time.Duration;

import io.vlsuite.media.BucketLayout;
import io.vlsuite.media.lifecycle.RetentionPolicy;
import io.vlsuite.media.s3.RetryPolicy;
import io.vlsuite.media.s3.StorageSettings;
import io.vlsuite.media.s3.Timeouts;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code vlsuite.media-store.*}: where the S3 storage is and how to use it. Setting {@code endpoint} switches the
 * media store on (see {@link MediaStoreAutoConfiguration}). Every value is also checked when binding, so a wrong
 * setting stops start-up with a message naming it, whether or not a Bean Validation provider is present.
 *
 * @param endpoint          S3 API endpoint, e.g. {@code http://minio:9000} or {@code https://s3.eu-west-1.amazonaws.com}
 * @param region            signing region (MinIO ignores it; AWS needs the bucket's region)
 * @param accessKey         access key id
 * @param secretKey         secret key
 * @param presignEndpoint   endpoint written into presigned URLs when clients reach the storage under another host
 * @param presignMaxTtl     longest lifetime a presigned URL may get (at most 7 days)
 * @param failFast          stop start-up when the buckets cannot be created (otherwise log and report DOWN health)
 * @param jobUpdateAttempts how often a compare-and-set job update re-reads and retries after losing a race
 * @param sweepInterval     how often the client-side expiry sweep runs when the server lacks lifecycle support
 *                          (S3Proxy); {@code 0} switches it off
 */
@ConfigurationProperties("vlsuite.media-store")
@Validated
public record MediaStoreProperties(
        @NotNull URI endpoint,
        @DefaultValue("us-east-1") @NotBlank String region,
        @NotBlank String accessKey,
        @NotBlank String secretKey,
        URI presignEndpoint,
        @DefaultValue("15m") Duration presignMaxTtl,
        @Valid @DefaultValue Buckets buckets,
        @Valid @DefaultValue TimeoutProperties timeouts,
        @Valid @DefaultValue RetryProperties retry,
        @Valid @DefaultValue RetentionProperties retention,
        @DefaultValue("true") boolean failFast,
        @DefaultValue("8") @Min(1) int jobUpdateAttempts,
        @DefaultValue("1h") Duration sweepInterval) {

    public MediaStoreProperties {
        // Nested groups nobody configured may arrive as null; they then take their documented defaults.
        buckets = buckets == null ? new Buckets("vlsuite-media", "vlsuite-jobs") : buckets;
        timeouts = timeouts == null ? new TimeoutProperties(Duration.ofSeconds(2), Duration.ofSeconds(10),
                Duration.ofSeconds(10), Duration.ofSeconds(30)) : timeouts;
        retry = retry == null ? new RetryProperties(3, Duration.ofMillis(100), Duration.ofSeconds(2), 2.0) : retry;
        retention = retention == null ? new RetentionProperties(7, 30, 1, 1, true) : retention;
        region = region == null || region.isBlank() ? "us-east-1" : region;
        presignMaxTtl = presignMaxTtl == null ? Duration.ofMinutes(15) : presignMaxTtl;
        sweepInterval = sweepInterval == null ? Duration.ofHours(1) : sweepInterval;
        if (accessKey == null || accessKey.isBlank() || secretKey == null || secretKey.isBlank()) {
            throw new IllegalArgumentException("vlsuite.media-store.access-key and vlsuite.media-store.secret-key must be "
                    + "set when vlsuite.media-store.endpoint is set");
        }
        if (jobUpdateAttempts < 1) {
            throw new IllegalArgumentException("vlsuite.media-store.job-update-attempts must be at least 1");
        }
        if (sweepInterval.isNegative()) {
            throw new IllegalArgumentException("vlsuite.media-store.sweep-interval must be zero (off) or positive");
        }
        // Fail at binding time, naming the property, rather than when the first bean is built. (Fields are not
        // assigned yet inside a compact constructor, hence the static helpers on the parameters.)
        settings(endpoint, region, accessKey, secretKey, presignEndpoint, presignMaxTtl, timeouts, retry);
        buckets.toLayout();
        retention.toPolicy();
    }

    public StorageSettings toStorageSettings() {
        return settings(endpoint, region, accessKey, secretKey, presignEndpoint, presignMaxTtl, timeouts, retry);
    }

    public BucketLayout toLayout() {
        return buckets.toLayout();
    }

    public RetentionPolicy toRetention() {
        return retention.toPolicy();
    }

    private static StorageSettings settings(URI endpoint, String region, String accessKey, String secretKey,
                                            URI presignEndpoint, Duration presignMaxTtl, TimeoutProperties timeouts,
                                            RetryProperties retry) {
        return new StorageSettings(endpoint, region, accessKey, secretKey, presignEndpoint,
                new Timeouts(timeouts.connect(), timeouts.read(), timeouts.write(), timeouts.call()),
                new RetryPolicy(retry.maxAttempts(), retry.initialBackoff(), retry.maxBackoff(), retry.multiplier()),
                presignMaxTtl);
    }

    /** Bucket names; equal names put media and jobs into one bucket, told apart by prefix. */
    public record Buckets(@DefaultValue("vlsuite-media") @NotBlank String media,
                          @DefaultValue("vlsuite-jobs") @NotBlank String jobs) {

        BucketLayout toLayout() {
            return new BucketLayout(media, jobs);
        }
    }

    /** Per-attempt time limits; {@code call} bounds one whole HTTP exchange. */
    public record TimeoutProperties(@DefaultValue("2s") Duration connect, @DefaultValue("10s") Duration read,
                                    @DefaultValue("10s") Duration write, @DefaultValue("30s") Duration call) {
    }

    /** Retries of transient failures (connection refused, timeouts, 5xx). */
    public record RetryProperties(@DefaultValue("3") @Min(1) int maxAttempts,
                                  @DefaultValue("100ms") Duration initialBackoff,
                                  @DefaultValue("2s") Duration maxBackoff,
                                  @DefaultValue("2.0") double multiplier) {
    }

    /**
     * Object lifetimes in days ({@code 0} = keep forever) and whether to manage bucket lifecycle rules at all
     * ({@code false} when an operator manages them, e.g. with {@code mc ilm}).
     */
    public record RetentionProperties(@DefaultValue("7") @Min(0) int mediaDays,
                                      @DefaultValue("30") @Min(0) int jobDays,
                                      @DefaultValue("1") @Min(0) int tmpDays,
                                      @DefaultValue("1") @Min(0) int abortIncompleteUploadDays,
                                      @DefaultValue("true") boolean manageLifecycle) {

        RetentionPolicy toPolicy() {
            return new RetentionPolicy(mediaDays, jobDays, tmpDays, abortIncompleteUploadDays);
        }
    }
}
