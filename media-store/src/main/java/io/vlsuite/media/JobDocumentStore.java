package io.vlsuite.media;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vlsuite.media.s3.ListedObject;
import io.vlsuite.media.s3.ObjectInfo;
import io.vlsuite.media.s3.ObjectPage;
import io.vlsuite.media.s3.PutCondition;
import io.vlsuite.media.s3.S3ObjectStorage;

/**
 * Job documents at {@code jobs/{tenant}/{id}.json}, the source of truth of async jobs. Every write is conditional:
 * create only if absent ({@code If-None-Match: *}), replace only the version that was read
 * ({@code If-Match: etag}). So a state transition never overwrites a newer one, and of two writers starting from
 * the same version exactly one wins; the other gets {@link MediaStoreException.PreconditionFailed}.
 *
 * <p>ETags of S3 and MinIO single-part objects are content hashes: if a document could return to an earlier
 * byte-identical content, an old ETag would match again (ABA). Keep a revision or update time in the document so
 * that every write changes its bytes.
 */
public final class JobDocumentStore {

    static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,127}");
    private static final String CONTENT_TYPE = "application/json";
    private static final String WRITE_ID = "write-id";
    public static final int DEFAULT_UPDATE_ATTEMPTS = 8;

    private final S3ObjectStorage storage;
    private final String bucket;
    private final int maxUpdateAttempts;

    public JobDocumentStore(S3ObjectStorage storage, BucketLayout layout) {
        this(storage, layout, DEFAULT_UPDATE_ATTEMPTS);
    }

    /** @param maxUpdateAttempts how often {@link #update} re-reads and retries after losing a race */
    public JobDocumentStore(S3ObjectStorage storage, BucketLayout layout, int maxUpdateAttempts) {
        if (maxUpdateAttempts < 1) {
            throw new IllegalArgumentException("maxUpdateAttempts must be positive");
        }
        this.storage = Objects.requireNonNull(storage, "storage");
        this.bucket = layout.jobsBucket();
        this.maxUpdateAttempts = maxUpdateAttempts;
    }

    /** {@code jobs/{tenant}/{id}.json}; tenant and id are 1..128 of {@code [A-Za-z0-9_-]}, starting alphanumeric. */
    public static String key(String tenant, String id) {
        return tenantPrefix(tenant) + requireName("job id", id) + ".json";
    }

    /**
     * Creates the document.
     *
     * @throws MediaStoreException.PreconditionFailed when a document with this id exists
     */
    public JobDocument create(String tenant, String id, byte[] json) {
        return write(tenant, id, json, PutCondition.IF_ABSENT);
    }

    public JobDocument create(String tenant, String id, JsonNode document) {
        return create(tenant, id, toBytes(document));
    }

    /**
     * Replaces the version with ETag {@code expectedEtag}.
     *
     * @throws MediaStoreException.PreconditionFailed when the document changed since that version was read
     * @throws MediaStoreException.NotFound           when the document does not exist (some servers answer 412)
     */
    public JobDocument replace(String tenant, String id, byte[] json, String expectedEtag) {
        Objects.requireNonNull(expectedEtag, "expectedEtag");
        return write(tenant, id, json, PutCondition.ifMatch(expectedEtag));
    }

    /**
     * Compare-and-set: reads the document, applies {@code change} and writes the result conditionally on the
     * version read; when another writer got there first, reads again and re-applies, at most the configured
     * number of times. {@code change} must be a pure function of the document it is given; returning the same
     * bytes (or {@code null}) writes nothing, which is how a caller skips a transition that no longer applies
     * (e.g. the job is already terminal). Exceptions thrown by {@code change} propagate unchanged.
     *
     * @return the document as stored afterwards
     * @throws MediaStoreException.NotFound           when the document does not exist
     * @throws MediaStoreException.PreconditionFailed when every attempt lost a race
     */
    public JobDocument update(String tenant, String id, Function<JobDocument, byte[]> change) {
        MediaStoreException.PreconditionFailed lastLoss = null;
        for (int attempt = 1; attempt <= maxUpdateAttempts; attempt++) {
            JobDocument current = get(tenant, id);
            byte[] next = change.apply(current);
            if (next == null || Arrays.equals(next, current.json())) {
                return current;
            }
            try {
                return replace(tenant, id, next, current.etag());
            } catch (MediaStoreException.PreconditionFailed e) {
                lastLoss = e;
                pauseBeforeRetry(attempt);
            }
        }
        throw new MediaStoreException.PreconditionFailed("job document " + tenant + "/" + id
                + " kept changing: lost " + maxUpdateAttempts + " compare-and-set attempts", lastLoss);
    }

    /** {@link #update} on a Jackson tree; the operator gets a private copy it may modify and return. */
    public JobDocument updateJson(String tenant, String id, UnaryOperator<JsonNode> change) {
        return update(tenant, id, current -> {
            JsonNode next = change.apply(current.tree());
            return next == null ? null : toBytes(next);
        });
    }

    public Optional<JobDocument> find(String tenant, String id) {
        try {
            return Optional.of(get(tenant, id));
        } catch (MediaStoreException.NotFound e) {
            return Optional.empty();
        }
    }

    /** @throws MediaStoreException.NotFound when there is no such document */
    public JobDocument get(String tenant, String id) {
        S3ObjectStorage.StoredBytes stored = storage.getBytes(bucket, key(tenant, id));
        return new JobDocument(tenant, id, stored.bytes(), stored.etag(), null);
    }

    public void delete(String tenant, String id) {
        storage.delete(bucket, key(tenant, id));
    }

    /**
     * Lists a tenant's documents in id order.
     *
     * @param idPrefix only ids starting with this ({@code ""} for all)
     * @param afterId  the previous page's {@link JobDocumentPage#nextAfterId()}, or {@code null} for the first page
     * @param limit    1..1000
     */
    public JobDocumentPage list(String tenant, String idPrefix, String afterId, int limit) {
        String prefix = tenantPrefix(tenant);
        if (idPrefix != null && !idPrefix.isEmpty() && !idPrefix.matches("[A-Za-z0-9_-]{1,128}")) {
            throw new IllegalArgumentException("invalid job id prefix: " + idPrefix);
        }
        String startAfter = afterId == null ? null : key(tenant, afterId);
        ObjectPage page = storage.list(bucket, prefix + (idPrefix == null ? "" : idPrefix), startAfter, limit);
        List<JobDocumentPage.Entry> items = new ArrayList<>();
        for (ListedObject o : page.objects()) {
            String name = o.key().substring(prefix.length());
            if (name.endsWith(".json") && NAME.matcher(name.substring(0, name.length() - 5)).matches()) {
                items.add(new JobDocumentPage.Entry(tenant, name.substring(0, name.length() - 5), o.etag(), o.size(),
                        o.lastModified()));
            }
        }
        String next = page.nextStartAfter() == null ? null : idOf(prefix, page.nextStartAfter());
        return new JobDocumentPage(items, next);
    }

    /**
     * Conditional PUT tagged with a unique write id (user metadata). When the precondition fails, the write id
     * tells whether it failed against our own earlier attempt (the storage layer retried after the answer to a
     * write that did land was lost): then the write succeeded. Comparing content instead would be wrong: another
     * writer may legitimately have written the same bytes (two increments of one counter).
     */
    private JobDocument write(String tenant, String id, byte[] json, PutCondition condition) {
        String key = key(tenant, id);
        String writeId = UUID.randomUUID().toString();
        try {
            String etag = storage.put(bucket, key, json, CONTENT_TYPE, Map.of(WRITE_ID, writeId), condition);
            return new JobDocument(tenant, id, json.clone(), etag, null);
        } catch (MediaStoreException.PreconditionFailed e) {
            Optional<ObjectInfo> current = storage.head(bucket, key);
            if (current.isPresent() && writeId.equals(current.get().userMetadata().get(WRITE_ID))) {
                return new JobDocument(tenant, id, json.clone(), current.get().etag(), current.get().lastModified());
            }
            if (current.isEmpty() && condition instanceof PutCondition.IfMatch) {
                // If-Match against a missing object: servers answer 404 or 412 depending on version.
                throw new MediaStoreException.NotFound("job document " + tenant + "/" + id + " does not exist");
            }
            throw new MediaStoreException.PreconditionFailed("job document " + tenant + "/" + id
                    + (condition instanceof PutCondition.IfMatch ? " was changed by another writer" : " already exists"), e);
        }
    }

    private static void pauseBeforeRetry(int attempt) {
        // A little random pause so that two losers do not collide again in lock-step.
        long millis = ThreadLocalRandom.current().nextLong(1, 5L * Math.min(attempt, 8) + 2);
        try {
            Thread.sleep(Duration.ofMillis(millis));
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new MediaStoreException.Unavailable("interrupted while updating a job document", ie);
        }
    }

    private static String tenantPrefix(String tenant) {
        return MediaKeys.JOBS_PREFIX + requireName("tenant", tenant) + "/";
    }

    private static String idOf(String prefix, String key) {
        String name = key.substring(prefix.length());
        return name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
    }

    private static String requireName(String what, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must be 1..128 characters of [A-Za-z0-9_-] starting with a "
                    + "letter or digit, got " + value);
        }
        return value;
    }

    private static byte[] toBytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serialise job document", e);
        }
    }
}
