package io.vlsuite.gateway.auth;

import io.vlsuite.gateway.config.ApiKeyProperties.ApiKey;
import io.vlsuite.gateway.problem.GatewayProblem;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiKeyStoreTest {

    static String sha(String key) {
        return HexFormat.of().formatHex(ApiKeyStore.sha256(key));
    }

    @Test
    void plaintextAndHashedKeysAuthenticateAsTheirTenant() {
        var store = new ApiKeyStore(List.of(
                new ApiKey(null, "plain-key", null, "a", false),
                new ApiKey("ci", null, sha("hashed-key"), "b", false)));
        assertThat(store.authenticate("plain-key")).isEqualTo(new Principal("a", sha("plain-key").substring(0, 8), Principal.Method.API_KEY));
        assertThat(store.authenticate("hashed-key").tenant()).isEqualTo("b");
        assertThat(store.authenticate("hashed-key").name()).isEqualTo("ci");
    }

    @Test
    void unknownAndRevokedKeysAreRefusedWithTheirCodes() {
        var store = new ApiKeyStore(List.of(new ApiKey(null, "old", null, "a", true)));
        assertThatThrownBy(() -> store.authenticate("nope")).isInstanceOf(GatewayProblem.class)
                .extracting(e -> ((GatewayProblem) e).code()).isEqualTo("invalid_api_key");
        assertThatThrownBy(() -> store.authenticate("old")).extracting(e -> ((GatewayProblem) e).code()).isEqualTo("api_key_revoked");
    }

    @Test
    void aRevocationInTheFileWinsOverTheSameKeyInConfiguration() {
        var store = new ApiKeyStore(List.of(new ApiKey(null, "k", null, "a", false)));
        store.replaceFileKeys(List.of(new ApiKey(null, null, sha("k"), "a", true)));
        assertThatThrownBy(() -> store.authenticate("k")).extracting(e -> ((GatewayProblem) e).code()).isEqualTo("api_key_revoked");
        store.replaceFileKeys(List.of());
        assertThat(store.authenticate("k").tenant()).isEqualTo("a");
    }

    @Test
    void aKeyWithBothOrNeitherSecretIsAConfigurationError() {
        assertThatThrownBy(() -> new ApiKeyStore(List.of(new ApiKey(null, "k", sha("k"), "a", false))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> new ApiKeyStore(List.of(new ApiKey(null, null, null, "a", false))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
