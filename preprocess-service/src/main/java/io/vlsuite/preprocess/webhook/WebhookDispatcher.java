package io.vlsuite.preprocess.webhook;

import io.vlsuite.contracts.job.JobDocument;
import io.vlsuite.preprocess.api.Json;
import io.vlsuite.preprocess.config.CoreBeans;
import io.vlsuite.preprocess.config.PreprocessProperties;
import io.vlsuite.preprocess.jobs.JobView;
import io.vlsuite.preprocess.problem.ApiException;
import io.vlsuite.preprocess.store.JobRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Sends the terminal state of an async job to its webhook, signed per Standard Webhooks, retrying with exponential
 * back-off up to the configured number of attempts, and records every attempt in the job document.
 *
 * <p>Exactly one instance sends it: before sending, an instance claims the webhook with a conditional write of the
 * job document ({@code webhook.claimedBy}); whoever loses the race, or finds it claimed, does nothing. The
 * {@code webhook-id} ({@code msg_<job id>}) is the same on every attempt so receivers can de-duplicate.
 */
@Component
public class WebhookDispatcher implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

    private final JobRepository repository;
    private final WebhookSecrets secrets;
    private final WebhookTargetGuard guard;
    private final Clock clock;
    private final PreprocessProperties.Webhooks settings;
    private final String instanceId;
    private final HttpClient http;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    public WebhookDispatcher(JobRepository repository, WebhookSecrets secrets, WebhookTargetGuard guard, Clock clock,
                             PreprocessProperties properties, CoreBeans.InstanceId instanceId) {
        this.repository = repository;
        this.secrets = secrets;
        this.guard = guard;
        this.clock = clock;
        this.settings = properties.webhooks();
        this.instanceId = instanceId.value();
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)   // a redirect could point anywhere, past the guard
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    /** Claims the webhook of a terminal job and, if this call won the claim, delivers it in the background. */
    public void claimAndDeliver(String tenant, String jobId) {
        String token = instanceId + "/" + UUID.randomUUID();
        Optional<JobDocument> claimed = repository.update(tenant, jobId, doc -> {
            JobDocument.Webhook webhook = doc.webhook();
            if (webhook == null || webhook.claimedBy() != null || !doc.status().isTerminal()) {
                return null;
            }
            return doc.withWebhook(new JobDocument.Webhook(webhook.url(), webhook.deliveries(), token));
        });
        claimed.filter(doc -> doc.webhook() != null && token.equals(doc.webhook().claimedBy()))
                .ifPresent(doc -> executor.submit(() -> deliver(doc)));
    }

    void deliver(JobDocument doc) {
        String webhookId = "msg_" + doc.id();
        byte[] body = payload(doc);
        byte[] key = secrets.keyFor(doc.tenant());
        Duration pause = settings.initialBackoff();
        for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
            Integer status = null;
            String error = null;
            try {
                URI target = guard.check(doc.webhook().url());
                long timestamp = clock.instant().getEpochSecond();
                HttpRequest request = HttpRequest.newBuilder(target)
                        .timeout(settings.timeout())
                        .header("Content-Type", "application/json")
                        .header("User-Agent", "vlsuite-webhooks")
                        .header("webhook-id", webhookId)
                        .header("webhook-timestamp", Long.toString(timestamp))
                        .header("webhook-signature", WebhookSigner.sign(key, webhookId, timestamp, body))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status < 200 || status >= 300) {
                    error = "HTTP " + status;
                }
            } catch (ApiException e) {
                record(doc, new JobDocument.Delivery(webhookId, clock.instant(), null, e.getMessage()));
                return;   // the target is not allowed (any more): retrying will not help
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
            record(doc, new JobDocument.Delivery(webhookId, clock.instant(), status, error));
            if (error == null) {
                return;
            }
            if (attempt < settings.maxAttempts()) {
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                pause = pause.multipliedBy(2).compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : pause.multipliedBy(2);
            }
        }
        log.warn("webhook of job {} not delivered after {} attempts", doc.id(), settings.maxAttempts());
    }

    /** Standard Webhooks payload: {@code {type, timestamp, data}} with the job as {@code GET /v1/jobs/{id}} shows it. */
    private byte[] payload(JobDocument doc) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("type", "job." + doc.status().json());
        payload.put("timestamp", Instant.now(clock).toString());
        payload.put("data", JobView.of(doc));
        return Json.writeBytes(Json.API, payload);
    }

    private void record(JobDocument doc, JobDocument.Delivery delivery) {
        try {
            repository.update(doc.tenant(), doc.id(), current -> {
                JobDocument.Webhook webhook = current.webhook();
                if (webhook == null) {
                    return null;
                }
                List<JobDocument.Delivery> deliveries = new ArrayList<>(
                        webhook.deliveries() == null ? List.of() : webhook.deliveries());
                deliveries.add(delivery);
                return current.withWebhook(new JobDocument.Webhook(webhook.url(), deliveries, webhook.claimedBy()));
            });
        } catch (RuntimeException e) {
            log.warn("could not record a webhook delivery of job {}: {}", doc.id(), e.getMessage());
        }
    }

    @Override
    public void destroy() {
        executor.shutdownNow();
    }
}
