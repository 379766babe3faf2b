package io.vlsuite.gateway.problem;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * An error that the gateway itself answers (never a downstream's error, which passes through untouched). It
 * carries everything the RFC 9457 body needs plus the headers that belong to it ({@code WWW-Authenticate},
 * {@code Retry-After}, rate-limit headers), so the filter that detects the problem decides the whole response.
 */
public class GatewayProblem extends RuntimeException {

    private final HttpStatus status;
    private final String code;
    private final String title;
    private final HttpHeaders headers;

    public GatewayProblem(HttpStatus status, String code, String title, String detail, HttpHeaders headers) {
        super(detail, null, false, false); // expected outcomes: no stack trace to fill or log
        this.status = status;
        this.code = code;
        this.title = title;
        this.headers = HttpHeaders.readOnlyHttpHeaders(headers);
    }

    public GatewayProblem(HttpStatus status, String code, String title, String detail) {
        this(status, code, title, detail, new HttpHeaders());
    }

    public HttpStatus status() {
        return status;
    }

    /** Stable lower_snake_case code that clients may branch on. */
    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    public HttpHeaders headers() {
        return headers;
    }
}
