package io.vlsuite.qwen2vl.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vlsuite.qwen2vl.Qwen2VlException;
import io.vlsuite.qwen2vl.image.MediaKind;
import io.vlsuite.qwen2vl.template.ChatMessage;
import io.vlsuite.qwen2vl.template.ChatMessageParser;
import io.vlsuite.qwen2vl.template.ChatOptions;
import io.vlsuite.qwen2vl.template.ChatPrompt;
import io.vlsuite.qwen2vl.template.ChatTemplate;
import io.vlsuite.qwen2vl.template.ContentPart;
import io.vlsuite.qwen2vl.template.MediaGrid;
import io.vlsuite.qwen2vl.template.PromptBuilder;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code render --model <dir> [--json]}: reads one JSON object
 * {@code {"messages": [...], "add_vision_id": false, "add_generation_prompt": true, "grids": [[t,h,w], ...]}}
 * on stdin and prints the chat prompt exactly as rendered.
 *
 * <p>With {@code --json} it prints {@code {"text": ..., "ids": [...]}} instead: ids tokenized as the server does
 * (message text protected from special tokens), with placeholders expanded when {@code grids} is given (one
 * {@code [t, h, w]} per image/video in order of appearance), else one placeholder per medium.
 */
public final class RenderCommand implements CliCommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return "render";
    }

    @Override
    public String summary() {
        return "JSON {\"messages\"} on stdin -> chat prompt text (--model <dir> [--json for text+ids])";
    }

    @Override
    public int run(String[] args, InputStream in, PrintStream out) throws Exception {
        FlagArgs flags = FlagArgs.parse(args, Set.of("model"), Set.of("json"));
        Path modelDir = Path.of(flags.require("model"));
        JsonNode request = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        List<ChatMessage> messages = ChatMessageParser.parseMessages(request.get("messages"));
        ChatOptions options = new ChatOptions(request.path("add_generation_prompt").asBoolean(true),
                request.path("add_vision_id").asBoolean(false));
        if (!flags.has("json")) {
            out.print(ChatTemplate.load(modelDir).render(messages, options));
            out.flush();
            return 0;
        }
        PromptBuilder builder = PromptBuilder.load(modelDir);
        ChatPrompt prompt = builder.build(messages, options, grids(request.get("grids"), messages));
        ObjectNode result = JSON.createObjectNode();
        result.put("text", prompt.text());
        var ids = result.putArray("ids");
        for (int id : prompt.inputIds()) {
            ids.add(id);
        }
        out.println(JSON.writeValueAsString(result));
        return 0;
    }

    /** Grids from the request, kinds from the message parts; without grids, 2x2 (one token) per medium. */
    private static List<MediaGrid> grids(JsonNode grids, List<ChatMessage> messages) {
        List<ContentPart> media = messages.stream().flatMap(m -> m.media().stream()).toList();
        List<MediaGrid> out = new ArrayList<>();
        if (grids == null || grids.isNull()) {
            for (ContentPart p : media) {
                out.add(new MediaGrid(kindOf(p), 1, 2, 2));
            }
            return out;
        }
        if (!grids.isArray() || grids.size() != media.size()) {
            throw new Qwen2VlException("media_count_mismatch", "'grids' must have one [t, h, w] per image/video ("
                    + media.size() + ")");
        }
        for (int i = 0; i < media.size(); i++) {
            JsonNode g = grids.get(i);
            if (!g.isArray() || g.size() != 3 || !g.get(0).canConvertToInt()) {
                throw new Qwen2VlException("invalid_request", "grids[" + i + "] must be [t, h, w]");
            }
            try {
                out.add(new MediaGrid(kindOf(media.get(i)), g.get(0).asInt(), g.get(1).asInt(), g.get(2).asInt()));
            } catch (IllegalArgumentException e) {
                throw new Qwen2VlException("invalid_request", "grids[" + i + "]: " + e.getMessage());
            }
        }
        return out;
    }

    private static MediaKind kindOf(ContentPart part) {
        return part instanceof ContentPart.Video ? MediaKind.VIDEO : MediaKind.IMAGE;
    }

    private static JsonNode parse(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || !node.isObject()) {
                throw new Qwen2VlException("invalid_request", "expected one JSON object on stdin");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new Qwen2VlException("invalid_json", e.getOriginalMessage());
        }
    }
}
