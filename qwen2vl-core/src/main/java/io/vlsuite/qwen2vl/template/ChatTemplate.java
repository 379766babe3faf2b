package io.vlsuite.qwen2vl.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import io.vlsuite.qwen2vl.Qwen2VlException;
import io.vlsuite.qwen2vl.tokenizer.TextSpan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's Jinja chat template, rendered like Hugging Face's {@code apply_chat_template}.
 *
 * <p>Rendering uses Jinjava with the template pre-processed by {@link Jinja2Whitespace} (jinja2's
 * {@code trim_blocks}/{@code lstrip_blocks} rules), nested interpretation off (so text such as {@code {{ x }}} inside a
 * message is printed, never evaluated), a {@code raise_exception(msg)} function, and the tokenizer's special tokens
 * ({@code eos_token}, ...) as variables; lists and dicts print as Python reprs. Known differences from jinja2:
 * booleans print as {@code true}/{@code false} and {@code none} as an empty string.
 *
 * <p>{@link #renderWithUserSpans} also reports which ranges of the output are message text, by rendering with
 * unique placeholders in place of each text and substituting afterwards; the tokenizer then keeps special tokens out
 * of those ranges (see {@link io.vlsuite.qwen2vl.tokenizer.Qwen2Tokenizer#encode(String, List)}).
 */
public final class ChatTemplate {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char PLACEHOLDER_OPEN = '\uE000';
    private static final char PLACEHOLDER_CLOSE = '\uE001';
    private static final String[] SPECIAL_TOKEN_KEYS = {"bos_token", "eos_token", "pad_token", "unk_token"};

    private final String source;
    private final String prepared;
    private final Map<String, String> specialTokens;
    private final Jinjava jinjava;

    private ChatTemplate(String source, Map<String, String> specialTokens) {
        this.source = source;
        this.prepared = Jinja2Whitespace.apply(source);
        this.specialTokens = Map.copyOf(specialTokens);
        this.jinjava = new Jinjava(JinjavaConfig.newBuilder()
                .withTrimBlocks(false)
                .withLstripBlocks(false)
                .withNestedInterpretationEnabled(false)
                .withMaxOutputSize(64L << 20)
                // Lists and dicts print as Python reprs (['a', 1], {'k': 'v'}), as in jinja2.
                .withLegacyOverrides(LegacyOverrides.newBuilder().withUsePyishObjectMapper(true).build())
                .build());
        jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception",
                ChatTemplate.class, "raiseException", String.class));
    }

    /** A template from its source text; {@code specialTokens} maps e.g. {@code eos_token} to its string. */
    public static ChatTemplate of(String source, Map<String, String> specialTokens) {
        return new ChatTemplate(source, specialTokens);
    }

    /**
     * Loads the template of a model folder, in the order transformers looks: {@code chat_template.jinja},
     * {@code chat_template.json} ({@code {"chat_template": ...}}), then {@code tokenizer_config.json}
     * ({@code chat_template} as a string, or a list of named templates of which "default" is used).
     */
    public static ChatTemplate load(Path modelDir) {
        try {
            JsonNode tokenizerConfig = readJsonIfPresent(modelDir.resolve("tokenizer_config.json"));
            Map<String, String> specials = specialTokens(tokenizerConfig);
            Path jinja = modelDir.resolve("chat_template.jinja");
            if (Files.isRegularFile(jinja)) {
                return new ChatTemplate(Files.readString(jinja), specials);
            }
            JsonNode json = readJsonIfPresent(modelDir.resolve("chat_template.json"));
            if (json != null && json.path("chat_template").isTextual()) {
                return new ChatTemplate(json.get("chat_template").asText(), specials);
            }
            if (tokenizerConfig != null) {
                JsonNode t = tokenizerConfig.get("chat_template");
                if (t != null && t.isTextual()) {
                    return new ChatTemplate(t.asText(), specials);
                }
                if (t != null && t.isArray()) {
                    for (JsonNode named : t) {
                        if ("default".equals(named.path("name").asText()) && named.path("template").isTextual()) {
                            return new ChatTemplate(named.get("template").asText(), specials);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new Qwen2VlException("chat_template_unreadable", "cannot read the chat template in " + modelDir
                    + ": " + e.getMessage(), e);
        }
        throw new Qwen2VlException("chat_template_not_found", "no chat template in " + modelDir
                + " (looked for chat_template.jinja, chat_template.json, tokenizer_config.json)");
    }

    private static JsonNode readJsonIfPresent(Path file) throws IOException {
        return Files.isRegularFile(file) ? JSON.readTree(file.toFile()) : null;
    }

    private static Map<String, String> specialTokens(JsonNode tokenizerConfig) {
        Map<String, String> specials = new HashMap<>();
        if (tokenizerConfig == null) {
            return specials;
        }
        for (String key : SPECIAL_TOKEN_KEYS) {
            JsonNode v = tokenizerConfig.get(key);
            if (v != null && v.isTextual()) {
                specials.put(key, v.asText());
            } else if (v != null && v.path("content").isTextual()) {
                specials.put(key, v.get("content").asText());
            }
        }
        return specials;
    }

    /** The template source as found in the model folder. */
    public String source() {
        return source;
    }

    /** Renders the prompt text. */
    public String render(List<ChatMessage> messages, ChatOptions options) {
        return renderMaps(toTemplateMessages(messages, null), options);
    }

    /** Renders the prompt text and locates the message text in it (see the class comment). */
    public RenderedPrompt renderWithUserSpans(List<ChatMessage> messages, ChatOptions options) {
        String nonce = Long.toHexString(RANDOM.nextLong()) + Long.toHexString(RANDOM.nextLong());
        String prefix = PLACEHOLDER_OPEN + nonce + ":";
        List<String> userTexts = new ArrayList<>();
        String withPlaceholders = renderMaps(toTemplateMessages(messages, new Placeholders(prefix, userTexts)), options);

        StringBuilder text = new StringBuilder(withPlaceholders.length() + 64);
        List<TextSpan> spans = new ArrayList<>();
        int pos = 0;
        while (true) {
            int at = withPlaceholders.indexOf(prefix, pos);
            if (at < 0) {
                text.append(withPlaceholders, pos, withPlaceholders.length());
                break;
            }
            int close = withPlaceholders.indexOf(PLACEHOLDER_CLOSE, at + prefix.length());
            int index = close < 0 ? -1 : parseIndex(withPlaceholders.substring(at + prefix.length(), close));
            if (index < 0 || index >= userTexts.size()) {
                // A template that cut a placeholder apart: cannot know where the text is.
                return unlocated(messages, options, userTexts);
            }
            text.append(withPlaceholders, pos, at);
            String user = userTexts.get(index);
            spans.add(new TextSpan(text.length(), text.length() + user.length()));
            text.append(user);
            pos = close + 1;
        }
        String rendered = text.toString();
        if (!rendered.equals(render(messages, options))) {
            // The template does something with message text (trim, slicing...): spans would be wrong.
            return unlocated(messages, options, userTexts);
        }
        return new RenderedPrompt(rendered, mergeAdjacent(spans), userTexts, true);
    }

    private RenderedPrompt unlocated(List<ChatMessage> messages, ChatOptions options, List<String> userTexts) {
        return new RenderedPrompt(render(messages, options), List.of(), userTexts, false);
    }

    private static int parseIndex(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static List<TextSpan> mergeAdjacent(List<TextSpan> spans) {
        List<TextSpan> merged = new ArrayList<>();
        for (TextSpan s : spans) {
            if (s.start() == s.end()) {
                continue;
            }
            if (!merged.isEmpty() && merged.getLast().end() == s.start()) {
                merged.set(merged.size() - 1, new TextSpan(merged.getLast().start(), s.end()));
            } else {
                merged.add(s);
            }
        }
        return merged;
    }

    /** Replaces each message text by a numbered placeholder and remembers the text. */
    private record Placeholders(String prefix, List<String> texts) {
        String add(String text) {
            texts.add(text);
            return prefix + (texts.size() - 1) + PLACEHOLDER_CLOSE;
        }
    }

    private static List<Map<String, Object>> toTemplateMessages(List<ChatMessage> messages, Placeholders placeholders) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ChatMessage m : messages) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("role", m.role());
            if (m.text() != null) {
                map.put("content", placeholders == null ? m.text() : placeholders.add(m.text()));
            } else {
                List<Map<String, Object>> parts = new ArrayList<>();
                for (ContentPart p : m.parts()) {
                    Map<String, Object> part = new LinkedHashMap<>();
                    switch (p) {
                        case ContentPart.Text t -> {
                            part.put("type", "text");
                            part.put("text", placeholders == null ? t.text() : placeholders.add(t.text()));
                        }
                        case ContentPart.Image i -> part.put("type", "image");
                        case ContentPart.Video v -> part.put("type", "video");
                    }
                    parts.add(part);
                }
                map.put("content", parts);
            }
            out.add(map);
        }
        return out;
    }

    private String renderMaps(List<Map<String, Object>> messages, ChatOptions options) {
        Map<String, Object> context = new HashMap<>(specialTokens);
        context.put("messages", messages);
        context.put("add_generation_prompt", options.addGenerationPrompt());
        context.put("add_vision_id", options.addVisionId());
        RenderResult result = jinjava.renderForResult(prepared, context);
        for (TemplateError error : result.getErrors()) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw templateError(error);
            }
        }
        return result.getOutput();
    }

    private static Qwen2VlException templateError(TemplateError error) {
        String message = error.getMessage();
        Throwable cause = error.getException();
        while (cause != null) {
            if (cause instanceof TemplateRaisedException raised) {
                return new Qwen2VlException("chat_template_rejected", raised.getMessage());
            }
            cause = cause.getCause();
        }
        return new Qwen2VlException("chat_template_error", "chat template failed: " + message);
    }

    /** Implements the template function {@code raise_exception(message)} (used by templates to reject input). */
    public static Object raiseException(String message) {
        throw new TemplateRaisedException(message);
    }

    /** Thrown by {@code raise_exception} inside a template. */
    static final class TemplateRaisedException extends RuntimeException {
        TemplateRaisedException(String message) {
            super(message);
        }
    }
}
