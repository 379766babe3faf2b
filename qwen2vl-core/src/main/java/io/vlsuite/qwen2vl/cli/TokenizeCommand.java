package io.vlsuite.qwen2vl.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vlsuite.qwen2vl.Qwen2VlException;
import io.vlsuite.qwen2vl.tokenizer.Qwen2Tokenizer;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;

/**
 * {@code tokenize --tokenizer <model dir | tokenizer.json> [--split-special-tokens]}: JSON lines
 * {@code {"text": "..."}} on stdin, JSON lines {@code {"ids": [...], "decoded": "..."}} on stdout.
 *
 * <p>By default special-token strings in the text become special tokens (like {@code tokenizers});
 * {@code --split-special-tokens} tokenizes them as plain text, as the server does for user-written text.
 */
public final class TokenizeCommand implements CliCommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return "tokenize";
    }

    @Override
    public String summary() {
        return "JSON lines {\"text\"} on stdin -> {\"ids\",\"decoded\"} (--tokenizer <dir|tokenizer.json>)";
    }

    @Override
    public int run(String[] args, InputStream in, PrintStream out) throws Exception {
        FlagArgs flags = FlagArgs.parse(args, Set.of("tokenizer"), Set.of("split-special-tokens"));
        Qwen2Tokenizer tokenizer = Qwen2Tokenizer.load(Path.of(flags.require("tokenizer")));
        boolean allowSpecial = !flags.has("split-special-tokens");
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        int lineNo = 0;
        while ((line = reader.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode text = parse(line, lineNo).get("text");
            if (text == null || !text.isTextual()) {
                throw new Qwen2VlException("invalid_request", "line " + lineNo + ": expected {\"text\": \"...\"}");
            }
            int[] ids = tokenizer.encode(text.asText(), allowSpecial);
            ObjectNode result = JSON.createObjectNode();
            var idArray = result.putArray("ids");
            for (int id : ids) {
                idArray.add(id);
            }
            result.put("decoded", tokenizer.decode(ids));
            out.println(JSON.writeValueAsString(result));
        }
        out.flush();
        return 0;
    }

    private static JsonNode parse(String line, int lineNo) {
        try {
            return JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new Qwen2VlException("invalid_json", "line " + lineNo + ": " + e.getOriginalMessage());
        }
    }
}
