package io.vlsuite.media.s3;

import java.time.Instant;

/** One entry of a listing (no user metadata: listing does not return it on every server). */
public record ListedObject(String key, long size, String etag, Instant lastModified) {
}
