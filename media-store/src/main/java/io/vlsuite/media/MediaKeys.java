package io.vlsuite.media;

/**
 * Object keys of the media bucket. Keys are derived only from validated hashes and indices, never from client
 * text, so no request can address an arbitrary key.
 */
public final class MediaKeys {

    public static final String MEDIA_PREFIX = "media/";
    public static final String VIDEO_PREFIX = "video/";
    public static final String TMP_PREFIX = "tmp/";
    public static final String JOBS_PREFIX = "jobs/";
    public static final int MAX_FRAMES = 100_000;

    private MediaKeys() {
    }

    /** {@code media/{sha256}.png} */
    public static String image(String sha256) {
        return MEDIA_PREFIX + ContentHash.requireSha256Hex(sha256) + ".png";
    }

    /** {@code video/{sha256}/} */
    public static String videoFolder(String sha256) {
        return VIDEO_PREFIX + ContentHash.requireSha256Hex(sha256) + "/";
    }

    /** {@code video/{sha256}/frame-NNNNN.png}, index from 0 */
    public static String videoFrame(String sha256, int index) {
        if (index < 0 || index >= MAX_FRAMES) {
            throw new IllegalArgumentException("frame index must be within 0.." + (MAX_FRAMES - 1) + ", got " + index);
        }
        return videoFolder(sha256) + "frame-%05d.png".formatted(index);
    }

    /** {@code video/{sha256}/manifest.json} */
    public static String videoManifest(String sha256) {
        return videoFolder(sha256) + "manifest.json";
    }

    /** True for keys a presigned URL may be issued for: stored images and video frames, nothing else. */
    public static boolean isPresignable(String key) {
        return key != null && !key.contains("..")
                && (key.matches("media/[0-9a-f]{64}\\.png") || key.matches("video/[0-9a-f]{64}/frame-\\d{5}\\.png"));
    }
}
