package io.vlsuite.media.s3;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.minio.BucketExistsArgs;
import io.minio.GetBucketLifecycleArgs;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.Http;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.SetBucketLifecycleArgs;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.messages.Item;
import io.minio.messages.LifecycleConfiguration;
import io.vlsuite.media.MediaStoreException;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only class that talks to the MinIO client. Every call gets the configured timeouts, bounded retries with
 * back-off for transient failures, typed errors and a metrics observation.
 *
 * <p>A retried conditional PUT is ambiguous: when the first attempt reached the server but its answer was lost,
 * the retry fails its precondition against our own write. Callers that need to tell the two apart compare the
 * stored content with what they wrote (see {@code JobDocumentStore}); content-addressed media need not care.
 */
public final class S3ObjectStorage implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(S3ObjectStorage.class);
    /* Below 5 MiB S3 refuses multipart parts; one part per object keeps conditional headers on a single PUT. */
    private static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    private static final int MAX_PAGE = 1000;

    private final StorageSettings settings;
    private final OperationObserver observer;
    private final OkHttpClient http;
    private final MinioClient client;
    private final MinioClient presignClient;

    private S3ObjectStorage(StorageSettings settings, OperationObserver observer) {
        this.settings = settings;
        this.observer = observer == null ? OperationObserver.NOOP : observer;
        Timeouts t = settings.timeouts();
        this.http = new OkHttpClient.Builder()
                .connectTimeout(t.connect())
                .readTimeout(t.read())
                .writeTimeout(t.write())
                .callTimeout(t.call())
                // Our RetryPolicy decides about retries; OkHttp's silent reconnect would make attempts uncountable.
                .retryOnConnectionFailure(false)
                .protocols(List.of(Protocol.HTTP_1_1))
                .build();
        this.client = newClient(settings.endpoint());
        this.presignClient = settings.presignEndpoint() == null ? client : newClient(settings.presignEndpoint());
    }

    public static S3ObjectStorage create(StorageSettings settings, OperationObserver observer) {
        return new S3ObjectStorage(settings, observer);
    }

    private MinioClient newClient(URI endpoint) {
        return MinioClient.builder()
                .endpoint(endpoint.toString())
                // A fixed region stops the client from asking the server for it (an extra round trip, and a
                // network call inside presigning).
                .region(settings.region())
                .credentials(settings.accessKey(), settings.secretKey())
                .httpClient(http)
                .build();
    }

    public StorageSettings settings() {
        return settings;
    }

    /** Creates the bucket unless it exists. */
    public void ensureBucket(String bucket) {
        execute("ensure_bucket", bucket, () -> {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                try {
                    client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
                    log.info("created bucket {}", bucket);
                } catch (io.minio.errors.ErrorResponseException e) {
                    String code = e.errorResponse() == null ? "" : e.errorResponse().code();
                    // Another instance created it between our check and our create.
                    if (!"BucketAlreadyOwnedByYou".equals(code) && !"BucketAlreadyExists".equals(code)) {
                        throw e;
                    }
                }
            }
            return null;
        });
    }

    public boolean bucketExists(String bucket) {
        return execute("bucket_exists", bucket, () -> client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()));
    }

    /** One attempt without retries, for health checks that must answer quickly. */
    public boolean probeBucket(String bucket) {
        return executeWith("probe_bucket", bucket, RetryPolicy.NONE,
                () -> client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()));
    }

    /** HEAD; empty when the object does not exist. */
    public Optional<ObjectInfo> head(String bucket, String key) {
        try {
            return Optional.of(execute("head_object", bucket + "/" + key, () -> {
                StatObjectResponse r = client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build());
                return new ObjectInfo(key, r.size(), unquote(r.etag()), r.contentType(), lowerCaseKeys(r.userMetadata()),
                        r.lastModified() == null ? null : r.lastModified().toInstant());
            }));
        } catch (MediaStoreException.NotFound e) {
            return Optional.empty();
        }
    }

    /** Reads the whole object; a failure while reading is retried like a failed request. */
    public StoredBytes getBytes(String bucket, String key) {
        return execute("get_object", bucket + "/" + key, () -> {
            try (GetObjectResponse in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
                byte[] bytes = in.readAllBytes();
                return new StoredBytes(bytes, unquote(in.headers().get("ETag")));
            }
        });
    }

    /**
     * Opens the object for streaming. Opening is retried; reading is not (an {@code IOException} while reading
     * reaches the caller), and the caller must close the stream.
     */
    public InputStream openStream(String bucket, String key) {
        return execute("open_object", bucket + "/" + key,
                () -> client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build()));
    }

    /**
     * Stores {@code bytes} in one PUT.
     *
     * @return the new ETag (unquoted)
     * @throws MediaStoreException.PreconditionFailed when {@code condition} does not hold
     */
    public String put(String bucket, String key, byte[] bytes, String contentType, Map<String, String> userMetadata,
                      PutCondition condition) {
        return execute("put_object", bucket + "/" + key, () -> {
            PutObjectArgs args = PutObjectArgs.builder()
                    .bucket(bucket)
                    .object(key)
                    .stream(new ByteArrayInputStream(bytes), (long) bytes.length, Math.max(MIN_PART_SIZE, bytes.length))
                    .contentType(contentType)
                    .userMetadata(userMetadata)
                    .headers(condition.headers())
                    .build();
            return unquote(client.putObject(args).etag());
        });
    }

    public void delete(String bucket, String key) {
        execute("delete_object", bucket + "/" + key, () -> {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
            return null;
        });
    }

    /**
     * Lists keys under {@code prefix} in key order.
     *
     * @param startAfter exclusive lower bound (the previous page's {@code nextStartAfter}), or {@code null}
     * @param limit      1..1000
     */
    public ObjectPage list(String bucket, String prefix, String startAfter, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("list limit must be within 1.." + MAX_PAGE + ", got " + limit);
        }
        return execute("list_objects", bucket + "/" + prefix, () -> {
            ListObjectsArgs.Builder args = ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true)
                    // One more than asked tells whether another page exists without a second request.
                    .maxKeys(Math.min(limit + 1, MAX_PAGE));
            if (startAfter != null && !startAfter.isEmpty()) {
                args.startAfter(startAfter);
            }
            List<ListedObject> objects = new ArrayList<>();
            boolean more = false;
            for (Result<Item> result : client.listObjects(args.build())) {
                Item item = result.get();
                if (item.isDir()) {
                    continue;
                }
                if (objects.size() == limit) {
                    more = true;
                    break;
                }
                objects.add(new ListedObject(item.objectName(), item.size(), unquote(item.etag()),
                        item.lastModified() == null ? null : item.lastModified().toInstant()));
            }
            return new ObjectPage(objects, more ? objects.getLast().key() : null);
        });
    }

    /**
     * A presigned GET URL valid for {@code ttl} (whole seconds, at least 1 s).
     *
     * @throws IllegalArgumentException when {@code ttl} exceeds the configured maximum
     */
    public URI presignGet(String bucket, String key, Duration ttl) {
        if (ttl == null || ttl.toSeconds() < 1) {
            throw new IllegalArgumentException("presigned URL lifetime must be at least 1 second, got " + ttl);
        }
        if (ttl.compareTo(settings.presignMaxTtl()) > 0) {
            throw new IllegalArgumentException("presigned URL lifetime " + ttl + " exceeds the configured maximum "
                    + settings.presignMaxTtl());
        }
        // Signing is local computation (the region is fixed), so there is nothing to retry.
        return executeWith("presign_get", bucket + "/" + key, RetryPolicy.NONE, () -> URI.create(
                presignClient.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder()
                        .method(Http.Method.GET).bucket(bucket).object(key)
                        .expiry((int) ttl.toSeconds(), TimeUnit.SECONDS).build())));
    }

    /** Replaces the bucket's lifecycle configuration. */
    public void setLifecycle(String bucket, LifecycleConfiguration config) {
        execute("set_lifecycle", bucket, () -> {
            client.setBucketLifecycle(SetBucketLifecycleArgs.builder().bucket(bucket).config(config).build());
            return null;
        });
    }

    /** The bucket's lifecycle configuration; empty when it has none. */
    public Optional<LifecycleConfiguration> getLifecycle(String bucket) {
        try {
            return Optional.ofNullable(execute("get_lifecycle", bucket,
                    () -> client.getBucketLifecycle(GetBucketLifecycleArgs.builder().bucket(bucket).build())));
        } catch (MediaStoreException.NotFound e) {
            // NoSuchLifecycleConfiguration comes as HTTP 404.
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws Exception;
    }

    private <T> T execute(String operation, String target, Call<T> call) {
        return executeWith(operation, target, settings.retry(), call);
    }

    private <T> T executeWith(String operation, String target, RetryPolicy retry, Call<T> call) {
        long start = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            MediaStoreException failure;
            try {
                T result = call.run();
                observe(operation, "success", start);
                return result;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = new MediaStoreException.Unavailable(operation + " " + target + ": interrupted", e);
            } catch (Exception e) {
                failure = StorageErrors.translate(operation, target, e);
            }
            boolean retryable = failure instanceof MediaStoreException.Unavailable && !Thread.currentThread().isInterrupted();
            if (!retryable || attempt >= retry.maxAttempts()) {
                observe(operation, failure.code(), start);
                if (retryable || attempt > 1) {
                    failure.addSuppressed(new RuntimeException("gave up after " + attempt + " attempt(s) in "
                            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms"));
                }
                throw failure;
            }
            Duration pause = retry.pauseBefore(attempt);
            log.debug("{} {} failed (attempt {}/{}), retrying in {} ms: {}", operation, target, attempt,
                    retry.maxAttempts(), pause.toMillis(), failure.getMessage());
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                observe(operation, failure.code(), start);
                throw failure;
            }
        }
    }

    private void observe(String operation, String outcome, long startNanos) {
        try {
            observer.record(operation, outcome, System.nanoTime() - startNanos);
        } catch (RuntimeException e) {
            log.debug("metrics observer failed", e);
        }
    }

    static String unquote(String etag) {
        if (etag == null) {
            return null;
        }
        String e = etag.trim();
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        return e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"") ? e.substring(1, e.length() - 1) : e;
    }

    private static Map<String, String> lowerCaseKeys(Http.Headers headers) {
        Map<String, String> out = new HashMap<>();
        if (headers != null) {
            for (Map.Entry<String, String> e : headers) {
                out.putIfAbsent(e.getKey().toLowerCase(Locale.ROOT), e.getValue());
            }
        }
        return out;
    }

    /** Object content with the ETag of the version read. */
    public record StoredBytes(byte[] bytes, String etag) {
    }
}
