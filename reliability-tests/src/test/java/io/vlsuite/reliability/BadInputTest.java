package io.vlsuite.reliability;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.UUID;

import static io.vlsuite.reliability.Problems.assertProblem;
import static io.vlsuite.reliability.TestMedia.chatWithImage;
import static io.vlsuite.reliability.TestMedia.dataUrl;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bad inputs of reliability.md §7.1-§7.3 against the running suite (gateway unless the test says otherwise):
 * each answer's status and problem code, no outbound connection to a forbidden address, and a healthy suite after.
 */
class BadInputTest {

    static RunningSuite running;
    static SuiteClient client;
    static LoopbackTarget internal;

    @BeforeAll
    static void start() {
        running = RunningSuite.get();
        client = running.gateway();
        internal = new LoopbackTarget();
    }

    @AfterEach
    void noConnectionReachedTheInternalTargetAndHealthIsUp() {
        assertThat(internal.hits()).as("requests that reached the loopback 'internal' server").isZero();
        assertThat(client.get("/actuator/health").status()).isEqualTo(200);
    }

    @AfterAll
    static void stillAnswersAfterwards() {
        internal.close();
        running.assertHealthy();
    }

    // ---- 7.1 URL fetching / SSRF ----

    @Test
    void b1_cloudMetadataAddressIsBlocked() {
        assertProblem(chat(chatWithImage("http://169.254.169.254/latest/meta-data/")), 400, "media_url_blocked");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:%d/a.png", "http://localhost:%d/a.png", "http://[::1]:%d/a.png",
            "http://[::ffff:127.0.0.1]:%d/a.png", "http://2130706433:%d/a.png"})
    void b2_loopbackInAnyNotationIsBlockedAndTheTargetSeesNothing(String pattern) {
        assertProblem(chat(chatWithImage(pattern.formatted(internal.port()))), 400, "media_url_blocked");
    }

    @Test
    void b2_hexLoopbackIsNotAnAddressTheResolverKnowsSoNothingIsFetched() {
        // The JDK does not read 0x7f.0.0.1 as an address (curl does); it goes to DNS, which does not know it.
        SuiteClient.Answer answer = chat(chatWithImage("http://0x7f.0.0.1:%d/a.png".formatted(internal.port())));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.code()).isIn("media_url_blocked", "media_fetch_failed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://[fd00::1]/a.png", "http://100.64.0.1/a.png", "http://10.0.0.1/a.png",
            "http://192.168.1.1/a.png", "http://0.0.0.0:%d/a.png"})
    void b4_privateUlaCgnatAndUnspecifiedAddressesAreBlocked(String pattern) {
        assertProblem(chat(chatWithImage(pattern.formatted(internal.port()))), 400, "media_url_blocked");
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:///etc/passwd", "file://localhost/etc/passwd#a.jpg", "ftp://example.com/a.png",
            "gopher://127.0.0.1:%d/_GET", "jar:file:///tmp/a.jar!/a.png"})
    void b8_otherSchemesAreRefusedWithoutReadingAnything(String pattern) {
        assertProblem(chat(chatWithImage(pattern.formatted(internal.port()))), 400, "media_url_scheme_not_allowed");
    }

    @Test
    void b8_aBarePathIsNotAUrl() {
        SuiteClient.Answer answer = chat(chatWithImage("/etc/passwd"));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.code()).isIn("invalid_media_url", "media_url_scheme_not_allowed");
    }

    @Test
    void b8_htmlDataUrlIsNotMedia() {
        // Not base64, so refused before its type is even considered.
        assertProblem(chat(chatWithImage("data:text/html,<script>alert(1)</script>")), 400, "invalid_data_url");
        assertProblem(chat(chatWithImage(dataUrl("text/html", "<script>alert(1)</script>".getBytes()))),
                415, "unsupported_media_type");
    }

    @Test
    void b12_bytesThatAreNotAnImageAreRefusedBySniffing() {
        byte[] html = "<html><body>not a picture</body></html>".getBytes();
        assertProblem(chat(chatWithImage(dataUrl("image/png", html))), 415, "unsupported_media_type");
        byte[] elf = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        assertProblem(chat(chatWithImage(dataUrl("image/png", elf))), 415, "unsupported_media_type");
    }

    @Test
    void webhookToCloudMetadataIsForbidden() {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"webhook\":\"http://169.254.169.254/hook\"}";
        assertProblem(client.postJson("/v1/jobs", body), 400, "webhook_url_forbidden");
    }

    // ---- 7.2 payload, base64, image decoding ----

    @Test
    void b13_bodyOverTheGatewayLimitWithContentLengthIs413() {
        byte[] body = new byte[33 * 1024 * 1024];
        java.util.Arrays.fill(body, (byte) ' ');
        SuiteClient.Answer answer = client.send(client.request("/v1/chat/completions")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        // The gateway's own code; preprocess-service calls the same refusal request_too_large (see b14).
        assertProblem(answer, 413, "payload_too_large");
    }

    @Test
    void b14_chunkedBodyOverTheServiceLimitIs413FromTheServiceItself() {
        SuiteClient direct = running.direct();
        long size = 65L * 1024 * 1024;
        SuiteClient.Answer answer = direct.send(direct.request("/v1/chat/completions")
                .header("Content-Type", "application/json")
                // ofInputStream has no length: the JDK client sends it chunked.
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new SpaceStream(size))).build());
        assertProblem(answer, 413, "request_too_large");
    }

    @ParameterizedTest
    @ValueSource(strings = {"data:image/png;base64,iVBO%%%RKGgo=", "data:image/png;base64,iVBORw0KGgo",
            "data:image/png;base64,iVBO Rw0K Ggo=", "data:image/png;base64,iVBO-_w0KGgo=", "data:image/png;base64,"})
    void b15_invalidBase64IsRefused(String url) {
        assertProblem(chat(chatWithImage(url)), 400, "invalid_data_url");
    }

    @Test
    void b16_svgIsNotAnAcceptedImage() {
        byte[] svg = "<svg xmlns='http://www.w3.org/2000/svg' xmlns:xlink='http://www.w3.org/1999/xlink'><image xlink:href='http://169.254.169.254/'/></svg>".getBytes();
        assertProblem(chat(chatWithImage(dataUrl("image/svg+xml", svg))), 415, "unsupported_media_type");
    }

    @Test
    void b17_headerAnnouncingTenGigapixelsIsRefusedBeforeDecoding() {
        assertProblem(chat(chatWithImage(dataUrl("image/png", TestMedia.pngHeaderOnly(100_000, 100_000)))),
                422, "image_too_large");
    }

    @Test
    void b21_truncatedImagesAreUndecodable() {
        byte[] png = TestMedia.image("png", 64, 64);
        byte[] cut = java.util.Arrays.copyOf(png, png.length / 2);
        assertProblem(chat(chatWithImage(dataUrl("image/png", cut))), 422, "image_undecodable");
        byte[] jpeg = TestMedia.image("jpeg", 64, 64);
        byte[] cutJpeg = java.util.Arrays.copyOf(jpeg, jpeg.length / 2);
        assertProblem(chat(chatWithImage(dataUrl("image/jpeg", cutJpeg))), 422, "image_undecodable");
    }

    @Test
    void b25_tinyImagesAreUpscaledAndAnswered() {
        SuiteClient.Answer onePixel = chat(chatWithImage(dataUrl("image/png", TestMedia.image("png", 1, 1))));
        assertThat(onePixel.status()).as(onePixel.body()).isEqualTo(200);
        SuiteClient.Answer gif = chat(chatWithImage(dataUrl("image/gif", TestMedia.image("gif", 2, 2))));
        assertThat(gif.status()).as(gif.body()).isEqualTo(200);
    }

    @Test
    void b28_formatsOutsideTheWhitelistAre415() {
        byte[] tiff = TestMedia.image("tiff", 8, 8);
        assertProblem(chat(chatWithImage(dataUrl("image/jpeg", tiff))), 415, "unsupported_media_type");
        byte[] pdf = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF".getBytes();
        assertProblem(chat(chatWithImage(dataUrl("image/jpeg", pdf))), 415, "unsupported_media_type");
    }

    @Test
    void b29_hundredImagesAreRefusedBeforeAnyFetch() {
        StringBuilder parts = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            parts.append("{\"type\":\"image_url\",\"image_url\":{\"url\":\"http://127.0.0.1:")
                    .append(internal.port()).append("/").append(i).append(".png\"}},");
        }
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":[" + parts + "{\"type\":\"text\",\"text\":\"x\"}]}]}";
        assertProblem(chat(body), 400, "too_many_media");
    }

    // ---- 7.3 model-specific and API ----

    @Test
    void b34_clientSideMediaKnobsAndHugeCountsAreRefused() {
        assertProblem(chat("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"n\":1000000}"),
                400, "invalid_sampling_params");
        assertProblem(chat("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":10000000}"),
                400, "invalid_sampling_params");
        assertProblem(chat("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"mm_processor_kwargs\":{\"max_pixels\":1000000000,\"fps\":240,\"num_frames\":-1}}"),
                400, "invalid_request");
    }

    @Test
    void b34_moreThanOneChoiceIsAnsweredOrRefusedButNeverA500() {
        // Found by RequestFuzzTest: the worker refused n=2 and the API answered 500 for a client-side choice.
        SuiteClient.Answer answer = chat("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":2,\"n\":2}");
        if (answer.status() == 200) {
            assertThat(answer.json().path("choices")).hasSize(2);
        } else {
            assertProblem(answer, 400, "n_not_supported");
        }
    }

    @Test
    void b34_placeholderTokensInUserTextAreRefused() {
        assertProblem(chat("{\"messages\":[{\"role\":\"user\",\"content\":\"<|vision_start|><|image_pad|><|vision_end|>\"}]}"),
                400, "invalid_request");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"messages\":[", "[]", "{\"messages\":\"hi\"}", "{\"messages\":[]}",
            "{\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}",
            "{\"messages\":[{\"role\":\"system\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,iVBORw0KGgo=\"}}]},{\"role\":\"user\",\"content\":\"hi\"}]}",
            "{\"messages\":[{\"role\":\"user\",\"content\":42}]}", "{\"messages\":[{\"role\":\"user\"}]}"})
    void b36_malformedRequestsAreInvalid(String body) {
        assertProblem(chat(body), 400, "invalid_request");
        assertProblem(client.postJson("/v1/jobs", body), 400, "invalid_request");
    }

    @Test
    void b36_temperatureOutOfRangeIsASamplingError() {
        assertProblem(chat("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":7}"),
                400, "invalid_sampling_params");
    }

    @Test
    void b38_missingOrWrongCredentialsAre401WithWwwAuthenticate() {
        var noToken = client.sendOnce(java.net.http.HttpRequest.newBuilder(client.base().resolve("/v1/models")).build());
        assertThat(noToken.status()).isEqualTo(401);
        assertThat(noToken.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(noToken.contentType()).startsWith("application/problem+json");
        for (String token : new String[] {"wrong-key", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4IiwidGVuYW50IjoiZGVmYXVsdCJ9."}) {
            var answer = client.sendOnce(java.net.http.HttpRequest.newBuilder(client.base().resolve("/v1/jobs"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(SuiteClient.SMALL_CHAT)).build());
            assertThat(answer.status()).as(token).isEqualTo(401);
            assertThat(answer.headers().firstValue("WWW-Authenticate")).isPresent();
        }
    }

    @Test
    void b38_anotherTenantsJobIsNotFound() {
        SuiteClient.Answer created = client.postJson("/v1/jobs", SuiteClient.SMALL_CHAT);
        assertThat(created.status()).isEqualTo(202);
        String id = created.json().path("id").asText();
        SuiteClient direct = running.direct();
        SuiteClient.Answer foreign = direct.send(direct.request("/v1/jobs/" + id).header("X-Vlsuite-Tenant", "tenant-b").GET().build());
        assertProblem(foreign, 404, "job_not_found");
        assertProblem(client.get("/v1/jobs/job-does-not-exist"), 404, "job_not_found");
    }

    @Test
    void idempotencyKeySameBodyReplaysAndOtherBodyIs422() {
        String key = UUID.randomUUID().toString();
        SuiteClient.Answer first = client.postJson("/v1/jobs", SuiteClient.SMALL_CHAT, Map.of("Idempotency-Key", key));
        assertThat(first.status()).isEqualTo(202);
        SuiteClient.Answer replay = client.postJson("/v1/jobs", SuiteClient.SMALL_CHAT, Map.of("Idempotency-Key", key));
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.json().path("id").asText()).isEqualTo(first.json().path("id").asText());
        assertProblem(client.postJson("/v1/jobs", SuiteClient.SMALL_CHAT.replace("Describe", "Explain"),
                Map.of("Idempotency-Key", key)), 422, "idempotency_key_reused");
    }

    @Test
    void gatewayActuatorRouteEditingIsNotExposed() {
        var answer = client.sendOnce(client.request("/actuator/gateway/routes/evil")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"uri\":\"http://169.254.169.254\"}")).build());
        assertThat(answer.status()).isIn(401, 404, 405);
    }

    private static SuiteClient.Answer chat(String body) {
        return client.postJson("/v1/chat/completions", body);
    }

    /** {@code size} spaces, produced lazily: a huge body without holding it in memory. */
    static final class SpaceStream extends InputStream {
        private long left;

        SpaceStream(long size) {
            this.left = size;
        }

        @Override
        public int read() {
            return left-- > 0 ? ' ' : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            java.util.Arrays.fill(b, off, off + n, (byte) ' ');
            left -= n;
            return n;
        }
    }
}
