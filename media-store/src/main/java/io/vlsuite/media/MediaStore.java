package io.vlsuite.media;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vlsuite.media.s3.ObjectInfo;
import io.vlsuite.media.s3.PutCondition;
import io.vlsuite.media.s3.S3ObjectStorage;

/**
 * Content-addressed media: images under {@code media/{sha256}.png}, video frames under
 * {@code video/{sha256}/frame-NNNNN.png} with a {@code manifest.json}. The same content is stored once however
 * often it is sent: a HEAD first (the cheap common case) and a create-only PUT ({@code If-None-Match: *}) for the
 * race between two senders of the same bytes.
 *
 * <p>Objects are immutable once written. This class stores and reads bytes; it never decodes them (that is the
 * preprocessor's job, which also computes the metadata).
 */
public final class MediaStore {

    static final String PNG = "image/png";
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final S3ObjectStorage storage;
    private final String bucket;

    public MediaStore(S3ObjectStorage storage, BucketLayout layout) {
        this.storage = Objects.requireNonNull(storage, "storage");
        this.bucket = layout.mediaBucket();
    }

    public String bucket() {
        return bucket;
    }

    // ---- images -------------------------------------------------------------------------------------------

    /**
     * Stores a PNG under its SHA-256 unless that content is already stored.
     *
     * @throws IllegalArgumentException when the bytes are not a PNG
     */
    public StoredMedia putImage(byte[] png, MediaMetadata metadata) {
        requirePng(png);
        Objects.requireNonNull(metadata, "metadata");
        String sha = ContentHash.sha256Hex(png);
        String key = MediaKeys.image(sha);
        Optional<MediaInfo> existing = stat(sha);
        if (existing.isPresent()) {
            return new StoredMedia(existing.get(), false);
        }
        boolean created = putIfAbsent(key, png, PNG, metadata.toUserMetadata());
        return new StoredMedia(new MediaInfo(sha, key, png.length, metadata), created);
    }

    /** Size and metadata of a stored image; empty when it is not stored. */
    public Optional<MediaInfo> stat(String sha256) {
        String key = MediaKeys.image(sha256);
        return storage.head(bucket, key).map(info -> toMediaInfo(sha256, info));
    }

    public boolean exists(String sha256) {
        return storage.head(bucket, MediaKeys.image(sha256)).isPresent();
    }

    /** @throws MediaStoreException.NotFound when the image is not stored (or has expired) */
    public byte[] getImage(String sha256) {
        return storage.getBytes(bucket, MediaKeys.image(sha256)).bytes();
    }

    /** Streams a stored image; the caller closes the stream. */
    public InputStream openImage(String sha256) {
        return storage.openStream(bucket, MediaKeys.image(sha256));
    }

    // ---- video frames ------------------------------------------------------------------------------------

    /**
     * Stores sampled video frames and their manifest under {@code video/{videoSha256}/}. The manifest is written
     * last and create-only, so a reader that finds it finds every frame. {@code videoSha256} is chosen by the
     * caller: the SHA-256 of the source video bytes, or of those bytes plus the sampling settings when one video
     * may be sampled in several ways.
     */
    public StoredVideo putVideo(String videoSha256, VideoManifest manifest, List<byte[]> framePngs) {
        ContentHash.requireSha256Hex(videoSha256);
        Objects.requireNonNull(manifest, "manifest");
        if (framePngs.size() != manifest.frameCount()) {
            throw new IllegalArgumentException("manifest lists " + manifest.frameCount() + " frame timestamps but "
                    + framePngs.size() + " frames were given");
        }
        // Frames are checked even when the manifest exists: expiry may remove a frame before its manifest, and a
        // re-sent video then repairs the set instead of pointing at a missing frame.
        for (int i = 0; i < framePngs.size(); i++) {
            byte[] frame = framePngs.get(i);
            requirePng(frame);
            String key = MediaKeys.videoFrame(videoSha256, i);
            // A half-finished earlier attempt may have left some frames; they hold the same bytes.
            if (storage.head(bucket, key).isEmpty()) {
                putIfAbsent(key, frame, PNG, Map.of("frame-index", Integer.toString(i),
                        "timestamp-seconds", Double.toString(manifest.timestampsSeconds().get(i))));
            }
        }
        byte[] json = toJson(manifest);
        boolean created = putIfAbsent(MediaKeys.videoManifest(videoSha256), json, "application/json", Map.of());
        return new StoredVideo(videoSha256, created ? manifest : getVideoManifest(videoSha256), created);
    }

