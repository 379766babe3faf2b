package io.vlsuite.media;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Facts about a stored image, kept as S3 user metadata on the object so a worker learns them from one HEAD.
 *
 * @param sourceType how the media arrived, a lower_snake_case token chosen by the caller (e.g. {@code data_url},
 *                   {@code http_url}, {@code upload}, {@code video_frame})
 */
public record MediaMetadata(String sourceType, int originalWidth, int originalHeight, int resizedWidth,
                            int resizedHeight, Grid grid) {

    private static final Pattern TOKEN = Pattern.compile("[a-z][a-z0-9_]{0,31}");

    public MediaMetadata {
        if (sourceType == null || !TOKEN.matcher(sourceType).matches()) {
            throw new IllegalArgumentException("source type must be a lower_snake_case token, got " + sourceType);
        }
        if (originalWidth < 1 || originalHeight < 1 || resizedWidth < 1 || resizedHeight < 1) {
            throw new IllegalArgumentException("image sizes must be positive");
        }
        if (grid == null) {
            throw new IllegalArgumentException("grid must be set");
        }
    }

    /** As S3 user metadata (lower-case keys; the client adds the {@code x-amz-meta-} prefix). */
    public Map<String, String> toUserMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("source-type", sourceType);
        m.put("original-width", Integer.toString(originalWidth));
        m.put("original-height", Integer.toString(originalHeight));
        m.put("resized-width", Integer.toString(resizedWidth));
        m.put("resized-height", Integer.toString(resizedHeight));
        m.put("grid-t", Integer.toString(grid.t()));
        m.put("grid-h", Integer.toString(grid.h()));
        m.put("grid-w", Integer.toString(grid.w()));
        return m;
    }

    /** Parses user metadata (keys lower-cased); empty when the object was not written by this library. */
    public static Optional<MediaMetadata> fromUserMetadata(Map<String, String> m) {
        try {
            return Optional.of(new MediaMetadata(m.get("source-type"),
                    Integer.parseInt(m.get("original-width")), Integer.parseInt(m.get("original-height")),
                    Integer.parseInt(m.get("resized-width")), Integer.parseInt(m.get("resized-height")),
                    new Grid(Integer.parseInt(m.get("grid-t")), Integer.parseInt(m.get("grid-h")),
                            Integer.parseInt(m.get("grid-w")))));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
