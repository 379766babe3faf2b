package io.vlsuite.gateway.problem;

import io.micrometer.core.instrument.MeterRegistry;
import io.vlsuite.gateway.config.GatewayProperties;
import io.vlsuite.gateway.web.RequestIdFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders every error the gateway answers itself as RFC 9457 {@code application/problem+json}, with a stable
 * {@code code}. Runs before Boot's default handler (order -1), so no Boot error page or stack trace leaks out.
 */
@Component
@Order(-2)
public class ProblemExceptionHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemExceptionHandler.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ProblemClassifier classifier;
    private final URI typeBase;
    private final MeterRegistry meters;

    public ProblemExceptionHandler(ProblemClassifier classifier, GatewayProperties properties, MeterRegistry meters) {
        this.classifier = classifier;
        this.typeBase = properties.problemTypeBase();
        this.meters = meters;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            // Too late for a status: let the server abort the connection (a truncated stream tells the client).
            return Mono.error(error);
        }
        String path = exchange.getRequest().getPath().value();
        GatewayProblem problem = classifier.classify(error, path);
        String requestId = response.getHeaders().getFirst(RequestIdFilter.HEADER);
        // One counter for every answer the gateway gives itself: alert on upstream_unavailable, invalid_token, ...
        meters.counter("vlsuite.gateway.problems", "code", problem.code(),
                "status", Integer.toString(problem.status().value())).increment();
        if (problem.code().equals("internal_error")) {
            log.error("{} {} -> 500 (requestId={})", exchange.getRequest().getMethod(), path, requestId, error);
        } else if (problem.status().is5xxServerError()) {
            // Expected outages (refused connections, timeouts): one line, no stack trace per request.
            log.warn("{} {} -> {} {} (requestId={}): {}", exchange.getRequest().getMethod(), path,
                    problem.status().value(), problem.code(), requestId, error);
        } else {
            log.debug("{} {} -> {} {} (requestId={})", exchange.getRequest().getMethod(), path,
                    problem.status().value(), problem.code(), requestId);
        }

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", typeBase.resolve(problem.code()).toString());
        body.put("title", problem.title());
        body.put("status", problem.status().value());
        body.put("detail", problem.detail());
        body.put("instance", path);
        body.put("code", problem.code());
        if (requestId != null) {
            body.put("requestId", requestId);
        }
        byte[] bytes = JSON.writeValueAsBytes(body);

        response.setStatusCode(problem.status());
        HttpHeaders headers = response.getHeaders();
        problem.headers().forEach(headers::put);
        headers.remove(HttpHeaders.TRANSFER_ENCODING);
        headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        headers.setContentLength(bytes.length);
        headers.setCacheControl("no-store");
        DataBuffer buffer = response.bufferFactory().wrap(bytes);
        return response.writeWith(Mono.just(buffer));
    }
}
