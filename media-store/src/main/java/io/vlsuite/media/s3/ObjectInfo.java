package io.vlsuite.media.s3;

import java.time.Instant;
import java.util.Map;

/**
 * What a HEAD request tells about an object.
 *
 * @param etag         without surrounding quotes (servers differ in quoting)
 * @param userMetadata user metadata with lower-case keys (S3Proxy capitalises them, MinIO does not)
 */
public record ObjectInfo(String key, long size, String etag, String contentType, Map<String, String> userMetadata,
                         Instant lastModified) {

    public ObjectInfo {
        userMetadata = Map.copyOf(userMetadata);
    }
}
