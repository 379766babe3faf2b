package io.vlsuite.media.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.xml.parsers.DocumentBuilderFactory;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vlsuite.media.BucketLayout;
import io.vlsuite.media.MediaStoreException;
import io.vlsuite.media.embedded.EmbeddedS3Config;
import io.vlsuite.media.embedded.EmbeddedS3Server;
import io.vlsuite.media.s3.OperationObserver;
import io.vlsuite.media.s3.S3ObjectStorage;
import io.vlsuite.media.s3.StorageSettings;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * S3Proxy does not implement bucket lifecycle, so the rules are checked twice: against S3Proxy (start-up must
 * tolerate the refusal and report it) and against a minimal lifecycle-capable endpoint that records the XML it
 * receives, to check what would reach MinIO or S3.
 */
class LifecycleApplyTest {

    @Test
    void s3ProxyRefusesLifecycleAndStartUpReportsItInsteadOfFailing() {
        try (EmbeddedS3Server server = EmbeddedS3Server.start(EmbeddedS3Config.transientOnRandomPort());
             S3ObjectStorage storage = S3ObjectStorage.create(
                     StorageSettings.of(server.endpoint(), server.accessKey(), server.secretKey()), OperationObserver.NOOP)) {
            StorageBootstrap bootstrap = new StorageBootstrap(storage, BucketLayout.DEFAULTS,
                    LifecyclePlan.of(BucketLayout.DEFAULTS, RetentionPolicy.DEFAULTS), true);

            Map<String, LifecycleState> states = bootstrap.run();

            assertThat(storage.bucketExists("vlsuite-media")).isTrue();
            assertThat(storage.bucketExists("vlsuite-jobs")).isTrue();
            assertThat(states).containsOnlyKeys("vlsuite-media", "vlsuite-jobs");
            assertThat(states.values()).allSatisfy(s -> {
                assertThat(s.outcome()).isEqualTo(LifecycleState.Outcome.UNSUPPORTED);
                assertThat(s.detail()).contains("NotImplemented");
            });
            // Not only reading: writing a lifecycle configuration is refused the same way.
            assertThatThrownBy(() -> storage.setLifecycle("vlsuite-media",
                    bootstrap.plan().configurationFor("vlsuite-media", null)))
                    .isInstanceOf(MediaStoreException.Unsupported.class)
                    .extracting(e -> ((MediaStoreException) e).code()).isEqualTo("storage_unsupported");
        }
    }

    @Test
    void theRulesSentToALifecycleCapableServerMatchTheRetentionAndKeepOperatorRules() throws Exception {
        FakeLifecycleEndpoint endpoint = new FakeLifecycleEndpoint();
        endpoint.lifecycle.put("vlsuite-media", """
                <LifecycleConfiguration><Rule><ID>ops-audit-logs</ID><Status>Enabled</Status>
                <Filter><Prefix>audit/</Prefix></Filter><Expiration><Days>90</Days></Expiration></Rule>
                </LifecycleConfiguration>""");
        try (S3ObjectStorage storage = S3ObjectStorage.create(
                StorageSettings.of(endpoint.uri(), "k", "s"), OperationObserver.NOOP)) {
            StorageBootstrap bootstrap = new StorageBootstrap(storage, BucketLayout.DEFAULTS,
                    LifecyclePlan.of(BucketLayout.DEFAULTS, new RetentionPolicy(7, 30, 1, 1)), true);

            Map<String, LifecycleState> states = bootstrap.applyLifecycle();

            assertThat(states.values()).extracting(LifecycleState::outcome)
                    .containsOnly(LifecycleState.Outcome.APPLIED);
            assertThat(rules(endpoint.lifecycle.get("vlsuite-media"))).containsExactly(
                    "ops-audit-logs prefix=audit/ days=90",
                    "vlsuite-media-expiry prefix=media/ days=7",
                    "vlsuite-video-expiry prefix=video/ days=7",
                    "vlsuite-tmp-expiry prefix=tmp/ days=1",
                    "vlsuite-abort-incomplete-uploads prefix= abort=1");
            assertThat(rules(endpoint.lifecycle.get("vlsuite-jobs"))).containsExactly(
                    "vlsuite-jobs-expiry prefix=jobs/ days=30",
                    "vlsuite-abort-incomplete-uploads prefix= abort=1");

            // Applying again (the next start) converges instead of piling up rules.
            bootstrap.applyLifecycle();
            assertThat(rules(endpoint.lifecycle.get("vlsuite-media"))).hasSize(5);
        } finally {
            endpoint.stop();
        }
    }

