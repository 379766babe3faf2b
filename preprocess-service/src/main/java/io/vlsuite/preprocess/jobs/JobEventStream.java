package io.vlsuite.preprocess.jobs;

import io.vlsuite.contracts.job.JobDocument;
import io.vlsuite.contracts.job.JobEvent;
import io.vlsuite.contracts.job.JobStatus;
import io.vlsuite.preprocess.api.Json;
import io.vlsuite.preprocess.config.PreprocessProperties;
import io.vlsuite.preprocess.events.EventRouter;
import io.vlsuite.preprocess.events.EventSubscription;
import io.vlsuite.preprocess.problem.ApiException;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/jobs/{id}/events}: server-sent events {@code queued}, {@code started}, {@code progress} (tokens so
 * far) and one terminal event ({@code completed}, {@code failed}, {@code cancelled}, {@code expired}, whose data is
 * the job as {@code GET /v1/jobs/{id}} shows it), then the stream ends. Live events come from this instance's event
 * router; the job document is re-read periodically, which catches what no worker announces (a queued job cancelled
 * through the API, expiry) and terminal states reached on another instance's watch. Unlike the chat stream,
 * disconnecting here does not cancel the job: it only stops watching.
 */
@Component
public class JobEventStream {

    private final JobService jobs;
    private final EventRouter router;
    private final Clock clock;
    private final Duration pollInterval;
    private final Duration keepAlive;
    private final Duration maxStream;

    public JobEventStream(JobService jobs, EventRouter router, Clock clock, PreprocessProperties properties) {
        this.jobs = jobs;
        this.router = router;
        this.clock = clock;
        this.pollInterval = properties.jobs().eventsPollInterval();
        this.keepAlive = properties.jobs().keepAlive();
        this.maxStream = properties.jobs().asyncTtl();
    }

    public void stream(String tenant, String jobId, HttpServletResponse response) throws InterruptedException {
        try (EventSubscription events = router.subscribe(jobId)) {
            JobDocument doc = jobs.find(tenant, jobId).orElseThrow(() -> ApiException.jobNotFound(jobId));
            response.setStatus(200);
            response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
            response.setCharacterEncoding("UTF-8");
            response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
            response.setHeader("X-Accel-Buffering", "no");
            try {
                send(response, "queued", Map.of("id", jobId, "status", "queued"));
                int tokens = doc.progressTokens() == null ? 0 : doc.progressTokens();
                boolean started = false;
                if (doc.status() == JobStatus.RUNNING) {
                    send(response, "started", Map.of("id", jobId, "status", "running"));
                    started = true;
                }
                if (doc.status().isTerminal()) {
                    terminal(response, doc);
                    return;
                }
                Instant lastPoll = clock.instant();
                Instant lastWrite = clock.instant();
                Instant end = clock.instant().plus(maxStream);
                while (clock.instant().isBefore(end)) {
                    JobEvent event = events.next(pollInterval);
                    if (event != null) {
                        if (JobEvent.STARTED.equals(event.type()) && !started) {
                            started = true;
                            send(response, "started", Map.of("id", jobId, "status", "running"));
                            lastWrite = clock.instant();
                        } else if (JobEvent.DELTA.equals(event.type())) {
                            tokens = progress(tokens, event);
                            if (!started) {
                                started = true;
                                send(response, "started", Map.of("id", jobId, "status", "running"));
                            }
                            send(response, "progress", Map.of("id", jobId, "tokens", tokens));
                            lastWrite = clock.instant();
                        } else if (event.isTerminal()) {
                            // The document may lag the event by a moment; the event is authoritative here.
                            terminal(response, awaitTerminalDocument(tenant, jobId, doc, event));
                            return;
                        }
                    }
                    if (Duration.between(lastPoll, clock.instant()).compareTo(pollInterval) >= 0) {
                        lastPoll = clock.instant();
                        JobDocument current = jobs.find(tenant, jobId).orElse(doc);
                        if (current.status().isTerminal()) {
                            terminal(response, current);
                            return;
                        }
                        if (current.status() == JobStatus.RUNNING && !started) {
                            started = true;
                            send(response, "started", Map.of("id", jobId, "status", "running"));
                            lastWrite = clock.instant();
                        }
                    }
                    if (Duration.between(lastWrite, clock.instant()).compareTo(keepAlive) >= 0) {
                        write(response, ": keep-alive\n\n");
                        lastWrite = clock.instant();
                    }
                }
            } catch (IOException e) {
                // The watcher went away; the job carries on.
            }
        }
    }

    private static int progress(int tokens, JobEvent delta) {
        if (delta.usage() != null) {
            return Math.max(tokens, delta.usage().completionTokens());
        }
        int added = 0;
        if (delta.choices() != null) {
            for (JobEvent.Choice choice : delta.choices()) {
                added += choice.tokenIds() == null ? (choice.text() == null || choice.text().isEmpty() ? 0 : 1)
                        : choice.tokenIds().size();
            }
        }
        return tokens + added;
    }

    private JobDocument awaitTerminalDocument(String tenant, String jobId, JobDocument fallback, JobEvent event)
            throws InterruptedException {
        Instant until = clock.instant().plus(Duration.ofSeconds(2));
        JobDocument current = fallback;
        while (clock.instant().isBefore(until)) {
            current = jobs.find(tenant, jobId).orElse(current);
            if (current.status().isTerminal()) {
                return current;
            }
            Thread.sleep(50);
        }
        // Not written yet: show the event's outcome on the last known document.
        JobStatus status = JobStatus.valueOf(event.type().toUpperCase(java.util.Locale.ROOT));
        JobDocument shown = current.status().canMoveTo(status) ? current.moveTo(status, clock.instant()) : current;
        if (JobEvent.COMPLETED.equals(event.type())) {
            shown = shown.withResult(event);
        }
        return event.error() == null ? shown : shown.withError(event.error());
    }

    private void terminal(HttpServletResponse response, JobDocument doc) throws IOException {
        send(response, doc.status().json(), JobView.of(doc));
    }

    private static void send(HttpServletResponse response, String event, Object data) throws IOException {
        Map<String, Object> ordered = data instanceof Map<?, ?> map ? new LinkedHashMap<>((Map<String, Object>) map) : null;
        write(response, "event: " + event + "\ndata: " + Json.write(Json.API, ordered == null ? data : ordered) + "\n\n");
    }

    private static void write(HttpServletResponse response, String text) throws IOException {
        response.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        response.flushBuffer();
    }

}
