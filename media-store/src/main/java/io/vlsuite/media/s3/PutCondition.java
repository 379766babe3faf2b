package io.vlsuite.media.s3;

import java.util.Map;
import java.util.Objects;

/** Precondition of a PUT, so that concurrent writers cannot silently overwrite each other. */
public sealed interface PutCondition {

    /** Write unconditionally (last writer wins). */
    PutCondition NONE = new None();

    /** Create only: {@code If-None-Match: *}. */
    PutCondition IF_ABSENT = new IfAbsent();

    /** Replace only the version that has this ETag: {@code If-Match: "etag"}. */
    static PutCondition ifMatch(String etag) {
        return new IfMatch(etag);
    }

    Map<String, String> headers();

    record None() implements PutCondition {
        @Override
        public Map<String, String> headers() {
            return Map.of();
        }
    }

    record IfAbsent() implements PutCondition {
        @Override
        public Map<String, String> headers() {
            return Map.of("If-None-Match", "*");
        }
    }

    record IfMatch(String etag) implements PutCondition {
        public IfMatch {
            Objects.requireNonNull(etag, "etag");
        }

        @Override
        public Map<String, String> headers() {
            return Map.of("If-Match", "\"" + etag + "\"");
        }
    }
}
