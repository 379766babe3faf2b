package io.vlsuite.preprocess.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * SHA-256 of a request body in canonical form (object keys sorted, no whitespace), so that a retry that
 * serialises the same request differently still counts as "the same body" for an Idempotency-Key.
 */
public final class RequestFingerprint {

    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

    private RequestFingerprint() {
    }

    public static String of(JsonNode body) {
        try {
            Object plain = CANONICAL.treeToValue(body, Object.class);
            return JobIds.sha256Hex(CANONICAL.writeValueAsBytes(plain));
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot fingerprint the request", e);
        }
    }
}
