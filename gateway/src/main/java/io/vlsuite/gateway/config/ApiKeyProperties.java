package io.vlsuite.gateway.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * API keys ({@code vlsuite.gateway.api-keys[i].*}) and the optional mounted key file.
 *
 * @param apiKeys               keys from configuration
 * @param apiKeysFile           a JSON or YAML file of keys (for example a mounted secret), merged with
 *                              {@code api-keys}; re-read every {@code api-keys-file-check-interval}
 * @param apiKeysFileCheckInterval how often the file is checked for changes
 */
@Validated
@ConfigurationProperties("vlsuite.gateway")
public record ApiKeyProperties(
        @DefaultValue List<@Valid ApiKey> apiKeys,
        Path apiKeysFile,
        @DefaultValue("10s") @NotNull Duration apiKeysFileCheckInterval) {

    /**
     * One key. Exactly one of {@code key} (plaintext, hashed at load and then dropped) and {@code keySha256} (the
     * lowercase or uppercase hex SHA-256 of the key's UTF-8 bytes) is set.
     *
     * @param id        a name for logs and metrics (defaults to the first 8 hex digits of the hash)
     * @param key       the plaintext key
     * @param keySha256 SHA-256 of the key, 64 hex digits
     * @param tenant    the tenant the key authenticates as
     * @param revoked   true to reject the key with {@code api_key_revoked}
     */
    public record ApiKey(
            String id,
            String key,
            @Pattern(regexp = "[0-9a-fA-F]{64}", message = "must be 64 hex digits (SHA-256)") String keySha256,
            @NotBlank @Pattern(regexp = Tenants.PATTERN, message = "must match " + Tenants.PATTERN) String tenant,
            boolean revoked) {

        @AssertTrue(message = "set exactly one of 'key' and 'key-sha256'")
        public boolean isExactlyOneSecret() {
            return (key != null && !key.isEmpty()) != (keySha256 != null && !keySha256.isEmpty());
        }
    }
}