    @Test
    void lifecycleManagementCanBeSwitchedOff() {
        FakeLifecycleEndpoint endpoint = new FakeLifecycleEndpoint();
        try (S3ObjectStorage storage = S3ObjectStorage.create(StorageSettings.of(endpoint.uri(), "k", "s"),
                OperationObserver.NOOP)) {
            Map<String, LifecycleState> states = new StorageBootstrap(storage, BucketLayout.DEFAULTS,
                    LifecyclePlan.of(BucketLayout.DEFAULTS, RetentionPolicy.DEFAULTS), false).applyLifecycle();
            assertThat(states.values()).extracting(LifecycleState::outcome).containsOnly(LifecycleState.Outcome.DISABLED);
            assertThat(endpoint.lifecycle).isEmpty();
        } finally {
            endpoint.stop();
        }
    }

    /** "id prefix=.. days=.." or "id prefix=.. abort=.." per rule, in document order. */
    private static List<String> rules(String xml) throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        NodeList ruleNodes = doc.getElementsByTagName("Rule");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < ruleNodes.getLength(); i++) {
            Element rule = (Element) ruleNodes.item(i);
            String id = text(rule, "ID");
            String prefix = text(rule, "Prefix");
            String days = text((Element) rule.getElementsByTagName("Expiration").item(0), "Days");
            String abort = text(rule, "DaysAfterInitiation");
            assertThat(text(rule, "Status")).isEqualTo("Enabled");
            out.add(id + " prefix=" + (prefix == null ? "" : prefix)
                    + (days != null ? " days=" + days : "") + (abort != null ? " abort=" + abort : ""));
        }
        return out;
    }

    private static String text(Element parent, String tag) {
        if (parent == null) {
            return null;
        }
        NodeList nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent();
    }

    /** Just enough of the S3 bucket API for lifecycle: HEAD bucket and GET/PUT {@code ?lifecycle}. */
    static final class FakeLifecycleEndpoint {
        final Map<String, String> lifecycle = new ConcurrentHashMap<>();
        private final HttpServer server;

        FakeLifecycleEndpoint() {
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            server.createContext("/", this::handle);
            server.start();
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        void stop() {
            server.stop(0);
        }

        private void handle(HttpExchange ex) throws IOException {
            String bucket = ex.getRequestURI().getPath().replaceAll("^/|/$", "");
            String query = ex.getRequestURI().getQuery();
            byte[] body = ex.getRequestBody().readAllBytes();
            if (query != null && query.startsWith("lifecycle") && "PUT".equals(ex.getRequestMethod())) {
                lifecycle.put(bucket, new String(body, StandardCharsets.UTF_8));
                reply(ex, 200, "");
            } else if (query != null && query.startsWith("lifecycle") && lifecycle.containsKey(bucket)) {
                reply(ex, 200, lifecycle.get(bucket));
            } else if (query != null && query.startsWith("lifecycle")) {
                reply(ex, 404, "<Error><Code>NoSuchLifecycleConfiguration</Code><Message>none</Message></Error>");
            } else {
                reply(ex, 200, "");
            }
        }

        private static void reply(HttpExchange ex, int status, String xml) throws IOException {
            byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/xml");
            ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                ex.getResponseBody().write(bytes);
            }
            ex.close();
        }
    }
}
