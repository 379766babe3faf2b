package io.vlsuite.preprocess.problem;

import io.vlsuite.media.MediaStoreException;
import io.vlsuite.preprocess.media.MediaIntakeException;
import io.vlsuite.qwen2vl.Qwen2VlException;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import java.time.Duration;
import java.util.List;

/** Every refusal as problem+json with a stable code; unexpected failures as a 500 without internals. */
@RestControllerAdvice
public class ProblemHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<String> api(ApiException e, HttpServletRequest request) {
        return ProblemResponses.of(e, request.getRequestURI());
    }

    @ExceptionHandler(MediaIntakeException.class)
    ResponseEntity<String> media(MediaIntakeException e, HttpServletRequest request) {
        return ProblemResponses.of(e.status(), e.code(), e.getMessage(), request.getRequestURI());
    }

    @ExceptionHandler(Qwen2VlException.class)
    ResponseEntity<String> core(Qwen2VlException e, HttpServletRequest request) {
        // The core raises these about the client's input (media it cannot take, prompts that do not fit).
        return ProblemResponses.of(422, e.code(), e.getMessage(), request.getRequestURI());
    }

    @ExceptionHandler(MediaStoreException.class)
    ResponseEntity<String> storage(MediaStoreException e, HttpServletRequest request) {
        log.warn("storage failure: {}", e.getMessage());
        return ProblemResponses.of(503, ErrorCodes.STORAGE_UNAVAILABLE, "storage is unavailable, retry later",
                request.getRequestURI(), Duration.ofSeconds(2), List.of(), null);
    }

    @ExceptionHandler({HttpMessageNotReadableException.class, MissingServletRequestParameterException.class,
            MethodArgumentTypeMismatchException.class, MissingRequestHeaderException.class})
    ResponseEntity<String> unreadable(Exception e, HttpServletRequest request) {
        return ProblemResponses.of(400, ErrorCodes.INVALID_REQUEST, "malformed request: " + shortReason(e),
                request.getRequestURI());
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<String> contentType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        return ProblemResponses.of(415, ErrorCodes.UNSUPPORTED_CONTENT_TYPE,
                "Content-Type " + e.getContentType() + " is not supported; send application/json",
                request.getRequestURI());
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<String> notAcceptable(HttpMediaTypeNotAcceptableException e, HttpServletRequest request) {
        return ProblemResponses.of(406, ErrorCodes.NOT_ACCEPTABLE, "cannot produce the requested media type",
                request.getRequestURI());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<String> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        return ProblemResponses.of(405, ErrorCodes.METHOD_NOT_ALLOWED, "method " + e.getMethod() + " not allowed",
                request.getRequestURI());
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<String> notFound(NoResourceFoundException e, HttpServletRequest request) {
        return ProblemResponses.of(404, ErrorCodes.NOT_FOUND, "no such endpoint", request.getRequestURI());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<String> unexpected(Exception e, HttpServletRequest request) {
        log.error("unexpected failure on {}", request.getRequestURI(), e);
        return ProblemResponses.of(500, ErrorCodes.INTERNAL_ERROR, "internal error", request.getRequestURI());
    }

    private static String shortReason(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        // Parser messages quote the input; keep them short so no media ends up echoed.
        return message.length() > 200 ? message.substring(0, 200) + "..." : message;
    }
}
