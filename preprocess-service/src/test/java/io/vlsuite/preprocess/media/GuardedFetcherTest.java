package io.vlsuite.preprocess.media;

import io.vlsuite.preprocess.net.AddressPolicy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.OutputStream;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SSRF guard against real HTTP servers on loopback, which play the "internal service" that must stay unreached. */
class GuardedFetcherTest {

    private static final byte[] PAYLOAD = "0123456789".repeat(100).getBytes();

    /** The "internal" target on 127.0.0.1: the guard must never send it a request. */
    private static LoopbackServer internal;
    /** An "external" server on 127.0.0.2 that the allow-list opens in some tests. */
    private static LoopbackServer external;

    @BeforeAll
    static void start() {
        internal = LoopbackServer.start("127.0.0.1")
                .route("/", ex -> LoopbackServer.respond(ex, 200, "text/plain", "secret".getBytes()));
        external = LoopbackServer.start("127.0.0.2")
                .route("/ok", ex -> LoopbackServer.respond(ex, 200, "image/png", PAYLOAD))
                .route("/to-internal", ex -> LoopbackServer.redirect(ex, internal.url("/latest/meta-data/")))
                .route("/to-file", ex -> LoopbackServer.redirect(ex, "file:///etc/passwd"))
                .route("/loop", ex -> LoopbackServer.redirect(ex, "/loop"))
                .route("/hop", ex -> LoopbackServer.redirect(ex, "/ok"))
                .route("/huge-declared", ex -> {
                    ex.sendResponseHeaders(200, 10L << 30);
                    ex.getResponseBody().write(new byte[1024]);
                    ex.getResponseBody().flush();
                    sleep(3000); // keep the connection open: the client must give up on the header alone
                })
                .route("/endless", ex -> {
                    ex.sendResponseHeaders(200, 0); // chunked, no Content-Length
                    OutputStream out = ex.getResponseBody();
                    byte[] chunk = new byte[8192];
                    for (int i = 0; i < 1_000_000; i++) {
                        out.write(chunk);
                    }
                })
                .route("/slow", ex -> {
                    ex.sendResponseHeaders(200, 0);
                    OutputStream out = ex.getResponseBody();
                    for (int i = 0; i < 60; i++) {
                        out.write('x');
                        out.flush();
                        sleep(500);
                    }
                })
                .route("/silent", ex -> sleep(30_000))
                .route("/missing", ex -> LoopbackServer.respond(ex, 404, "text/plain", new byte[0]));
    }

    @AfterAll
    static void stop() {
        internal.close();
        external.close();
    }

    private static GuardedFetcher strict() {
        return new GuardedFetcher(new AddressPolicy(false, false, List.of()), 3, Duration.ofSeconds(2), "test");
    }

