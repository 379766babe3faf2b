package io.vlsuite.qwen2vl.template;

import com.fasterxml.jackson.databind.JsonNode;
import io.vlsuite.qwen2vl.Qwen2VlException;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds {@link ChatMessage}s from the JSON shapes clients send: OpenAI chat completions
 * ({@code {"type":"image_url","image_url":{"url":...}}}) and Hugging Face / qwen-vl-utils
 * ({@code {"type":"image","image":...}}, {@code {"type":"video","video":[frames]}}, or the key alone).
 */
public final class ChatMessageParser {

    private ChatMessageParser() {
    }

    /** Parses a JSON array of messages. */
    public static List<ChatMessage> parseMessages(JsonNode messages) {
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw new Qwen2VlException("invalid_messages", "'messages' must be a non-empty array");
        }
        List<ChatMessage> out = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            out.add(parseMessage(messages.get(i), i));
        }
        return out;
    }

    static ChatMessage parseMessage(JsonNode m, int index) {
        if (!m.isObject()) {
            throw invalid(index, "a message must be an object");
        }
        JsonNode role = m.get("role");
        if (role == null || !role.isTextual()) {
            throw invalid(index, "missing 'role'");
        }
        JsonNode content = m.get("content");
        // Assistant turns that only called tools have no content; they render as empty text.
        if (content == null || content.isNull()) {
            return ChatMessage.of(role.asText(), "");
        }
        if (content.isTextual()) {
            return ChatMessage.of(role.asText(), content.asText());
        }
        if (!content.isArray()) {
            throw invalid(index, "'content' must be a string or an array of parts");
        }
        List<ContentPart> parts = new ArrayList<>();
        for (JsonNode part : content) {
            parts.add(parsePart(part, index));
        }
        return ChatMessage.of(role.asText(), parts);
    }

    private static ContentPart parsePart(JsonNode part, int index) {
        if (part.isTextual()) {
            return new ContentPart.Text(part.asText());
        }
        if (!part.isObject()) {
            throw invalid(index, "a content part must be an object");
        }
        String type = part.path("type").asText("");
        if (type.isEmpty()) {
            // qwen-vl-utils style: the key alone says what the part is.
            type = part.has("image") ? "image" : part.has("image_url") ? "image_url" : part.has("video") ? "video"
                    : part.has("video_url") ? "video_url" : part.has("text") ? "text" : "";
        }
        return switch (type) {
            case "text" -> {
                JsonNode text = part.get("text");
                if (text == null || !text.isTextual()) {
                    throw invalid(index, "text part without a 'text' string");
                }
                yield new ContentPart.Text(text.asText());
            }
            case "image", "image_url" -> new ContentPart.Image(reference(part.get(type.equals("image") ? "image" : "image_url")));
            case "video", "video_url" -> new ContentPart.Video(references(part.get(type.equals("video") ? "video" : "video_url")));
            default -> throw invalid(index, "unknown content part type '" + type + "'");
        };
    }

    /** A media reference given as a string or as {@code {"url": ...}}; null when absent. */
    private static String reference(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        JsonNode url = node.get("url");
        return url != null && url.isTextual() ? url.asText() : null;
    }

    private static List<String> references(JsonNode node) {
        if (node != null && node.isArray()) {
            List<String> frames = new ArrayList<>();
            node.forEach(f -> {
                String ref = reference(f);
                if (ref != null) {
                    frames.add(ref);
                }
            });
            return frames;
        }
        String single = reference(node);
        return single == null ? List.of() : List.of(single);
    }

    private static Qwen2VlException invalid(int index, String what) {
        return new Qwen2VlException("invalid_messages", "messages[" + index + "]: " + what);
    }
}