    /** True when the complete frame set (manifest included) is stored. */
    public boolean videoExists(String videoSha256) {
        return storage.head(bucket, MediaKeys.videoManifest(videoSha256)).isPresent();
    }

    public Optional<VideoManifest> findVideoManifest(String videoSha256) {
        try {
            return Optional.of(getVideoManifest(videoSha256));
        } catch (MediaStoreException.NotFound e) {
            return Optional.empty();
        }
    }

    /** @throws MediaStoreException.NotFound when no complete frame set is stored */
    public VideoManifest getVideoManifest(String videoSha256) {
        byte[] json = storage.getBytes(bucket, MediaKeys.videoManifest(videoSha256)).bytes();
        try {
            return JSON.readValue(json, VideoManifest.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new MediaStoreException("manifest of video " + videoSha256 + " is unreadable: " + e.getMessage(), e);
        }
    }

    public byte[] getFrame(String videoSha256, int index) {
        return storage.getBytes(bucket, MediaKeys.videoFrame(videoSha256, index)).bytes();
    }

    public InputStream openFrame(String videoSha256, int index) {
        return storage.openStream(bucket, MediaKeys.videoFrame(videoSha256, index));
    }

    // ---- temporary uploads and links ---------------------------------------------------------------------

    /**
     * Stores bytes under {@code tmp/} (e.g. an upload before it is decoded). The lifecycle rule for {@code tmp/}
     * removes what a crashed request leaves behind; callers delete it when done.
     *
     * @return the key
     */
    public String putTemporary(byte[] bytes, String contentType) {
        String key = MediaKeys.TMP_PREFIX + UUID.randomUUID();
        storage.put(bucket, key, bytes, contentType, Map.of(), PutCondition.IF_ABSENT);
        return key;
    }

    public byte[] getTemporary(String key) {
        return storage.getBytes(bucket, requireTemporaryKey(key)).bytes();
    }

    public void deleteTemporary(String key) {
        storage.delete(bucket, requireTemporaryKey(key));
    }

    /**
     * A presigned GET URL for a stored image or video frame, valid for {@code ttl}.
     *
     * @throws IllegalArgumentException when the key is not an image or frame key, or {@code ttl} is longer than
     *                                  the configured maximum
     */
    public URI presignGet(String key, Duration ttl) {
        if (!MediaKeys.isPresignable(key)) {
            throw new IllegalArgumentException("presigned URLs are only issued for stored images and video frames: " + key);
        }
        return storage.presignGet(bucket, key, ttl);
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /** @return {@code true} when we created the object, {@code false} when it already existed */
    private boolean putIfAbsent(String key, byte[] bytes, String contentType, Map<String, String> metadata) {
        try {
            storage.put(bucket, key, bytes, contentType, metadata, PutCondition.IF_ABSENT);
            return true;
        } catch (MediaStoreException.PreconditionFailed e) {
            // Content-addressed: whoever won wrote the same bytes.
            return false;
        }
    }

    private static MediaInfo toMediaInfo(String sha256, ObjectInfo info) {
        return new MediaInfo(sha256, info.key(), info.size(), MediaMetadata.fromUserMetadata(info.userMetadata()).orElse(null));
    }

    private static void requirePng(byte[] bytes) {
        if (bytes == null || bytes.length < PNG_SIGNATURE.length
                || !Arrays.equals(bytes, 0, PNG_SIGNATURE.length, PNG_SIGNATURE, 0, PNG_SIGNATURE.length)) {
            throw new IllegalArgumentException("media are stored as PNG; the bytes do not start with the PNG signature");
        }
    }

    private static String requireTemporaryKey(String key) {
        if (key == null || !key.matches("tmp/[0-9a-f-]{36}")) {
            throw new IllegalArgumentException("not a temporary-upload key: " + key);
        }
        return key;
    }

    private static byte[] toJson(VideoManifest manifest) {
        try {
            return JSON.writeValueAsBytes(manifest);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise video manifest", e);
        }
    }
}
