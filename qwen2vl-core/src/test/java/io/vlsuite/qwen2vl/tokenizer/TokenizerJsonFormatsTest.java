package io.vlsuite.qwen2vl.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The variants of tokenizer.json that Qwen2-family files come in. */
class TokenizerJsonFormatsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void mergesWrittenAsStringsGiveTheSameIdsAsMergesWrittenAsPairs(@TempDir Path dir) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(TokenizerFixtures.TINY_RANDOM_DIR.resolve("tokenizer.json").toFile());
        ArrayNode asStrings = JSON.createArrayNode();
        for (JsonNode pair : root.get("model").get("merges")) {
            asStrings.add(pair.get(0).asText() + " " + pair.get(1).asText());
        }
        ((ObjectNode) root.get("model")).set("merges", asStrings);
        Path file = dir.resolve("tokenizer.json");
        JSON.writeValue(file.toFile(), root);

        Qwen2Tokenizer legacy = Qwen2Tokenizer.load(file);
        Qwen2Tokenizer current = TokenizerFixtures.tinyRandom();
        for (String text : new String[] {"Describe this image.", "I'm here, 1234 times!\n\n  x", "中文 and ÜBER"}) {
            assertThat(legacy.encode(text)).containsExactly(current.encode(text));
        }
    }

    @Test
    void ignoreMergesTakesWholeWordsFromTheVocabulary(@TempDir Path dir) throws IOException {
        assertThat(miniTokenizer(dir, false).encode("abc")).containsExactly(0, 4);
        assertThat(miniTokenizer(dir, true).encode("abc")).containsExactly(5);
        // A word that is not in the vocabulary still goes through the merges.
        assertThat(miniTokenizer(dir, true).encode("bcbc")).containsExactly(4, 4);
    }

    private static Qwen2Tokenizer miniTokenizer(Path dir, boolean ignoreMerges) throws IOException {
        String json = """
                {"added_tokens": [],
                 "normalizer": {"type": "NFC"},
                 "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
                   {"type": "Split", "pattern": {"Regex": %s}, "behavior": "Isolated", "invert": false},
                   {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, "use_regex": false}]},
                 "model": {"type": "BPE", "dropout": null, "unk_token": null, "ignore_merges": %s,
                   "vocab": {"a": 0, "b": 1, "c": 2, "ab": 3, "bc": 4, "abc": 5},
                   "merges": [["b", "c"]]}}
                """.formatted(JSON.writeValueAsString(Qwen2PreTokenizer.PATTERN), ignoreMerges);
        return Qwen2Tokenizer.load(Files.writeString(dir.resolve("tokenizer-" + ignoreMerges + ".json"), json));
    }
}
