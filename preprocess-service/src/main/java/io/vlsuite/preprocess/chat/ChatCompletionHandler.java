package io.vlsuite.preprocess.chat;

import io.vlsuite.contracts.job.JobEvent;
import io.vlsuite.contracts.job.Lane;
import io.vlsuite.preprocess.api.Json;
import io.vlsuite.preprocess.config.PreprocessProperties;
import io.vlsuite.preprocess.events.EventRouter;
import io.vlsuite.preprocess.events.EventSubscription;
import io.vlsuite.preprocess.jobs.JobIds;
import io.vlsuite.preprocess.jobs.JobService;
import io.vlsuite.preprocess.problem.ApiException;
import io.vlsuite.preprocess.problem.ErrorCodes;
import io.vlsuite.preprocess.problem.ProblemResponses;
import io.vlsuite.preprocess.web.ClientConnectionProbe;
import io.vlsuite.preprocess.web.RequestIdFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs one chat completion as an interactive job and answers from its events: one JSON body, or SSE chunks.
 * The caller's deadline ({@code vlsuite.preprocess.jobs.request-timeout}) becomes the job's deadline; when it
 * passes, or the client goes away mid-stream, the job is cancelled so no worker keeps generating for nobody.
 */
@Component
public class ChatCompletionHandler {

    /** Worker failure codes that describe the request rather than the service. */
    private static final Set<String> CLIENT_FAILURES = Set.of("prompt_too_long", "context_length_exceeded",
            "invalid_prompt", "invalid_request", "media_not_found",
            // The worker's sampling refusals (e.g. n > 1, which workers do not generate) describe the request too.
            "invalid_sampling_params", "n_not_supported");

    /** How often a JSON request checks whether its client is still connected. */
    private static final Duration CLIENT_PROBE_INTERVAL = Duration.ofMillis(500);
    private static final JobEvent CLIENT_GONE = new JobEvent(null, null, "client_gone", -1, null, null, null, null,
            null, null);

    private final JobService jobs;
    private final EventRouter router;
    private final Clock clock;
    private final Duration requestTimeout;
    private final Duration keepAlive;

    public ChatCompletionHandler(JobService jobs, EventRouter router, Clock clock, PreprocessProperties properties) {
        this.jobs = jobs;
        this.router = router;
        this.clock = clock;
        this.requestTimeout = properties.jobs().requestTimeout();
        this.keepAlive = properties.jobs().keepAlive();
    }

    /**
     * Answers the request. Streams are written to {@code response} on the calling thread (a failed write means
     * the client left) and null is returned. A JSON answer is a {@link DeferredResult}: a virtual thread waits for
     * the job's terminal event while the request is in async mode, so the container can report a vanished client
     * ({@code onError}), which cancels the job.
     */
    public Object handle(String tenant, String requestId, ChatRequest request, HttpServletRequest servletRequest,
                         HttpServletResponse response) throws InterruptedException {
        String id = JobIds.newCompletion();
        Instant now = clock.instant();
        Instant deadline = now.plus(requestTimeout);
        EventSubscription events = router.subscribe(id);
        try {
            jobs.submit(new JobService.NewJob(tenant, id, Lane.INTERACTIVE, request, requestId, deadline, null,
                    Map.of(), null, null));
        } catch (RuntimeException e) {
            events.close();
            throw e;
        }
        if (request.stream()) {
            try (events) {
                new CompletionStream(id, now.getEpochSecond(), request, events, response, deadline).run(tenant);
            }
            return null;
        }
        String path = servletRequest.getRequestURI();
        // The container's own async timeout is only a backstop: the waiter answers 504 at the deadline.
        DeferredResult<ResponseEntity<String>> result = new DeferredResult<>(requestTimeout.plusSeconds(30).toMillis());
        Thread waiter = Thread.ofVirtual().name("wait-" + id).unstarted(() -> {
            MDC.put(RequestIdFilter.MDC_KEY, requestId);
            try (events) {
                result.setResult(answer(tenant, id, now, deadline, request, events,
                        new ClientConnectionProbe(servletRequest)));
            } catch (ApiException e) {
                result.setResult(ProblemResponses.of(e, path));
            } catch (RuntimeException e) {
                LoggerFactory.getLogger(ChatCompletionHandler.class).error("waiting for job {} failed", id, e);
                jobs.cancelQuietly(tenant, id);
                result.setResult(ProblemResponses.of(500, ErrorCodes.INTERNAL_ERROR, "internal error", path));
            } catch (InterruptedException e) {
                // The client went away and the job was cancelled; end the async request so it frees its resources
                // (nobody reads this answer).
                result.setResult(ProblemResponses.of(499, "client_closed_request", "the client closed the connection",
                        path));
            } finally {
                MDC.remove(RequestIdFilter.MDC_KEY);
            }
        });
        result.onError(error -> {
            waiter.interrupt();
            jobs.cancelQuietly(tenant, id);
        });
        result.onTimeout(() -> {
            waiter.interrupt();
            jobs.cancelQuietly(tenant, id);
            result.setResult(ProblemResponses.of(timeout(id), path));
        });
        waiter.start();
        return result;
    }

