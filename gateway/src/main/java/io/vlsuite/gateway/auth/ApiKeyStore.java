package io.vlsuite.gateway.auth;

import io.vlsuite.gateway.config.ApiKeyProperties.ApiKey;
import io.vlsuite.gateway.problem.Problems;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The known API keys, held only as SHA-256 digests. A presented key is hashed and looked up by its digest, so
 * neither the lookup nor a log line ever handles a stored secret; the final {@link MessageDigest#isEqual}
 * comparison is constant-time on top of that. The key set is swapped whole when the key file changes.
 */
public class ApiKeyStore {

    record Entry(String id, String tenant, boolean revoked, byte[] digest) {
    }

    private final List<ApiKey> configured;
    private volatile Map<String, Entry> byDigest;

    public ApiKeyStore(List<ApiKey> configured) {
        this.configured = List.copyOf(configured);
        this.byDigest = index(this.configured, List.of());
    }

    /** Replaces the keys that came from the key file; configured keys stay. */
    public void replaceFileKeys(List<ApiKey> fromFile) {
        this.byDigest = index(configured, fromFile);
    }

    public int size() {
        return byDigest.size();
    }

    /** The principal for a presented key, or a 401 problem ({@code invalid_api_key}, {@code api_key_revoked}). */
    public Principal authenticate(String presentedKey) {
        byte[] digest = sha256(presentedKey);
        Entry entry = byDigest.get(HexFormat.of().formatHex(digest));
        if (entry == null || !MessageDigest.isEqual(entry.digest(), digest)) {
            throw Problems.invalidApiKey();
        }
        if (entry.revoked()) {
            throw Problems.apiKeyRevoked();
        }
        return new Principal(entry.tenant(), entry.id(), Principal.Method.API_KEY);
    }

    private static Map<String, Entry> index(Collection<ApiKey> configured, Collection<ApiKey> fromFile) {
        Map<String, Entry> map = new HashMap<>();
        for (Collection<ApiKey> keys : List.of(configured, fromFile)) {
            for (ApiKey key : keys) {
                if (!key.isExactlyOneSecret()) {
                    throw new IllegalArgumentException("API key for tenant '" + key.tenant()
                            + "': set exactly one of 'key' and 'key-sha256'");
                }
                byte[] digest = key.key() != null && !key.key().isEmpty()
                        ? sha256(key.key()) : HexFormat.of().parseHex(key.keySha256().toLowerCase(Locale.ROOT));
                String hex = HexFormat.of().formatHex(digest);
                String id = key.id() != null && !key.id().isBlank() ? key.id() : hex.substring(0, 8);
                Entry entry = new Entry(id, key.tenant(), key.revoked(), digest);
                // A revocation wins over a second, unrevoked listing of the same key (e.g. config plus file).
                map.merge(hex, entry, (a, b) -> a.revoked() ? a : b);
            }
        }
        return Map.copyOf(map);
    }

    static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
