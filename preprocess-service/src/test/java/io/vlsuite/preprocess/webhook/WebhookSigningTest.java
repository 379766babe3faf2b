package io.vlsuite.preprocess.webhook;

import io.vlsuite.preprocess.config.PreprocessProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookSigningTest {

    @Test
    void signsTheStandardWebhooksReferenceVector() {
        byte[] key = WebhookSecrets.decode("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "secret");
        String signature = WebhookSigner.sign(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L,
                "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8));
        assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void tenantsWithTheirOwnSecretGetItAndOthersTheDefault() {
        String acme = WebhookSecrets.generate();
        String fallback = WebhookSecrets.generate();
        var source = new MapConfigurationPropertySource(Map.of("vlsuite.preprocess.model-id", "m",
                "vlsuite.preprocess.webhooks.secret", fallback,
                "vlsuite.preprocess.webhooks.tenant-secrets.acme", acme));
        var secrets = new WebhookSecrets(new Binder(source).bind("vlsuite.preprocess", PreprocessProperties.class).get());
        assertThat(secrets.keyFor("acme")).isEqualTo(WebhookSecrets.decode(acme, "a"));
        assertThat(secrets.keyFor("other")).isEqualTo(WebhookSecrets.decode(fallback, "f"));
    }

    @Test
    void withoutASecretOneIsGeneratedForTheRun() {
        var source = new MapConfigurationPropertySource(Map.of("vlsuite.preprocess.model-id", "m"));
        var secrets = new WebhookSecrets(new Binder(source).bind("vlsuite.preprocess", PreprocessProperties.class).get());
        assertThat(secrets.keyFor("default")).hasSize(32);
    }

    @Test
    void generatedSecretsAreWhsecWith32RandomBytes() {
        String a = WebhookSecrets.generate();
        assertThat(a).startsWith("whsec_").isNotEqualTo(WebhookSecrets.generate());
        assertThat(WebhookSecrets.decode(a, "secret")).hasSize(32);
    }

    @Test
    void refusesSecretsThatAreNotBase64OrTooShort() {
        assertThatThrownBy(() -> WebhookSecrets.decode("whsec_not base64!", "vlsuite.preprocess.webhooks.secret"))
                .hasMessageContaining("vlsuite.preprocess.webhooks.secret");
        assertThatThrownBy(() -> WebhookSecrets.decode("whsec_AAAA", "p")).hasMessageContaining("24 to 64");
    }
}
