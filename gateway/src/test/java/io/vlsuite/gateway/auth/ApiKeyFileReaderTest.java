package io.vlsuite.gateway.auth;

import io.vlsuite.gateway.config.ApiKeyProperties.ApiKey;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiKeyFileReaderTest {

    static final String SHA = "a".repeat(64);

    @Test
    void readsYamlWithAnApiKeysList() {
        var keys = ApiKeyFileReader.parse("""
                api-keys:
                  - id: ci
                    key-sha256: %s
                    tenant: acme
                  - key: plain
                    tenant: other
                    revoked: true
                """.formatted(SHA));
        assertThat(keys).containsExactly(new ApiKey("ci", null, SHA, "acme", false), new ApiKey(null, "plain", null, "other", true));
    }

    @Test
    void readsAJsonArray() {
        var keys = ApiKeyFileReader.parse("[{\"keySha256\": \"%s\", \"tenant\": \"acme\", \"revoked\": false}]".formatted(SHA));
        assertThat(keys).containsExactly(new ApiKey(null, null, SHA, "acme", false));
    }

    @Test
    void anEmptyListHasNoKeysButAnEmptyFileIsRefused() {
        assertThat(ApiKeyFileReader.parse("[]")).isEmpty();
        assertThat(ApiKeyFileReader.parse("api-keys: []")).isEmpty();
        // A file caught mid-write is empty: it must not revoke every key.
        assertThatThrownBy(() -> ApiKeyFileReader.parse("  \n")).hasMessageContaining("empty");
    }

    @Test
    void rejectsBadEntriesWithoutEchoingSecrets() {
        assertThatThrownBy(() -> ApiKeyFileReader.parse("[{key: s3cret, tenant: 'bad tenant'}]"))
                .hasMessageContaining("tenant").hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> ApiKeyFileReader.parse("[{key-sha256: abc, tenant: t}]")).hasMessageContaining("64 hex");
        assertThatThrownBy(() -> ApiKeyFileReader.parse("[{tenant: t}]")).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> ApiKeyFileReader.parse("api-keys: [ {key: s3cret-in-broken-yaml, tenant: "))
                .hasMessageContaining("line").hasMessageNotContaining("s3cret");
    }
}
