package io.vlsuite.qwen2vl.tokenizer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vlsuite.qwen2vl.Qwen2VlException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a Hugging Face {@code tokenizer.json} of the Qwen2 family.
 *
 * <p>The vocabulary and merges (150k entries each) are read with Jackson's streaming parser straight into their
 * final structures; the small sections are read as trees and checked, so a file from another tokenizer family is
 * rejected with {@code unsupported_tokenizer} instead of silently producing wrong ids.
 */
final class TokenizerJsonLoader {

    /**
     * Field-name canonicalization is off: the vocabulary is an object with 150k distinct keys, and interning them
     * into Jackson's symbol table would cost more than the parse itself.
     */
    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .build());

    /** What a tokenizer is built from. */
    record Parts(Map<String, Integer> vocab, MergeTable merges, boolean ignoreMerges, boolean nfc,
                 List<AddedToken> addedTokens) {
    }

    private TokenizerJsonLoader() {
    }

    static Parts load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        } catch (IOException e) {
            throw new Qwen2VlException("tokenizer_unreadable", "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Parts parse(InputStream in, String source) throws IOException {
        JsonFactory factory = MAPPER.getFactory();
        Map<String, Integer> vocab = null;
        List<String[]> mergePairs = null;
        JsonNode modelOptions = MAPPER.createObjectNode();
        JsonNode normalizer = null;
        JsonNode preTokenizer = null;
        JsonNode addedTokens = null;
        try (JsonParser p = factory.createParser(in)) {
            expect(p.nextToken(), JsonToken.START_OBJECT, source);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "model" -> {
                        expect(p.currentToken(), JsonToken.START_OBJECT, source);
                        var options = MAPPER.createObjectNode();
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String key = p.currentName();
                            p.nextToken();
                            switch (key) {
                                case "vocab" -> vocab = readVocab(p, source);
                                case "merges" -> mergePairs = readMerges(p, source);
                                default -> options.set(key, p.readValueAsTree());
                            }
                        }
                        modelOptions = options;
                    }
                    case "normalizer" -> normalizer = p.readValueAsTree();
                    case "pre_tokenizer" -> preTokenizer = p.readValueAsTree();
                    case "added_tokens" -> addedTokens = p.readValueAsTree();
                    default -> p.skipChildren();
                }
            }
        }
        if (vocab == null || mergePairs == null) {
            throw unsupported(source, "no BPE vocab/merges in model");
        }
        checkModel(modelOptions, source);
        boolean nfc = checkNormalizer(normalizer, source);
        checkPreTokenizer(preTokenizer, source);
        MergeTable merges = mergeTable(vocab, mergePairs, source);
        return new Parts(vocab, merges, modelOptions.path("ignore_merges").asBoolean(false), nfc,
                readAddedTokens(addedTokens, source));
    }

    private static MergeTable mergeTable(Map<String, Integer> vocab, List<String[]> mergePairs, String source) {
        MergeTable merges = new MergeTable(mergePairs.size());
        for (int rank = 0; rank < mergePairs.size(); rank++) {
            String[] pair = mergePairs.get(rank);
            Integer left = vocab.get(pair[0]);
            Integer right = vocab.get(pair[1]);
            Integer merged = vocab.get(pair[0].concat(pair[1]));
            if (left == null || right == null || merged == null) {
                throw new Qwen2VlException("tokenizer_invalid",
                        source + ": merge '" + pair[0] + " " + pair[1] + "' uses a token that is not in the vocabulary");
            }
            merges.put(left, right, rank, merged);
        }
        return merges;
    }

    private static Map<String, Integer> readVocab(JsonParser p, String source) throws IOException {
        expect(p.currentToken(), JsonToken.START_OBJECT, source);
        Map<String, Integer> vocab = new HashMap<>(1 << 19);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String token = p.currentName();
            p.nextToken();
            vocab.put(token, p.getIntValue());
        }
        return vocab;
    }

    /** Merges come as {@code "a b"} strings (older files) or {@code ["a", "b"]} pairs (tokenizers >= 0.20). */
    private static List<String[]> readMerges(JsonParser p, String source) throws IOException {
        expect(p.currentToken(), JsonToken.START_ARRAY, source);
        List<String[]> merges = new ArrayList<>(1 << 18);
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == JsonToken.VALUE_STRING) {
                String line = p.getText();
                int space = line.indexOf(' ');
                if (space < 0 || line.indexOf(' ', space + 1) >= 0) {
                    throw new Qwen2VlException("tokenizer_invalid", source + ": bad merge '" + line + "'");
                }
                merges.add(new String[] {line.substring(0, space), line.substring(space + 1)});
            } else if (t == JsonToken.START_ARRAY) {
                p.nextToken();
                String a = p.getText();
                p.nextToken();
                String b = p.getText();
                if (p.nextToken() != JsonToken.END_ARRAY) {
                    throw new Qwen2VlException("tokenizer_invalid", source + ": merge pair with more than 2 parts");
                }
                merges.add(new String[] {a, b});
            } else {
                throw new Qwen2VlException("tokenizer_invalid", source + ": unexpected " + t + " in merges");
            }
        }
        return merges;
    }

    private static void checkModel(JsonNode model, String source) {
        String type = model.path("type").asText("BPE");
        if (!type.equals("BPE")) {
            throw unsupported(source, "model type " + type);
        }
        if (!model.path("continuing_subword_prefix").asText("").isEmpty()
                || !model.path("end_of_word_suffix").asText("").isEmpty()) {
            throw unsupported(source, "continuing_subword_prefix/end_of_word_suffix");
        }
        if (model.path("byte_fallback").asBoolean(false)) {
            throw unsupported(source, "byte_fallback");
        }
        if (!model.path("dropout").isNull() && !model.path("dropout").isMissingNode()) {
            throw unsupported(source, "BPE dropout");
        }
    }

    private static boolean checkNormalizer(JsonNode normalizer, String source) {
        if (normalizer == null || normalizer.isNull()) {
            return false;
        }
        String type = normalizer.path("type").asText();
        if (type.equals("NFC")) {
            return true;
        }
        throw unsupported(source, "normalizer " + type);
    }

    /** Accepts Sequence[Split(Qwen2 pattern, Isolated), ByteLevel(use_regex=false)] or the Split alone. */
    private static void checkPreTokenizer(JsonNode pre, String source) {
        if (pre == null || pre.isNull()) {
            throw unsupported(source, "no pre_tokenizer");
        }
        List<JsonNode> steps = new ArrayList<>();
        if (pre.path("type").asText().equals("Sequence")) {
            pre.path("pretokenizers").forEach(steps::add);
        } else {
            steps.add(pre);
        }
        boolean sawSplit = false;
        for (JsonNode step : steps) {
            String type = step.path("type").asText();
            switch (type) {
                case "Split" -> {
                    String regex = step.path("pattern").path("Regex").asText(null);
                    if (!Qwen2PreTokenizer.PATTERN.equals(regex) || !step.path("behavior").asText().equals("Isolated")
                            || step.path("invert").asBoolean(false)) {
                        throw unsupported(source, "pre-tokenizer split pattern " + step.path("pattern"));
                    }
                    sawSplit = true;
                }
                case "ByteLevel" -> {
                    if (step.path("use_regex").asBoolean(true) || step.path("add_prefix_space").asBoolean(false)) {
                        throw unsupported(source, "ByteLevel pre-tokenizer with its own regex or prefix space");
                    }
                }
                default -> throw unsupported(source, "pre-tokenizer " + type);
            }
        }
        if (!sawSplit) {
            throw unsupported(source, "pre-tokenizer without the Qwen2 split");
        }
    }

    private static List<AddedToken> readAddedTokens(JsonNode added, String source) {
        List<AddedToken> tokens = new ArrayList<>();
        if (added == null || added.isNull()) {
            return tokens;
        }
        for (JsonNode t : added) {
            if (!t.has("id") || !t.has("content")) {
                throw new Qwen2VlException("tokenizer_invalid", source + ": added token without id/content");
            }
            tokens.add(new AddedToken(t.get("id").asInt(), t.get("content").asText(), t.path("special").asBoolean(false),
                    t.path("normalized").asBoolean(!t.path("special").asBoolean(false)), t.path("lstrip").asBoolean(false),
                    t.path("rstrip").asBoolean(false), t.path("single_word").asBoolean(false)));
        }
        return tokens;
    }

    private static void expect(JsonToken actual, JsonToken expected, String source) {
        if (actual != expected) {
            throw new Qwen2VlException("tokenizer_invalid", source + ": expected " + expected + " but found " + actual);
        }
    }

    private static Qwen2VlException unsupported(String source, String what) {
        return new Qwen2VlException("unsupported_tokenizer", source + ": not a Qwen2-family byte-level BPE tokenizer ("
                + what + ")");
    }
}