    private ResponseEntity<String> answer(String tenant, String id, Instant created, Instant deadline,
                                          ChatRequest request, EventSubscription events, ClientConnectionProbe client)
            throws InterruptedException {
        JobEvent terminal = awaitTerminal(events, deadline, client);
        if (terminal == CLIENT_GONE) {
            jobs.cancelQuietly(tenant, id);
            throw new InterruptedException("client gone");
        }
        if (terminal == null) {
            jobs.cancelQuietly(tenant, id);
            throw timeout(id);
        }
        return switch (terminal.type()) {
            case JobEvent.COMPLETED -> ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                    .body(Json.write(Json.API, CompletionJson.completion(id, created.getEpochSecond(), request.model(),
                            terminal, request.logprobs())));
            case JobEvent.EXPIRED -> throw timeout(id);
            case JobEvent.CANCELLED -> throw new ApiException(409, "job_cancelled", "the job was cancelled", null,
                    List.of(), id);
            default -> throw failure(terminal, id);
        };
    }

    /** The terminal event; null at the deadline; {@link #CLIENT_GONE} when the client hung up meanwhile. */
    private JobEvent awaitTerminal(EventSubscription events, Instant deadline, ClientConnectionProbe client)
            throws InterruptedException {
        while (true) {
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                return null;
            }
            JobEvent event = events.next(left.compareTo(CLIENT_PROBE_INTERVAL) < 0 ? left : CLIENT_PROBE_INTERVAL);
            if (event != null && event.isTerminal()) {
                return event;
            }
            if (event == null && client.clientGone()) {
                return CLIENT_GONE;
            }
        }
    }

    private static ApiException timeout(String id) {
        return new ApiException(504, ErrorCodes.REQUEST_TIMEOUT, "the request did not finish in time; the job was cancelled",
                null, List.of(), id);
    }

    private static ApiException failure(JobEvent failed, String id) {
        String code = failed.error() == null || failed.error().code() == null ? ErrorCodes.JOB_FAILED : failed.error().code();
        String message = failed.error() == null || failed.error().message() == null ? "the job failed" : failed.error().message();
        return new ApiException(CLIENT_FAILURES.contains(code) ? 400 : 500, code, message, null, List.of(), id);
    }

    /** One SSE answer: role chunks, content chunks as deltas arrive, finish reasons, usage, {@code [DONE]}. */
    private final class CompletionStream {
        private final String id;
        private final long created;
        private final ChatRequest request;
        private final EventSubscription events;
        private final HttpServletResponse response;
        private final Instant deadline;
        private final StringBuilder[] streamed;
        private final boolean[] finished;
        /** Characters of a restarted run's text the client has already seen (skipped from its deltas). */
        private final int[] replay;

        CompletionStream(String id, long created, ChatRequest request, EventSubscription events,
                         HttpServletResponse response, Instant deadline) {
            this.id = id;
            this.created = created;
            this.request = request;
            this.events = events;
            this.response = response;
            this.deadline = deadline;
            this.streamed = new StringBuilder[request.n()];
            this.finished = new boolean[request.n()];
            this.replay = new int[request.n()];
            for (int i = 0; i < streamed.length; i++) {
                streamed[i] = new StringBuilder();
            }
        }

        void run(String tenant) throws InterruptedException {
            try {
                response.setStatus(200);
                response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
                response.setCharacterEncoding("UTF-8");
                response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
                response.setHeader("X-Accel-Buffering", "no");   // proxies must not hold chunks back
                for (int i = 0; i < request.n(); i++) {
                    data(CompletionJson.chunk(id, created, request.model(), i, Map.of("role", "assistant", "content", ""),
                            null, null, request.includeUsage()));
                }
                flush();
                while (true) {
                    Duration left = Duration.between(clock.instant(), deadline);
                    if (left.isNegative() || left.isZero()) {
                        jobs.cancelQuietly(tenant, id);
                        error(ErrorCodes.REQUEST_TIMEOUT, "the request did not finish in time; the job was cancelled");
                        return;
                    }
                    JobEvent event = events.next(left.compareTo(keepAlive) < 0 ? left : keepAlive);
                    if (event == null) {
                        write(": keep-alive\n\n");   // also how a vanished client is noticed
                        flush();
                        continue;
                    }
                    switch (event.type()) {
                        case JobEvent.DELTA -> {
                            deltas(event.choices(), false);
                            flush();
                        }
                        case JobEvent.COMPLETED -> {
                            deltas(event.choices(), true);
                            if (request.includeUsage()) {
                                data(CompletionJson.usageChunk(id, created, request.model(), event.usage()));
                            }
                            done();
                            return;
                        }
                        case JobEvent.FAILED -> {
                            error(event.error() == null ? ErrorCodes.JOB_FAILED : event.error().code(),
                                    event.error() == null ? "the job failed" : event.error().message());
                            return;
                        }
                        case JobEvent.CANCELLED -> {
                            error("job_cancelled", "the job was cancelled");
                            return;
                        }
                        case JobEvent.EXPIRED -> {
                            error(ErrorCodes.REQUEST_TIMEOUT, "the job expired before it finished");
                            return;
                        }
                        case JobEvent.STARTED -> restarted();
                        default -> {
                            // future event types carry nothing for the client
                        }
                    }
                }
            } catch (IOException e) {
                // The client went away (failed write or reset stream): stop the generation.
                jobs.cancelQuietly(tenant, id);
            }
        }

        /**
         * A worker restarted the job (its first worker died): the new run generates the text again from the start,
         * so the part the client has already seen is skipped.
         */
        private void restarted() {
            for (int i = 0; i < replay.length; i++) {
                replay[i] = streamed[i].length();
            }
        }

        /**
         * Content chunks for the choices of a delta or completed event. A completed event carries full texts:
         * only what was not streamed yet goes out (all of it when the worker sent no deltas).
         */
        private void deltas(List<JobEvent.Choice> choices, boolean complete) throws IOException {
            if (choices != null) {
                for (JobEvent.Choice choice : choices) {
                    int i = choice.index();
                    if (i < 0 || i >= streamed.length || finished[i]) {
                        continue;
                    }
                    String text = choice.text() == null ? "" : choice.text();
                    if (complete) {
                        text = text.startsWith(streamed[i].toString()) ? text.substring(streamed[i].length()) : "";
                    } else if (replay[i] > 0) {
                        int seen = Math.min(replay[i], text.length());
                        replay[i] -= seen;
                        text = text.substring(seen);
                    }
                    String finish = choice.finishReason() != null ? choice.finishReason() : complete ? "stop" : null;
                    if (text.isEmpty() && finish == null) {
                        continue;
                    }
                    streamed[i].append(text);
                    finished[i] = finish != null;
                    Object logprobs = request.logprobs() && !complete ? CompletionJson.logprobs(choice.logprobs()) : null;
                    data(CompletionJson.chunk(id, created, request.model(), i,
                            text.isEmpty() ? Map.of() : Map.of("content", text), logprobs, finish, request.includeUsage()));
                }
            }
            if (complete) {
                for (int i = 0; i < finished.length; i++) {
                    if (!finished[i]) {
                        finished[i] = true;
                        data(CompletionJson.chunk(id, created, request.model(), i, Map.of(), null, "stop",
                                request.includeUsage()));
                    }
                }
            }
        }

        private void error(String code, String message) throws IOException {
            data(Map.of("error", Map.of("message", message, "type", code, "code", code)));
            done();
        }

        private void done() throws IOException {
            write("data: [DONE]\n\n");
            flush();
        }

        private void data(Object json) throws IOException {
            write("data: " + Json.write(Json.API, json) + "\n\n");
        }

        private void write(String text) throws IOException {
            response.getOutputStream().write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        private void flush() throws IOException {
            response.flushBuffer();
        }
    }
}
