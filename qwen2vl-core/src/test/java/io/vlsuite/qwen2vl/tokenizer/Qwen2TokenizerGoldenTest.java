package io.vlsuite.qwen2vl.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** Every {@code cases[]} entry of golden-tokenize.json (produced by Hugging Face tokenizers 0.23.2). */
class Qwen2TokenizerGoldenTest {

    @TestFactory
    List<DynamicTest> encodesAndDecodesLikeHuggingFace() throws IOException {
        JsonNode golden = new ObjectMapper().readTree(TokenizerFixtures.QWEN2VL_DIR.resolve("golden-tokenize.json").toFile());
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : golden.get("cases")) {
            String text = c.get("text").asText();
            int[] ids = StreamSupport.stream(c.get("ids").spliterator(), false).mapToInt(JsonNode::asInt).toArray();
            String decoded = c.get("decoded").asText();
            tests.add(DynamicTest.dynamicTest("case " + abbreviate(text), () -> {
                Qwen2Tokenizer tokenizer = TokenizerFixtures.qwen2vl();
                assertThat(tokenizer.encode(text)).as("ids of %s", text).containsExactly(ids);
                assertThat(tokenizer.decode(ids)).isEqualTo(decoded);
            }));
        }
        assertThat(tests).hasSize(40);
        return tests;
    }

    private static String abbreviate(String s) {
        String oneLine = s.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
        return oneLine.length() > 40 ? oneLine.substring(0, 40) + "..." : oneLine;
    }
}
