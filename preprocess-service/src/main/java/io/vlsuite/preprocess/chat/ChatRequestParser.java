package io.vlsuite.preprocess.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vlsuite.contracts.job.Sampling;
import io.vlsuite.preprocess.config.PreprocessProperties;
import io.vlsuite.preprocess.media.MediaOptions;
import io.vlsuite.preprocess.media.MediaSource;
import io.vlsuite.preprocess.problem.ApiException;
import io.vlsuite.preprocess.problem.ApiException.FieldError;
import io.vlsuite.preprocess.problem.ErrorCodes;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads an OpenAI chat completion request the way vLLM accepts it: string or part-array content, {@code image_url}
 * and {@code video_url} parts given as an object with {@code url} or as a bare string, vLLM's extra sampling fields,
 * and unknown fields ignored. Every number is checked against the server's limits here, before any media is
 * fetched; all problems are collected so the client sees them at once.
 */
@Component
public class ChatRequestParser {

    /** Text that spells the vision placeholders would corrupt the prompt the worker builds (vLLM CVE-2026-44222). */
    private static final List<String> RESERVED_TOKENS = List.of("<|vision_start|>", "<|vision_end|>",
            "<|image_pad|>", "<|video_pad|>", "<|vision_pad|>");
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant");

    private final String modelId;
    private final PreprocessProperties.Limits limits;

    public ChatRequestParser(PreprocessProperties properties) {
        this.modelId = properties.modelId();
        this.limits = properties.limits();
    }

