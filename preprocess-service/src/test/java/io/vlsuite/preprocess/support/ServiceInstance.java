package io.vlsuite.preprocess.support;

import io.vlsuite.preprocess.PreprocessServiceApplication;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** One running preprocess-service (its own Spring context and port) and an HTTP/1.1 client for it. */
public final class ServiceInstance implements AutoCloseable {

    public static final String TENANT_HEADER = "X-Vlsuite-Tenant";

    private final ConfigurableApplicationContext context;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private ServiceInstance(ConfigurableApplicationContext context) {
        this.context = context;
    }

    public static ServiceInstance start(String... extraArgs) {
        FakeEngine.get();
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--logging.structured.format.console=",
                "--vlsuite.preprocess.webhooks.allow-loopback=true",
                "--vlsuite.preprocess.webhooks.secret=" + TestSecrets.WEBHOOK_SECRET));
        args.addAll(List.of(extraArgs));
        return new ServiceInstance(PreprocessServiceApplication.builder().sources(DataUrlPngIntake.Config.class)
                .run(args.toArray(String[]::new)));
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    public int port() {
        return Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    public HttpResponse<String> post(String path, String json, String... headers) throws Exception {
        var builder = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String path, String... headers) throws Exception {
        var builder = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60)).GET();
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        context.close();
    }
}
