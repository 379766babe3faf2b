package io.vlsuite.preprocess.webhook;

import io.vlsuite.preprocess.config.PreprocessProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Webhook signing secrets in the Standard Webhooks form {@code whsec_<base64 of 24..64 random bytes>}: one per
 * tenant where configured ({@code vlsuite.preprocess.webhooks.tenant-secrets}), else the default one
 * ({@code vlsuite.preprocess.webhooks.secret}, {@code VLSUITE_WEBHOOK_SECRET}). Without a default, one is generated
 * at start-up and logged once so a developer can verify signatures locally.
 */
@Component
public class WebhookSecrets {

    private static final Logger log = LoggerFactory.getLogger(WebhookSecrets.class);
    public static final String PREFIX = "whsec_";

    private final byte[] defaultKey;
    private final Map<String, byte[]> tenantKeys = new HashMap<>();

    public WebhookSecrets(PreprocessProperties properties) {
        PreprocessProperties.Webhooks webhooks = properties.webhooks();
        String secret = webhooks.secret();
        if (secret == null || secret.isBlank()) {
            secret = generate();
            log.warn("No webhook signing secret configured (vlsuite.preprocess.webhooks.secret / VLSUITE_WEBHOOK_SECRET); "
                    + "generated one for this run: {}", secret);
        }
        this.defaultKey = decode(secret, "vlsuite.preprocess.webhooks.secret");
        webhooks.tenantSecrets().forEach((tenant, s) ->
                tenantKeys.put(tenant, decode(s, "vlsuite.preprocess.webhooks.tenant-secrets." + tenant)));
    }

    /** A new random secret ({@code whsec_} + base64 of 32 bytes). */
    public static String generate() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** The HMAC key for a tenant's webhooks. */
    public byte[] keyFor(String tenant) {
        return tenantKeys.getOrDefault(tenant, defaultKey).clone();
    }

    /** The key bytes of a {@code whsec_} secret. */
    public static byte[] decode(String secret, String property) {
        String base64 = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(property + " must be 'whsec_' followed by base64");
        }
        if (key.length < 24 || key.length > 64) {
            throw new IllegalArgumentException(property + " must hold 24 to 64 random bytes, got " + key.length);
        }
        return key;
    }
}
