package io.vlsuite.gateway.problem;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * Turns whatever went wrong while handling a request into the gateway problem the client sees. The circuit
 * breaker asks the same question ({@link #isUpstreamFailure}) to decide which errors count against the downstream.
 */
public final class ProblemClassifier {

    private final Duration upstreamRetryAfter;

    public ProblemClassifier(Duration upstreamRetryAfter) {
        this.upstreamRetryAfter = upstreamRetryAfter;
    }

    public GatewayProblem classify(Throwable error, String path) {
        GatewayProblem own = find(error, GatewayProblem.class);
        if (own != null) {
            return own;
        }
        if (find(error, ConnectException.class) != null) {
            // Refused or timed-out connects: the downstream is down or unreachable, which is worth a retry later.
            return Problems.upstreamUnavailable("The API service cannot be reached.", upstreamRetryAfter);
        }
        if (error instanceof ResponseStatusException rse) {
            HttpStatus status = HttpStatus.resolve(rse.getStatusCode().value());
            if (status == HttpStatus.GATEWAY_TIMEOUT || find(error, TimeoutException.class) != null) {
                return Problems.upstreamTimeout("The API service did not answer in time.");
            }
            if (status == HttpStatus.NOT_FOUND) {
                return Problems.notFound(path);
            }
            if (status == HttpStatus.CONTENT_TOO_LARGE) {
                return new GatewayProblem(status, "payload_too_large", "Request too large", reasonOf(rse, status));
            }
            if (status != null) {
                return new GatewayProblem(status, codeOf(status), status.getReasonPhrase(), reasonOf(rse, status));
            }
        }
        if (find(error, TimeoutException.class) != null) {
            return Problems.upstreamTimeout("The API service did not answer in time.");
        }
        if (find(error, IOException.class) != null) {
            return new GatewayProblem(HttpStatus.BAD_GATEWAY, "upstream_error", "Bad gateway",
                    "The connection to the API service failed.");
        }
        return new GatewayProblem(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error", "Internal error",
                "The gateway failed to handle the request.");
    }

    /** True for errors that say something about the downstream's health (not the client's request). */
    public boolean isUpstreamFailure(Throwable error) {
        if (find(error, GatewayProblem.class) != null) {
            return false;
        }
        return find(error, ConnectException.class) != null
                || find(error, TimeoutException.class) != null
                || find(error, IOException.class) != null
                || (error instanceof ResponseStatusException rse && rse.getStatusCode().value() == 504);
    }

    private static String reasonOf(ResponseStatusException rse, HttpStatus status) {
        return rse.getReason() != null ? rse.getReason() : status.getReasonPhrase();
    }

    private static String codeOf(HttpStatus status) {
        return status.name().toLowerCase(Locale.ROOT);
    }

    static <T extends Throwable> T find(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
