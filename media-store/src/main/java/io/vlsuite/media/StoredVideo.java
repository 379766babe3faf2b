package io.vlsuite.media;

/**
 * Result of storing the frames of a video.
 *
 * @param created {@code false} when a complete frame set with this id was already stored
 */
public record StoredVideo(String sha256, VideoManifest manifest, boolean created) {

    public String manifestKey() {
        return MediaKeys.videoManifest(sha256);
    }

    public String frameKey(int index) {
        return MediaKeys.videoFrame(sha256, index);
    }
}
