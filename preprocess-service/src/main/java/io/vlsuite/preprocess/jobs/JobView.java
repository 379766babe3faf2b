package io.vlsuite.preprocess.jobs;

import io.vlsuite.contracts.job.JobDocument;
import io.vlsuite.preprocess.chat.CompletionJson;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A job as the API shows it ({@code object: "job"}): status, times in Unix seconds, metadata, webhook deliveries,
 * progress, and for completed jobs the result as a {@code chat.completion} object (the same shape a synchronous
 * request gets). The stored conversation is not echoed back.
 */
public final class JobView {

    private JobView() {
    }

    public static Map<String, Object> of(JobDocument doc) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", doc.id());
        view.put("object", "job");
        view.put("status", doc.status().json());
        if (doc.job() != null) {
            view.put("model", doc.job().model());
        }
        view.put("created_at", doc.createdAt().getEpochSecond());
        view.put("updated_at", doc.updatedAt().getEpochSecond());
        if (doc.job() != null && doc.job().deadline() != null) {
            view.put("expires_at", doc.job().deadline().getEpochSecond());
        }
        view.put("metadata", doc.metadata() == null ? Map.of() : doc.metadata());
        if (doc.progressTokens() != null) {
            view.put("progress", Map.of("tokens", doc.progressTokens()));
        }
        if (doc.result() != null) {
            boolean logprobs = doc.job() != null && doc.job().sampling() != null
                    && Boolean.TRUE.equals(doc.job().sampling().logprobs());
            view.put("result", CompletionJson.completion(doc.id(), doc.createdAt().getEpochSecond(),
                    doc.job() == null ? null : doc.job().model(), doc.result(), logprobs));
        }
        if (doc.error() != null) {
            view.put("error", Map.of("code", String.valueOf(doc.error().code()),
                    "message", String.valueOf(doc.error().message())));
        }
        if (doc.webhook() != null) {
            Map<String, Object> webhook = new LinkedHashMap<>();
            webhook.put("url", doc.webhook().url());
            List<Object> deliveries = new ArrayList<>();
            if (doc.webhook().deliveries() != null) {
                for (JobDocument.Delivery d : doc.webhook().deliveries()) {
                    Map<String, Object> delivery = new LinkedHashMap<>();
                    delivery.put("webhook_id", d.webhookId());
                    delivery.put("at", d.at() == null ? null : d.at().toString());
                    delivery.put("http_status", d.httpStatus());
                    delivery.put("error", d.error());
                    deliveries.add(delivery);
                }
            }
            webhook.put("deliveries", deliveries);
            view.put("webhook", webhook);
        }
        return view;
    }
}
