package io.vlsuite.gateway.auth;

import io.vlsuite.gateway.config.ApiKeyProperties.ApiKey;
import io.vlsuite.gateway.config.Tenants;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses a key file: YAML or JSON (JSON is YAML), either a list of keys or {@code {"api-keys": [...]}}. Each key
 * has {@code tenant}, one of {@code key-sha256} / {@code key}, and optional {@code id} and {@code revoked}.
 */
final class ApiKeyFileReader {

    private ApiKeyFileReader() {
    }

    static List<ApiKey> parse(String text) {
        if (text.isBlank()) {
            // Most likely a file caught mid-write (truncated, not yet filled): refusing it keeps the last good keys.
            throw new IllegalArgumentException("the key file is empty (write [] for no keys)");
        }
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (MarkedYAMLException e) {
            // The parser's own message quotes the offending line, which may hold a plaintext key: keep it out of logs.
            throw new IllegalArgumentException("not valid YAML or JSON near line "
                    + (e.getProblemMark() == null ? "?" : e.getProblemMark().getLine() + 1));
        }
        if (root instanceof Map<?, ?> map) {
            root = map.containsKey("api-keys") ? map.get("api-keys") : map.get("apiKeys");
        }
        if (!(root instanceof List<?> list)) {
            throw new IllegalArgumentException("expected a list of keys or an object with 'api-keys'");
        }
        List<ApiKey> keys = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> entry)) {
                throw new IllegalArgumentException("key #" + i + " is not an object");
            }
            String tenant = string(entry, "tenant");
            if (!Tenants.isValid(tenant)) {
                throw new IllegalArgumentException("key #" + i + ": tenant must match " + Tenants.PATTERN);
            }
            String sha = first(string(entry, "key-sha256"), string(entry, "keySha256"));
            if (sha != null && !sha.matches("[0-9a-fA-F]{64}")) {
                throw new IllegalArgumentException("key #" + i + ": key-sha256 must be 64 hex digits");
            }
            ApiKey key = new ApiKey(string(entry, "id"), string(entry, "key"), sha, tenant,
                    Boolean.parseBoolean(String.valueOf(entry.get("revoked"))));
            if (!key.isExactlyOneSecret()) {
                throw new IllegalArgumentException("key #" + i + ": set exactly one of 'key' and 'key-sha256'");
            }
            keys.add(key);
        }
        return keys;
    }

    private static String string(Map<?, ?> map, String name) {
        Object value = map.get(name);
        return value == null ? null : value.toString();
    }

    private static String first(String a, String b) {
        return a != null ? a : b;
    }
}