    public ChatRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.invalid("the request body must be a JSON object", List.of());
        }
        Errors errors = new Errors();
        String model = model(body, errors);
        List<ChatRequest.Message> messages = messages(body.get("messages"), errors);
        Sampling sampling = sampling(body, errors);
        boolean stream = bool(body, "stream", false, errors);
        boolean includeUsage = false;
        JsonNode streamOptions = body.get("stream_options");
        if (streamOptions != null && !streamOptions.isNull()) {
            if (!streamOptions.isObject()) {
                errors.request("stream_options", "must be an object");
            } else {
                // stream_options without stream=true is harmless; vLLM's 400 for it bites clients, so ignore it.
                includeUsage = bool(streamOptions, "include_usage", false, errors, "stream_options.");
            }
        }
        MediaOptions mediaOptions = mediaOptions(body.get("mm_processor_kwargs"), errors);
        errors.throwIfAny();

        var request = new ChatRequest(model, messages, sampling, stream, includeUsage, mediaOptions);
        if (request.mediaCount() > limits.maxMediaItems()) {
            throw new ApiException(400, ErrorCodes.TOO_MANY_MEDIA, "the request has " + request.mediaCount()
                    + " images and videos; at most " + limits.maxMediaItems() + " are allowed");
        }
        return request;
    }

    private String model(JsonNode body, Errors errors) {
        JsonNode model = body.get("model");
        if (model == null || model.isNull()) {
            return modelId;   // vLLM serves its one model when none is named
        }
        if (!model.isTextual()) {
            errors.request("model", "must be a string");
            return modelId;
        }
        if (!model.asText().equals(modelId)) {
            throw new ApiException(404, ErrorCodes.MODEL_NOT_FOUND, "the model '" + truncate(model.asText())
                    + "' does not exist; this server serves '" + modelId + "'");
        }
        return modelId;
    }

    private List<ChatRequest.Message> messages(JsonNode node, Errors errors) {
        List<ChatRequest.Message> messages = new ArrayList<>();
        if (node == null || !node.isArray() || node.isEmpty()) {
            errors.request("messages", "must be a non-empty array");
            return messages;
        }
        if (node.size() > limits.maxMessages()) {
            errors.request("messages", "at most " + limits.maxMessages() + " messages are allowed");
            return messages;
        }
        for (int i = 0; i < node.size(); i++) {
            String at = "messages[" + i + "]";
            JsonNode message = node.get(i);
            if (!message.isObject()) {
                errors.request(at, "must be an object");
                continue;
            }
            JsonNode roleNode = message.get("role");
            if (roleNode == null || !roleNode.isTextual() || !ROLES.contains(roleNode.asText())) {
                errors.request(at + ".role", "must be one of system, developer, user, assistant");
                continue;
            }
            String role = "developer".equals(roleNode.asText()) ? "system" : roleNode.asText();
            List<ChatRequest.Part> parts = content(message.get("content"), at + ".content", role, errors);
            messages.add(new ChatRequest.Message(role, parts));
        }
        return messages;
    }

    private List<ChatRequest.Part> content(JsonNode content, String at, String role, Errors errors) {
        List<ChatRequest.Part> parts = new ArrayList<>();
        if (content == null || content.isNull()) {
            if (!"assistant".equals(role)) {
                errors.request(at, "is required");
            }
            return parts;
        }
        if (content.isTextual()) {
            text(content.asText(), at, errors).ifPresent(parts::add);
            return parts;
        }
        if (!content.isArray()) {
            errors.request(at, "must be a string or an array of parts");
            return parts;
        }
        for (int j = 0; j < content.size(); j++) {
            String partAt = at + "[" + j + "]";
            JsonNode part = content.get(j);
            JsonNode type = part.isObject() ? part.get("type") : null;
            if (type == null || !type.isTextual()) {
                errors.request(partAt + ".type", "is required");
                continue;
            }
            switch (type.asText()) {
                case "text" -> {
                    JsonNode text = part.get("text");
                    if (text == null || !text.isTextual()) {
                        errors.request(partAt + ".text", "must be a string");
                    } else {
                        text(text.asText(), partAt + ".text", errors).ifPresent(parts::add);
                    }
                }
                case "image_url", "video_url" -> {
                    String kind = type.asText().startsWith("image") ? "image" : "video";
                    if (!"user".equals(role)) {
                        errors.request(partAt, kind + " parts are only allowed in user messages");
                        continue;
                    }
                    JsonNode media = part.get(type.asText());
                    JsonNode frames = media != null && media.isObject() ? media.get("url") : media;
                    if ("video".equals(kind) && frames != null && frames.isArray()) {
                        // A video as its frames (vLLM's list-of-images video): video_url.url lists the frame URLs.
                        frameUrls(frames, partAt + ".video_url.url", errors).ifPresent(list ->
                                parts.add(new ChatRequest.Part.Media(new MediaSource.Frames(list))));
                        continue;
                    }
                    String url = mediaUrl(media, partAt + "." + type.asText(), errors);
                    if (url != null) {
                        parts.add(new ChatRequest.Part.Media(new MediaSource.Url(kind, url)));
                    }
                }
                default -> errors.request(partAt + ".type", "unsupported content part type '"
                        + truncate(type.asText()) + "'; use text, image_url or video_url");
            }
        }
        return parts;
    }

    private static java.util.Optional<ChatRequest.Part> text(String text, String at, Errors errors) {
        for (String reserved : RESERVED_TOKENS) {
            if (text.contains(reserved)) {
                errors.request(at, "must not contain the reserved token " + reserved);
                return java.util.Optional.empty();
            }
        }
        return java.util.Optional.of(new ChatRequest.Part.Text(text));
    }

    /** A non-empty list of non-empty frame URL strings. */
    private static java.util.Optional<List<String>> frameUrls(JsonNode frames, String at, Errors errors) {
        List<String> urls = new ArrayList<>();
        for (JsonNode frame : frames) {
            if (!frame.isTextual() || frame.asText().isBlank()) {
                errors.request(at, "must list non-empty strings (http(s) or data: URLs of the frames)");
                return java.util.Optional.empty();
            }
            urls.add(frame.asText());
        }
        if (urls.isEmpty()) {
            errors.request(at, "must list at least one frame");
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(urls);
    }

    /** {@code {"url": "..."}} as OpenAI sends it, or a bare string as some clients do. */
    private static String mediaUrl(JsonNode node, String at, Errors errors) {
        JsonNode url = node == null ? null : node.isObject() ? node.get("url") : node;
        if (url == null || !url.isTextual() || url.asText().isBlank()) {
            errors.request(at + ".url", "must be a non-empty string (an http(s) or data: URL)");
            return null;
        }
        return url.asText();
    }

    private Sampling sampling(JsonNode body, Errors errors) {
        Integer maxTokens = integer(body, "max_completion_tokens", 1, limits.maxTokens(), errors);
        if (maxTokens == null) {
            maxTokens = integer(body, "max_tokens", 1, limits.maxTokens(), errors);
        }
        if (maxTokens == null) {
            maxTokens = limits.defaultMaxTokens();
        }
        Double temperature = number(body, "temperature", 0, 2, errors);
        Double topP = number(body, "top_p", 0, 1, errors);
        if (topP != null && topP == 0) {
            errors.sampling("top_p", "must be greater than 0");
        }
        Integer topK = integer(body, "top_k", -1, Integer.MAX_VALUE, errors);
        if (topK != null && topK <= 0) {
            topK = null;   // -1 and 0 mean "no top-k" in vLLM
        }
        Double minP = number(body, "min_p", 0, 1, errors);
        Long seed = longValue(body, "seed", errors);
        List<String> stop = stop(body.get("stop"), errors);
        Integer n = integer(body, "n", 1, limits.maxN(), errors);
        Boolean logprobs = body.has("logprobs") && !body.get("logprobs").isNull()
                ? bool(body, "logprobs", false, errors) : null;
        Integer topLogprobs = integer(body, "top_logprobs", 0, limits.maxTopLogprobs(), errors);
        if (topLogprobs != null && topLogprobs > 0 && !Boolean.TRUE.equals(logprobs)) {
            errors.sampling("top_logprobs", "requires logprobs=true");
        }
        Double presence = number(body, "presence_penalty", -2, 2, errors);
        Double frequency = number(body, "frequency_penalty", -2, 2, errors);
        Double repetition = number(body, "repetition_penalty", 0, 10, errors);
        if (repetition != null && repetition == 0) {
            errors.sampling("repetition_penalty", "must be greater than 0");
        }
        // vLLM's extra parameter: false keeps special tokens (Qwen2-VL's grounding boxes) in the answer text.
        Boolean skipSpecialTokens = body.has("skip_special_tokens") && !body.get("skip_special_tokens").isNull()
                ? bool(body, "skip_special_tokens", true, errors) : null;
        return new Sampling(maxTokens, temperature, topP, topK, minP, seed, stop, null, repetition, presence,
                frequency, topLogprobs, logprobs, null, n, skipSpecialTokens);
    }

    private List<String> stop(JsonNode node, Errors errors) {
        if (node == null || node.isNull()) {
            return null;
        }
        List<String> stop = new ArrayList<>();
        if (node.isTextual()) {
            stop.add(node.asText());
        } else if (node.isArray()) {
            node.forEach(s -> {
                if (s.isTextual()) {
                    stop.add(s.asText());
                } else {
                    errors.sampling("stop", "must be a string or an array of strings");
                }
            });
        } else {
            errors.sampling("stop", "must be a string or an array of strings");
            return null;
        }
        if (stop.size() > limits.maxStop()) {
            errors.sampling("stop", "at most " + limits.maxStop() + " stop strings are allowed");
        }
        if (stop.stream().anyMatch(String::isEmpty)) {
            errors.sampling("stop", "stop strings must not be empty");
        }
        return stop.isEmpty() ? null : stop;
    }

    private MediaOptions mediaOptions(JsonNode node, Errors errors) {
        if (node == null || node.isNull()) {
            return MediaOptions.DEFAULTS;
        }
        if (!node.isObject()) {
            errors.request("mm_processor_kwargs", "must be an object");
            return MediaOptions.DEFAULTS;
        }
        Integer min = integer(node, "min_pixels", limits.minPixels(), limits.maxPixels(), errors, "mm_processor_kwargs.",
                false);
        Integer max = integer(node, "max_pixels", limits.minPixels(), limits.maxPixels(), errors, "mm_processor_kwargs.",
                false);
        if (min != null && max != null && min > max) {
            errors.request("mm_processor_kwargs.min_pixels", "must not exceed max_pixels");
        }
        // Other processor kwargs (fps, max_frames, ...) never come from clients (vLLM CVE-2026-105758): ignored.
        return new MediaOptions(min, max, null);
    }

    private static boolean bool(JsonNode node, String field, boolean absent, Errors errors) {
        return bool(node, field, absent, errors, "");
    }

    private static boolean bool(JsonNode node, String field, boolean absent, Errors errors, String prefix) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return absent;
        }
        if (!value.isBoolean()) {
            errors.request(prefix + field, "must be a boolean");
            return absent;
        }
        return value.asBoolean();
    }

    private static Integer integer(JsonNode node, String field, int min, int max, Errors errors) {
        return integer(node, field, min, max, errors, "", true);
    }

    private static Integer integer(JsonNode node, String field, int min, int max, Errors errors, String prefix,
                                   boolean sampling) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        // 8.0 is accepted as 8 (some clients serialise every number as a double); 8.5 is not.
        boolean integral = value.isIntegralNumber()
                || (value.isFloatingPointNumber() && Double.isFinite(value.asDouble()) && value.asDouble() == Math.rint(value.asDouble()));
        if (!integral) {
            errors.add(sampling, prefix + field, "must be an integer");
            return null;
        }
        if (!value.canConvertToLong() && !value.isFloatingPointNumber()
                || value.asDouble() < min || value.asDouble() > max) {
            errors.add(sampling, prefix + field, "must be between " + min + " and " + max);
            return null;
        }
        return (int) value.asDouble();
    }

    private static Long longValue(JsonNode node, String field, Errors errors) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            errors.sampling(field, "must be a 64-bit integer");
            return null;
        }
        return value.asLong();
    }

    private static Double number(JsonNode node, String field, double min, double max, Errors errors) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber() || !Double.isFinite(value.asDouble())) {
            errors.sampling(field, "must be a number");
            return null;
        }
        double d = value.asDouble();
        if (d < min || d > max) {
            errors.sampling(field, "must be between " + min + " and " + max);
            return null;
        }
        return d;
    }

    private static String truncate(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }

    /** Problems found so far; the code is {@code invalid_sampling_params} when only sampling fields are wrong. */
    private static final class Errors {
        private final List<FieldError> list = new ArrayList<>();
        private boolean requestError;

        void request(String field, String message) {
            add(false, field, message);
        }

        void sampling(String field, String message) {
            add(true, field, message);
        }

        void add(boolean sampling, String field, String message) {
            requestError |= !sampling;
            list.add(new FieldError(field, message));
        }

        void throwIfAny() {
            if (list.isEmpty()) {
                return;
            }
            String code = requestError ? ErrorCodes.INVALID_REQUEST : ErrorCodes.INVALID_SAMPLING_PARAMS;
            FieldError first = list.getFirst();
            throw new ApiException(400, code, first.field() + " " + first.message()
                    + (list.size() > 1 ? " (and " + (list.size() - 1) + " more problems)" : ""), null, list, null);
        }
    }
}
