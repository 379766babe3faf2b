package io.vlsuite.gateway.support;

import io.vlsuite.gateway.GatewayApplication;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/** The real gateway application on an ephemeral loopback port, in front of a given downstream URI. */
public final class TestGateway implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ConfigurableApplicationContext context;

    private TestGateway(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /** Starts the gateway; {@code properties} are {@code name=value} pairs. */
    public static TestGateway start(URI downstream, String... properties) {
        List<String> args = new ArrayList<>(List.of("--server.port=0",
                "--vlsuite.gateway.preprocess-uri=" + downstream,
                "--logging.structured.format.console="));
        for (String p : properties) {
            args.add("--" + p);
        }
        return new TestGateway(GatewayApplication.builder().run(args.toArray(String[]::new)));
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port") + path);
    }

    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path));
    }

    public HttpResponse<String> send(HttpRequest.Builder request) {
        try (HttpClient http = http()) {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder request = request(path);
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request);
    }

    /**
     * A client with its own connection. Tests do not reuse keep-alive connections: reactor-netty 1.3.6 has a
     * keep-alive race (reactor/reactor-netty#4188, #4361) in which a request on a reused connection is sometimes
     * never read; it happens with the bare gateway too (see docs/gateway.md, "Known issues").
     */
    public HttpClient http() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /** The Prometheus scrape, for metric assertions. */
    public String metrics() {
        return get("/actuator/prometheus").body();
    }

    public static JsonNode json(String body) {
        return JSON.readTree(body);
    }

    @Override
    public void close() {
        context.close();
    }
}
