package io.vlsuite.preprocess.problem;

import io.vlsuite.preprocess.api.Json;
import io.vlsuite.preprocess.web.RequestIdFilter;
import org.slf4j.MDC;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes RFC 9457 problem documents. Besides the standard members they carry {@code code} (stable, for
 * programs), {@code request_id}, {@code job_id} when a job exists, {@code errors[]} for field-level problems, and an
 * OpenAI-style {@code error} object so that OpenAI SDKs show a useful message too. Never a stack trace, never
 * echoed media.
 */
public final class ProblemResponses {

    public static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;
    private static final String TYPE_BASE = "https://vlsuite.io/problems/";

    private ProblemResponses() {
    }

    public static ResponseEntity<String> of(ApiException e, String path) {
        return of(e.status(), e.code(), e.getMessage(), path, e.retryAfter(), e.errors(), e.jobId());
    }

    public static ResponseEntity<String> of(int status, String code, String detail, String path) {
        return of(status, code, detail, path, null, List.of(), null);
    }

    public static ResponseEntity<String> of(int status, String code, String detail, String path, Duration retryAfter,
                                            List<ApiException.FieldError> errors, String jobId) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(PROBLEM_JSON);
        if (retryAfter != null) {
            headers.set(HttpHeaders.RETRY_AFTER, retryAfterSeconds(retryAfter));
        }
        return ResponseEntity.status(status).headers(headers).body(body(status, code, detail, path, errors, jobId));
    }

    /** The problem document as JSON text. */
    public static String body(int status, String code, String detail, String path, List<ApiException.FieldError> errors,
                              String jobId) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", TYPE_BASE + code);
        HttpStatus known = HttpStatus.resolve(status);
        problem.put("title", known == null ? "Error" : known.getReasonPhrase());
        problem.put("status", status);
        problem.put("detail", detail);
        if (path != null) {
            problem.put("instance", path);
        }
        problem.put("code", code);
        String requestId = MDC.get(RequestIdFilter.MDC_KEY);
        if (requestId != null) {
            problem.put("request_id", requestId);
        }
        if (jobId != null) {
            problem.put("job_id", jobId);
        }
        if (errors != null && !errors.isEmpty()) {
            problem.put("errors", errors);
        }
        Map<String, Object> openAi = new LinkedHashMap<>();
        openAi.put("message", detail);
        openAi.put("type", code);
        openAi.put("code", code);
        problem.put("error", openAi);
        return Json.write(Json.API, problem);
    }

    /** Whole seconds, at least 1 (a {@code Retry-After: 0} invites a hot retry loop). */
    public static String retryAfterSeconds(Duration retryAfter) {
        long seconds = (retryAfter.toMillis() + 999) / 1000;
        return Long.toString(Math.max(1, seconds));
    }
}
