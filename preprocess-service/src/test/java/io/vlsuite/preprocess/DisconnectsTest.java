package io.vlsuite.preprocess;

import io.vlsuite.embedded.junit.EmbeddedInfraExtension;
import io.vlsuite.preprocess.support.FakeEngine;
import io.vlsuite.preprocess.support.ServiceInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client that goes away cancels its job: the worker gets a cancel command on the control topic. Streams notice a
 * failed write (keep-alive comments make that happen on quiet streams too); JSON requests on HTTP/2 notice the
 * stream reset, and on HTTP/1.1 a probe of the idle connection ({@code ClientConnectionProbe}).
 */
@ExtendWith(EmbeddedInfraExtension.class)
class DisconnectsTest {

    static ServiceInstance service;

    @BeforeAll
    static void start() {
        service = ServiceInstance.start("--vlsuite.preprocess.jobs.keep-alive=200ms");
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void aStreamingClientThatDisconnectsCancelsTheJob() throws Exception {
        String jobId;
        try (Socket socket = new Socket("127.0.0.1", service.port())) {
            send(socket, "{\"messages\":[{\"role\":\"user\",\"content\":\"hang\"}],\"stream\":true}");
            String head = readUntil(socket.getInputStream(), "chatcmpl-", 64);
            Matcher id = Pattern.compile("(chatcmpl-[0-9a-f]+)").matcher(head);
            assertThat(id.find()).isTrue();
            jobId = id.group(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> FakeEngine.get().job(jobId) != null);
            assertThat(FakeEngine.get().cancelled()).doesNotContain(jobId);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> FakeEngine.get().cancelled().contains(jobId));
    }

    @Test
    void aSyncHttp2ClientThatCancelsItsRequestCancelsTheJob() throws Exception {
        HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        // The first request upgrades the connection (h2c); the second runs as an HTTP/2 stream on it.
        assertThat(h2.send(HttpRequest.newBuilder(service.uri("/v1/models")).build(),
                HttpResponse.BodyHandlers.ofString()).version()).isEqualTo(HttpClient.Version.HTTP_2);
        int before = FakeEngine.get().jobs().size();
        var pending = h2.sendAsync(HttpRequest.newBuilder(service.uri("/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[{\"role\":\"user\",\"content\":\"hang h2\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(() -> FakeEngine.get().jobs().size() > before);
        String jobId = FakeEngine.get().jobs().get(before).jobId();
        pending.cancel(true);
        await().atMost(Duration.ofSeconds(10)).until(() -> FakeEngine.get().cancelled().contains(jobId));
    }

    @Test
    void aSyncHttp11ClientThatClosesItsIdleConnectionCancelsTheJob() throws Exception {
        int before = FakeEngine.get().jobs().size();
        try (Socket socket = new Socket("127.0.0.1", service.port())) {
            send(socket, "{\"messages\":[{\"role\":\"user\",\"content\":\"hang sync\"}]}");
            await().atMost(Duration.ofSeconds(10)).until(() -> FakeEngine.get().jobs().size() > before);
            Thread.sleep(700);   // the request is waiting in async mode now
        }
        String jobId = FakeEngine.get().jobs().get(before).jobId();
        await().atMost(Duration.ofSeconds(10)).until(() -> FakeEngine.get().cancelled().contains(jobId));
    }

    @Test
    void aSyncHttp11ClientThatStaysGetsItsAnswerOnTheSameConnection() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", service.port())) {
            for (int i = 0; i < 2; i++) {
                send(socket, "{\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}");
                String answer = readUntil(socket.getInputStream(), "\"total_tokens\":12}}", 0);
                assertThat(answer).startsWith("HTTP/1.1 200").contains("Hello world");
            }
        }
    }

    private static void send(Socket socket, String json) throws Exception {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    private static String readUntil(InputStream in, String marker, int extra) throws Exception {
        StringBuilder seen = new StringBuilder();
        int after = -1;
        for (int b; (b = in.read()) != -1; ) {
            seen.append((char) b);
            if (after < 0 && seen.indexOf(marker) >= 0) {
                after = 0;
            }
            if (after >= 0 && after++ >= extra) {
                break;
            }
        }
        return seen.toString();
    }
}
