package io.vlsuite.examples;

import io.vlsuite.examples.http.WebhookVerifier;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The verifier against the Standard Webhooks reference vector and the ways a forged delivery differs. */
class WebhookVerifierTest {

    // From the Standard Webhooks reference libraries' tests.
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    static final String TIMESTAMP = "1614265330";
    static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    static final Instant AT = Instant.ofEpochSecond(Long.parseLong(TIMESTAMP) + 10);

    final WebhookVerifier verifier = new WebhookVerifier(SECRET);

    @Test
    void acceptsTheReferenceSignatureAlsoAmongOthers() {
        assertThatCode(() -> verifier.verify(ID, TIMESTAMP, SIGNATURE, BODY, AT)).doesNotThrowAnyException();
        assertThatCode(() -> verifier.verify(ID, TIMESTAMP, "v1,Zm9v " + SIGNATURE, BODY, AT)).doesNotThrowAnyException();
    }

    @Test
    void refusesAChangedBodyIdOrTimestamp() {
        byte[] changed = "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> verifier.verify(ID, TIMESTAMP, SIGNATURE, changed, AT))
                .isInstanceOf(WebhookVerifier.InvalidWebhookException.class).hasMessage("no v1 signature matches");
        assertThatThrownBy(() -> verifier.verify("msg_other", TIMESTAMP, SIGNATURE, BODY, AT))
                .isInstanceOf(WebhookVerifier.InvalidWebhookException.class);
        assertThatThrownBy(() -> verifier.verify(ID, "1614265331", SIGNATURE, BODY, AT))
                .isInstanceOf(WebhookVerifier.InvalidWebhookException.class);
    }

    @Test
    void refusesAnotherSecretsSignatureAndOtherSchemes() {
        var other = new WebhookVerifier("whsec_" + Base64.getEncoder().encodeToString(new byte[32]));
        assertThatThrownBy(() -> other.verify(ID, TIMESTAMP, SIGNATURE, BODY, AT))
                .isInstanceOf(WebhookVerifier.InvalidWebhookException.class);
        assertThatThrownBy(() -> verifier.verify(ID, TIMESTAMP, SIGNATURE.replace("v1,", "v1a,"), BODY, AT))
                .isInstanceOf(WebhookVerifier.InvalidWebhookException.class);
    }

    @Test
    void refusesOldAndFutureTimestampsAndMissingHeaders() {
        Instant muchLater = AT.plusSeconds(600);
        assertThatThrownBy(() -> verifier.verify(ID, TIMESTAMP, SIGNATURE, BODY, muchLater))
                .hasMessageContaining("outside the tolerance");
        Instant muchEarlier = AT.minusSeconds(600);
        assertThatThrownBy(() -> verifier.verify(ID, TIMESTAMP, SIGNATURE, BODY, muchEarlier))
                .hasMessageContaining("outside the tolerance");
        assertThatThrownBy(() -> verifier.verify(ID, TIMESTAMP, null, BODY, AT)).hasMessageContaining("missing");
    }
}
