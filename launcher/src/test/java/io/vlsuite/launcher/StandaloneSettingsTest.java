package io.vlsuite.launcher;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StandaloneSettingsTest {

    @Test
    void defaultsMatchTheDocumentedPortsAndGenerateAnApiKey() {
        var s = StandaloneSettings.from(Map.of(), new Properties());
        assertThat(s.gatewayPort()).isEqualTo(8080);
        assertThat(s.kafkaPort()).isEqualTo(9092);
        assertThat(s.s3Port()).isEqualTo(9000);
        assertThat(s.dataDir()).isEqualTo(Path.of("data").toAbsolutePath());
        assertThat(s.apiKeyGenerated()).isTrue();
        assertThat(s.apiKey()).matches("vls-[0-9a-f]{48}");
        assertThat(StandaloneSettings.from(Map.of(), new Properties()).apiKey()).isNotEqualTo(s.apiKey());
        assertThat(s.webhookSecretGenerated()).isTrue();
        assertThat(s.webhookSecret()).startsWith("whsec_");
        assertThat(java.util.Base64.getDecoder().decode(s.webhookSecret().substring(6))).hasSize(32);
    }

    @Test
    void environmentAndSystemPropertiesOverrideDefaults() {
        var sys = new Properties();
        sys.setProperty("VLSUITE_PORT", "9999");
        var s = StandaloneSettings.from(Map.of("VLSUITE_PORT", "7000", "VLSUITE_DATA_DIR", "/tmp/x",
                "VLSUITE_API_KEY", "secret", "VLSUITE_MODEL_DIR", "/models/qwen2-vl-2b"), sys);
        assertThat(s.gatewayPort()).isEqualTo(9999);
        assertThat(s.dataDir()).isEqualTo(Path.of("/tmp/x"));
        assertThat(s.apiKey()).isEqualTo("secret");
        assertThat(s.apiKeyGenerated()).isFalse();
        assertThat(s.modelDir()).contains(Path.of("/models/qwen2-vl-2b"));
    }

    @Test
    void aWebhookSecretMustUseTheStandardWebhooksFormat() {
        assertThatThrownBy(() -> StandaloneSettings.from(Map.of("VLSUITE_WEBHOOK_SECRET", "hunter2"), new Properties()))
                .hasMessage("VLSUITE_WEBHOOK_SECRET must look like whsec_<base64>");
        var s = StandaloneSettings.from(Map.of("VLSUITE_WEBHOOK_SECRET", "whsec_c2VjcmV0"), new Properties());
        assertThat(s.webhookSecret()).isEqualTo("whsec_c2VjcmV0");
        assertThat(s.webhookSecretGenerated()).isFalse();
    }

    @Test
    void aBadPortIsAClearError() {
        assertThatThrownBy(() -> StandaloneSettings.from(Map.of("VLSUITE_S3_PORT", "ninety"), new Properties()))
                .hasMessage("VLSUITE_S3_PORT must be a port number between 0 and 65535, not 'ninety'");
    }
}
