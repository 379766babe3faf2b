package io.vlsuite.preprocess.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import io.vlsuite.contracts.job.JobDocument;
import io.vlsuite.contracts.job.JobStatus;
import io.vlsuite.contracts.job.Lane;
import io.vlsuite.preprocess.api.Json;
import io.vlsuite.preprocess.api.JsonBodyReader;
import io.vlsuite.preprocess.chat.ChatRequest;
import io.vlsuite.preprocess.chat.ChatRequestParser;
import io.vlsuite.preprocess.config.PreprocessProperties;
import io.vlsuite.preprocess.problem.ApiException;
import io.vlsuite.preprocess.problem.ErrorCodes;
import io.vlsuite.preprocess.store.JobRepository;
import io.vlsuite.preprocess.tenant.TenantResolver;
import io.vlsuite.preprocess.web.RequestIdFilter;
import io.vlsuite.preprocess.webhook.WebhookTargetGuard;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The async job API: submit ({@code POST /v1/jobs}, honouring {@code Idempotency-Key}), read, list, cancel, and
 * follow ({@code GET /v1/jobs/{id}/events}). Jobs belong to a tenant: another tenant's id answers 404.
 */
@RestController
public class JobsController {

    private static final int MAX_METADATA = 16;
    private static final int MAX_KEY_LENGTH = 255;

    private final JsonBodyReader bodies;
    private final ChatRequestParser parser;
    private final JobService jobs;
    private final JobRepository repository;
    private final TenantResolver tenants;
    private final WebhookTargetGuard webhookGuard;
    private final JobEventStream eventStream;
    private final Clock clock;
    private final PreprocessProperties properties;

    public JobsController(JsonBodyReader bodies, ChatRequestParser parser, JobService jobs, JobRepository repository,
                          TenantResolver tenants, WebhookTargetGuard webhookGuard, JobEventStream eventStream,
                          Clock clock, PreprocessProperties properties) {
        this.bodies = bodies;
        this.parser = parser;
        this.jobs = jobs;
        this.repository = repository;
        this.tenants = tenants;
        this.webhookGuard = webhookGuard;
        this.eventStream = eventStream;
        this.clock = clock;
        this.properties = properties;
    }

