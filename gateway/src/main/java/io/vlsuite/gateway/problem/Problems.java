package io.vlsuite.gateway.problem;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

import java.time.Duration;

/** The gateway's own problems, one factory per stable code, so codes and titles are spelled in one place. */
public final class Problems {

    private Problems() {
    }

    public static final String REALM = "vlsuite";

    /** No credentials at all: RFC 6750 says the challenge then carries no error code. */
    public static GatewayProblem unauthorized(String detail) {
        return authProblem("unauthorized", "Authentication required", detail, "Bearer realm=\"" + REALM + "\"");
    }

    public static GatewayProblem invalidApiKey() {
        return authProblem("invalid_api_key", "Invalid API key", "The API key is not known.", invalidTokenChallenge("unknown API key"));
    }

    public static GatewayProblem apiKeyRevoked() {
        return authProblem("api_key_revoked", "API key revoked", "The API key has been revoked.", invalidTokenChallenge("API key revoked"));
    }

    public static GatewayProblem invalidToken(String detail) {
        return authProblem("invalid_token", "Invalid bearer token", detail, invalidTokenChallenge(detail));
    }

    public static GatewayProblem authenticationUnavailable(Duration retryAfter) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, seconds(retryAfter));
        return new GatewayProblem(HttpStatus.SERVICE_UNAVAILABLE, "authentication_unavailable", "Authentication unavailable",
                "The signing keys of the token issuer cannot be fetched right now; retry later.", headers);
    }

    public static GatewayProblem rateLimited(String detail, HttpHeaders rateLimitHeaders) {
        return new GatewayProblem(HttpStatus.TOO_MANY_REQUESTS, "rate_limited", "Too many requests", detail, rateLimitHeaders);
    }

    public static GatewayProblem tooManyConcurrentRequests(int limit, Duration retryAfter) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, seconds(retryAfter));
        return new GatewayProblem(HttpStatus.TOO_MANY_REQUESTS, "too_many_concurrent_requests", "Too many concurrent requests",
                "The tenant already has " + limit + " requests in flight (streams count until they end).", headers);
    }

    public static GatewayProblem payloadTooLarge(long limitBytes) {
        return new GatewayProblem(HttpStatus.CONTENT_TOO_LARGE, "payload_too_large", "Request body too large",
                "The request body exceeds the limit of " + limitBytes + " bytes.");
    }

    public static GatewayProblem upstreamUnavailable(String detail, Duration retryAfter) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, seconds(retryAfter));
        return new GatewayProblem(HttpStatus.SERVICE_UNAVAILABLE, "upstream_unavailable", "Service unavailable", detail, headers);
    }

    public static GatewayProblem upstreamTimeout(String detail) {
        return new GatewayProblem(HttpStatus.GATEWAY_TIMEOUT, "upstream_timeout", "Upstream timeout", detail);
    }

    public static GatewayProblem notFound(String path) {
        return new GatewayProblem(HttpStatus.NOT_FOUND, "not_found", "Not found", "No route for " + path + ".");
    }

    /** Whole seconds, rounded up and at least 1: a client told "0" would retry at once. */
    public static String seconds(Duration duration) {
        long millis = Math.max(0, duration.toMillis());
        return Long.toString(Math.max(1, (millis + 999) / 1000));
    }

    private static GatewayProblem authProblem(String code, String title, String detail, String challenge) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.WWW_AUTHENTICATE, challenge);
        return new GatewayProblem(HttpStatus.UNAUTHORIZED, code, title, detail, headers);
    }

    private static String invalidTokenChallenge(String description) {
        // error_description is a quoted-string: keep it to safe characters.
        String safe = description.replaceAll("[^A-Za-z0-9 .,:;_()/-]", "");
        return "Bearer realm=\"" + REALM + "\", error=\"invalid_token\", error_description=\"" + safe + "\"";
    }
}
