package io.vlsuite.media;

/**
 * Result of storing an image.
 *
 * @param created {@code false} when the same content was already stored (by us earlier or by a concurrent writer)
 */
public record StoredMedia(MediaInfo info, boolean created) {

    public String sha256() {
        return info.sha256();
    }

    public String key() {
        return info.key();
    }
}