    @PostMapping("/v1/jobs")
    public ResponseEntity<String> submit(HttpServletRequest request) {
        String tenant = tenants.tenantOf(request);
        String key = request.getHeader("Idempotency-Key");
        if (key != null && (key.isBlank() || key.length() > MAX_KEY_LENGTH)) {
            throw ApiException.invalid("Idempotency-Key must be 1.." + MAX_KEY_LENGTH + " characters", List.of());
        }
        JsonBodyReader.Body body = bodies.read(request);
        String jobId = key == null ? JobIds.newJob() : JobIds.forIdempotencyKey(tenant, key);
        String hash = RequestFingerprint.of(body.json());
        if (key != null) {
            // A replay is answered before any media work or load check.
            Optional<ResponseEntity<String>> replay = replay(tenant, jobId, hash);
            if (replay.isPresent()) {
                return replay.get();
            }
        }
        ChatRequest chat = parser.parse(requestPart(body.json()));
        String webhook = webhook(body.json());
        Map<String, String> metadata = metadata(body.json().get("metadata"));
        try {
            JobDocument doc = jobs.submit(new JobService.NewJob(tenant, jobId, Lane.BATCH, chat,
                    MDC.get(RequestIdFilter.MDC_KEY), clock.instant().plus(properties.jobs().asyncTtl()), webhook,
                    metadata, key, hash));
            return ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create("/v1/jobs/" + doc.id()))
                    .contentType(MediaType.APPLICATION_JSON).body(Json.write(Json.API, JobView.of(doc)));
        } catch (JobService.DuplicateJobException e) {
            return replay(tenant, jobId, hash).orElseThrow(() -> new ApiException(409, "idempotency_key_in_use",
                    "a request with this Idempotency-Key is being processed; retry later"));
        }
    }

    @GetMapping("/v1/jobs/{id}")
    public ResponseEntity<String> get(@PathVariable("id") String id, HttpServletRequest request) {
        JobDocument doc = jobs.find(tenants.tenantOf(request), id).orElseThrow(() -> ApiException.jobNotFound(id));
        return json(HttpStatus.OK, JobView.of(doc));
    }

    @GetMapping("/v1/jobs")
    public ResponseEntity<String> list(@RequestParam(name = "status", required = false) String status,
                                       @RequestParam(name = "limit", defaultValue = "20") String limitText,
                                       @RequestParam(name = "after", required = false) String after,
                                       HttpServletRequest request) {
        String tenant = tenants.tenantOf(request);
        JobStatus filter = status == null ? null : parseStatus(status);
        int limit;
        try {
            limit = Integer.parseInt(limitText);
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > 100) {
            throw ApiException.invalid("limit must be between 1 and 100", List.of());
        }
        if (after != null && !after.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,127}")) {
            throw ApiException.invalid("after must be a job id", List.of());
        }
        JobRepository.Page page = repository.list(tenant, filter, after, limit);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("object", "list");
        body.put("data", page.items().stream().map(JobView::of).toList());
        body.put("has_more", page.nextAfter() != null);
        body.put("last_id", page.items().isEmpty() ? null : page.items().getLast().id());
        return json(HttpStatus.OK, body);
    }

    @PostMapping("/v1/jobs/{id}/cancel")
    public ResponseEntity<String> cancel(@PathVariable("id") String id, HttpServletRequest request) {
        return json(HttpStatus.OK, JobView.of(jobs.cancel(tenants.tenantOf(request), id)));
    }

    @GetMapping("/v1/jobs/{id}/events")
    public void events(@PathVariable("id") String id, HttpServletRequest request, HttpServletResponse response)
            throws InterruptedException {
        eventStream.stream(tenants.tenantOf(request), id, response);
    }

    private Optional<ResponseEntity<String>> replay(String tenant, String jobId, String hash) {
        return repository.find(tenant, jobId).map(existing -> {
            if (!hash.equals(existing.requestHash())) {
                throw new ApiException(422, ErrorCodes.IDEMPOTENCY_KEY_REUSED,
                        "this Idempotency-Key was used with a different request body", null, List.of(), null);
            }
            return json(HttpStatus.OK, JobView.of(existing));
        });
    }

    /** The job body is a chat completion request plus {@code webhook} and {@code metadata}; stream makes no sense. */
    private static JsonNode requestPart(JsonNode body) {
        if (body.isObject()) {
            var copy = ((com.fasterxml.jackson.databind.node.ObjectNode) body).deepCopy();
            copy.remove(List.of("webhook", "metadata", "stream", "stream_options"));
            return copy;
        }
        return body;
    }

    private String webhook(JsonNode body) {
        JsonNode node = body.get("webhook");
        if (node == null || node.isNull()) {
            return null;
        }
        JsonNode url = node.isObject() ? node.get("url") : node;
        if (url == null || !url.isTextual() || url.asText().length() > 2048) {
            throw ApiException.invalid("webhook must be a URL string (or an object with url)",
                    List.of(new ApiException.FieldError("webhook", "must be a URL")));
        }
        webhookGuard.check(url.asText());
        return url.asText();
    }

    private static Map<String, String> metadata(JsonNode node) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject() || node.size() > MAX_METADATA) {
            throw ApiException.invalid("metadata must be an object of at most " + MAX_METADATA + " string values",
                    List.of(new ApiException.FieldError("metadata", "invalid")));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (var it = node.fields(); it.hasNext(); ) {
            var field = it.next();
            if (!field.getValue().isTextual() || field.getKey().length() > 64 || field.getValue().asText().length() > 512) {
                throw ApiException.invalid("metadata values must be strings (keys up to 64, values up to 512 characters)",
                        List.of(new ApiException.FieldError("metadata." + field.getKey(), "invalid")));
            }
            metadata.put(field.getKey(), field.getValue().asText());
        }
        return metadata;
    }

    private static JobStatus parseStatus(String status) {
        try {
            return JobStatus.valueOf(status.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("status must be one of queued, running, completed, failed, cancelled, expired",
                    List.of(new ApiException.FieldError("status", "unknown status")));
        }
    }

    private static ResponseEntity<String> json(HttpStatus status, Object body) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(Json.write(Json.API, body));
    }
}
