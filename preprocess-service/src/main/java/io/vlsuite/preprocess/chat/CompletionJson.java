package io.vlsuite.preprocess.chat;

import io.vlsuite.contracts.job.JobEvent;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI's {@code chat.completion} and {@code chat.completion.chunk} objects built from job events, field for field
 * as vLLM emits them (nulls that OpenAI clients expect, such as {@code finish_reason} and {@code logprobs}, are
 * written out).
 */
public final class CompletionJson {

    private CompletionJson() {
    }

    /** The whole answer of a completed job. */
    public static Map<String, Object> completion(String id, long created, String model, JobEvent completed,
                                                 boolean logprobs) {
        List<Object> choices = new ArrayList<>();
        if (completed.choices() != null) {
            for (JobEvent.Choice choice : completed.choices()) {
                Map<String, Object> message = new LinkedHashMap<>();
                message.put("role", "assistant");
                message.put("content", choice.text() == null ? "" : choice.text());
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("index", choice.index());
                c.put("message", message);
                c.put("logprobs", logprobs ? logprobs(choice.logprobs()) : null);
                c.put("finish_reason", choice.finishReason() == null ? "stop" : choice.finishReason());
                choices.add(c);
            }
        }
        Map<String, Object> body = header(id, "chat.completion", created, model);
        body.put("choices", choices);
        body.put("usage", usage(completed.usage()));
        return body;
    }

    /** A chunk with one choice's delta ({@code role} and/or {@code content}) and its finish reason, if any. */
    public static Map<String, Object> chunk(String id, long created, String model, int index, Map<String, Object> delta,
                                            Object logprobs, String finishReason, boolean includeUsage) {
        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("index", index);
        choice.put("delta", delta);
        choice.put("logprobs", logprobs);
        choice.put("finish_reason", finishReason);
        Map<String, Object> chunk = header(id, "chat.completion.chunk", created, model);
        chunk.put("choices", List.of(choice));
        if (includeUsage) {
            chunk.put("usage", null);   // OpenAI: every chunk has usage, null except on the final one
        }
        return chunk;
    }

    /** The final chunk of {@code stream_options.include_usage}: usage and an empty choices array. */
    public static Map<String, Object> usageChunk(String id, long created, String model, JobEvent.Usage usage) {
        Map<String, Object> chunk = header(id, "chat.completion.chunk", created, model);
        chunk.put("choices", List.of());
        chunk.put("usage", usage(usage));
        return chunk;
    }

    public static Map<String, Object> usage(JobEvent.Usage usage) {
        JobEvent.Usage u = usage == null ? new JobEvent.Usage(0, 0) : usage;
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("prompt_tokens", u.promptTokens());
        map.put("completion_tokens", u.completionTokens());
        map.put("total_tokens", u.totalTokens());
        return map;
    }

    /** OpenAI's {@code logprobs.content[]}: token, logprob, UTF-8 bytes, and the top alternatives. */
    public static Map<String, Object> logprobs(List<JobEvent.TokenLogprob> tokens) {
        List<Object> content = new ArrayList<>();
        if (tokens != null) {
            for (JobEvent.TokenLogprob token : tokens) {
                Map<String, Object> entry = tokenEntry(token.token(), token.logprob());
                List<Object> top = new ArrayList<>();
                if (token.top() != null) {
                    token.top().forEach(t -> top.add(tokenEntry(t.token(), t.logprob())));
                }
                entry.put("top_logprobs", top);
                content.add(entry);
            }
        }
        Map<String, Object> logprobs = new LinkedHashMap<>();
        logprobs.put("content", content);
        return logprobs;
    }

    private static Map<String, Object> tokenEntry(String token, double logprob) {
        Map<String, Object> entry = new LinkedHashMap<>();
        String text = token == null ? "" : token;
        entry.put("token", text);
        entry.put("logprob", Double.isFinite(logprob) ? logprob : -9999.0);
        List<Integer> bytes = new ArrayList<>();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            bytes.add(b & 0xff);
        }
        entry.put("bytes", bytes);
        return entry;
    }

    private static Map<String, Object> header(String id, String object, long created, String model) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("object", object);
        body.put("created", created);
        body.put("model", model);
        return body;
    }
}