    /** Opens 127.0.0.2 only: the "external" server is reachable, the "internal" one on 127.0.0.1 is not. */
    private static GuardedFetcher externalAllowed(int maxRedirects) {
        return new GuardedFetcher(new AddressPolicy(false, false, List.of("127.0.0.2/32")), maxRedirects,
                Duration.ofSeconds(2), "test");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:%d/", "http://localhost:%d/", "http://[::1]:%d/",
            "http://[::ffff:127.0.0.1]:%d/", "http://[::ffff:7f00:1]:%d/", "http://2130706433:%d/",
            "http://0x7f.0.0.1:%d/", "http://127.1:%d/", "HTTP://LOCALHOST:%d/"})
    void loopbackInEveryNotationIsBlockedAndNeverContacted(String template) {
        int before = internal.requests();
        assertThatThrownBy(() -> strict().fetch(template.formatted(internal.port()), 1 << 20, Duration.ofSeconds(3)))
                .isInstanceOfSatisfying(MediaIntakeException.class, e -> {
                    assertThat(e.code()).isIn("media_url_blocked", "invalid_media_url", "media_fetch_failed");
                    assertThat(e.status()).isEqualTo(400);
                });
        assertThat(internal.requests()).isEqualTo(before);
    }

    @Test
    void canonicalLoopbackSpellingsAreBlockedAsSuch() {
        for (String url : List.of("http://127.0.0.1:%d/", "http://localhost:%d/", "http://[::1]:%d/",
                "http://[::ffff:127.0.0.1]:%d/", "http://2130706433:%d/")) {
            assertThatThrownBy(() -> strict().fetch(url.formatted(internal.port()), 1024, Duration.ofSeconds(3)))
                    .as(url).hasFieldOrPropertyWithValue("code", "media_url_blocked");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "http://172.16.5.4/",
            "http://192.168.0.1/", "http://100.64.0.1/", "http://[fd00::1]/", "http://[fe80::1]/", "http://0.0.0.0/",
            "http://[::ffff:169.254.169.254]/", "http://224.0.0.1/"})
    void internalRangesAreBlockedBeforeAnyConnection(String url) {
        assertThatThrownBy(() -> strict().fetch(url, 1024, Duration.ofSeconds(3)))
                .isInstanceOfSatisfying(MediaIntakeException.class, e -> {
                    assertThat(e.code()).isEqualTo("media_url_blocked");
                    assertThat(e.getMessage()).doesNotContain("169.254", "10.0.0.1");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:///etc/passwd", "file://localhost/etc/passwd#a.jpg", "/etc/passwd", "ftp://x/y",
            "gopher://127.0.0.1:6379/_INFO", "jar:http://x!/y", "javascript:alert(1)", "dict://127.0.0.1:11211/"})
    void onlyHttpSchemesAreFetched(String url) {
        assertThatThrownBy(() -> strict().fetch(url, 1024, Duration.ofSeconds(3)))
                .hasFieldOrPropertyWithValue("code", "media_url_scheme_not_allowed");
    }

    @Test
    void credentialsInUrlsAreRefused() {
        assertThatThrownBy(() -> externalAllowed(3).fetch("http://user:pw@127.0.0.2:" + external.port() + "/ok",
                1024, Duration.ofSeconds(3))).hasFieldOrPropertyWithValue("code", "invalid_media_url");
    }

    @Test
    void allowListedServerIsFetched() {
        assertThat(externalAllowed(3).fetch(external.url("/ok"), 1 << 20, Duration.ofSeconds(3)).bytes())
                .isEqualTo(PAYLOAD);
        assertThat(externalAllowed(3).fetch(external.url("/hop"), 1 << 20, Duration.ofSeconds(3)).bytes())
                .isEqualTo(PAYLOAD);
    }

    @Test
    void redirectToAnInternalAddressIsBlockedAndTheInternalServerSeesNothing() {
        int before = internal.requests();
        assertThatThrownBy(() -> externalAllowed(3).fetch(external.url("/to-internal"), 1 << 20, Duration.ofSeconds(3)))
                .hasFieldOrPropertyWithValue("code", "media_url_blocked");
        assertThat(internal.requests()).isEqualTo(before);
    }

    @Test
    void redirectToAnotherSchemeIsRefused() {
        assertThatThrownBy(() -> externalAllowed(3).fetch(external.url("/to-file"), 1 << 20, Duration.ofSeconds(3)))
                .hasFieldOrPropertyWithValue("code", "media_url_scheme_not_allowed");
    }

    @Test
    void redirectChainsStopAtTheLimit() {
        int before = external.requests();
        assertThatThrownBy(() -> externalAllowed(3).fetch(external.url("/loop"), 1 << 20, Duration.ofSeconds(3)))
                .isInstanceOfSatisfying(MediaIntakeException.class, e -> {
                    assertThat(e.code()).isEqualTo("too_many_redirects");
                    assertThat(e.status()).isEqualTo(400);
                });
        assertThat(external.requests() - before).isEqualTo(4);
        assertThatThrownBy(() -> externalAllowed(0).fetch(external.url("/hop"), 1 << 20, Duration.ofSeconds(3)))
                .hasFieldOrPropertyWithValue("code", "too_many_redirects");
    }

    @Test
    void declaredLengthOverTheCapIsRefusedWithoutReading() {
        assertThatThrownBy(() -> externalAllowed(3).fetch(external.url("/huge-declared"), 1 << 20, Duration.ofSeconds(3)))
                .isInstanceOfSatisfying(MediaIntakeException.class, e -> {
                    assertThat(e.code()).isEqualTo("media_too_large");
                    assertThat(e.status()).isEqualTo(413);
                });
    }

    @Test
    void bodyWithoutLengthIsCutOffAtTheCap() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> externalAllowed(3).fetch(external.url("/endless"), 1 << 20, Duration.ofSeconds(10)))
                .hasFieldOrPropertyWithValue("code", "media_too_large");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void slowAndSilentServersHitTheTotalDeadline() {
        for (String path : List.of("/slow", "/silent")) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> externalAllowed(3).fetch(external.url(path), 1 << 20, Duration.ofMillis(1500)))
                    .as(path)
                    .isInstanceOfSatisfying(MediaIntakeException.class, e -> {
                        assertThat(e.code()).isEqualTo("media_fetch_timeout");
                        assertThat(e.status()).isEqualTo(504);
                    });
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as(path).isLessThan(Duration.ofSeconds(4));
        }
    }

    @Test
    void errorStatusesAreReportedAsFetchFailures() {
        assertThatThrownBy(() -> externalAllowed(3).fetch(external.url("/missing"), 1024, Duration.ofSeconds(3)))
                .hasFieldOrPropertyWithValue("code", "media_fetch_failed");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
