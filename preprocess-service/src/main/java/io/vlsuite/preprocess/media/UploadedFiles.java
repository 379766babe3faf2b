package io.vlsuite.preprocess.media;

import io.vlsuite.media.MediaStoreException;
import io.vlsuite.media.s3.PutCondition;
import io.vlsuite.media.s3.S3ObjectStorage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Files uploaded with {@code POST /v1/files}, kept raw under {@code tmp/uploads/{tenant}/{fileId}} in the media
 * bucket until a request refers to them ({@link MediaSource.Upload}); the bucket's {@code tmp/} lifecycle rule
 * (1 day by default) removes them. Ids are random ({@code file-} + 24 hex digits) and the key includes the tenant,
 * so one tenant can never read another's upload, even with a leaked id.
 *
 * <p>Only media the pipeline can decode are accepted (sniffed from the bytes), so a playlist or an HTML page is
 * refused at upload time rather than at use.
 */
public final class UploadedFiles {

    static final String PREFIX = "tmp/uploads/";
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,127}");
    private static final Pattern FILE_ID = Pattern.compile("file-[0-9a-f]{24}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final S3ObjectStorage storage;
    private final String bucket;
    private final long maxBytes;

    public UploadedFiles(S3ObjectStorage storage, String bucket, long maxBytes) {
        this.storage = storage;
        this.bucket = bucket;
        this.maxBytes = maxBytes;
    }

    /**
     * Stores an upload.
     *
     * @param size the declared length, or {@code -1} when unknown (the stream is then cut off at the limit)
     * @return the new file id ({@code file-...})
     * @throws MediaIntakeException {@code media_too_large} (413) above {@code uploads.max-bytes},
     *                              {@code unsupported_media_type} (415) for anything that is not an image or video
     */
    public String store(String tenant, String filename, InputStream content, long size) {
        requireTenant(tenant);
        if (size > maxBytes) {
            throw tooLarge();
        }
        byte[] bytes = readCapped(content);
        SniffedType type = SniffedType.of(bytes);
        if (type != SniffedType.IMAGE && !type.isVideo()) {
            throw new MediaIntakeException("unsupported_media_type", 415, "uploads must be images or videos");
        }
        byte[] id = new byte[12];
        RANDOM.nextBytes(id);
        String fileId = "file-" + HexFormat.of().formatHex(id);
        storage.put(bucket, key(tenant, fileId), bytes, "application/octet-stream",
                Map.of("filename", sanitise(filename), "media-kind", type == SniffedType.IMAGE ? "image" : "video"),
                PutCondition.IF_ABSENT);
        return fileId;
    }

    /** The bytes of an upload of {@code tenant}; {@code upload_not_found} (404) when absent, expired or foreign. */
    public byte[] read(String tenant, String fileId) {
        requireTenant(tenant);
        if (fileId == null || !FILE_ID.matcher(fileId).matches()) {
            throw notFound();
        }
        try {
            return storage.getBytes(bucket, key(tenant, fileId)).bytes();
        } catch (MediaStoreException.NotFound e) {
            throw notFound();
        }
    }

    /** Removes an upload (idempotent). */
    public void delete(String tenant, String fileId) {
        requireTenant(tenant);
        if (fileId != null && FILE_ID.matcher(fileId).matches()) {
            storage.delete(bucket, key(tenant, fileId));
        }
    }

    static String key(String tenant, String fileId) {
        return PREFIX + tenant + "/" + fileId;
    }

    private byte[] readCapped(InputStream content) {
        try (InputStream in = content) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw tooLarge();
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("reading the upload failed", e);
        }
    }

    private static void requireTenant(String tenant) {
        if (tenant == null || !TENANT.matcher(tenant).matches()) {
            throw new IllegalArgumentException("invalid tenant id");
        }
    }

    /** S3 user metadata must be ASCII; the name is informational only. */
    private static String sanitise(String filename) {
        String name = filename == null ? "" : filename.replaceAll("[^A-Za-z0-9._-]", "_");
        return name.length() > 100 ? name.substring(0, 100) : name;
    }

    private MediaIntakeException tooLarge() {
        return new MediaIntakeException("media_too_large", 413, "the upload is larger than " + maxBytes + " bytes");
    }

    private static MediaIntakeException notFound() {
        return new MediaIntakeException("upload_not_found", 404, "no such uploaded file");
    }
}
