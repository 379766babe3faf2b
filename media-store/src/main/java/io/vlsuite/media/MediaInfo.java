package io.vlsuite.media;

/**
 * A stored image.
 *
 * @param metadata {@code null} only for objects that were not written by this library
 */
public record MediaInfo(String sha256, String key, long size, MediaMetadata metadata) {
}
