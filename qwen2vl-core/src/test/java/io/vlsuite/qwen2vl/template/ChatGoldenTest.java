package io.vlsuite.qwen2vl.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vlsuite.qwen2vl.image.MediaKind;
import io.vlsuite.qwen2vl.safetensors.SafeTensorsFile;
import io.vlsuite.qwen2vl.tokenizer.Qwen2Tokenizer;
import io.vlsuite.qwen2vl.tokenizer.TokenizerFixtures;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** Chat rendering + tokenization + placeholder expansion against the transformers reference outputs. */
class ChatGoldenTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** golden-tokenize.json chat[]: template from tokenizer_config.json, one pad per image (not expanded). */
    @TestFactory
    List<DynamicTest> realTokenizerChatCases() throws IOException {
        JsonNode golden = JSON.readTree(TokenizerFixtures.QWEN2VL_DIR.resolve("golden-tokenize.json").toFile());
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : golden.get("chat")) {
            tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> {
                PromptBuilder builder = new PromptBuilder(TokenizerFixtures.qwen2vl(),
                        ChatTemplate.load(TokenizerFixtures.QWEN2VL_DIR), PromptBuilder.DEFAULT_MERGE_SIZE);
                List<ChatMessage> messages = ChatMessageParser.parseMessages(c.get("messages"));
                ChatOptions options = new ChatOptions(true, c.path("kwargs").path("add_vision_id").asBoolean(false));
                // A 2x2 grid is exactly one merged token, so expansion leaves the single pads of the reference.
                List<MediaGrid> oneTokenEach = messages.stream().flatMap(m -> m.media().stream())
                        .map(p -> new MediaGrid(p instanceof ContentPart.Video ? MediaKind.VIDEO : MediaKind.IMAGE, 1, 2, 2))
                        .toList();
                ChatPrompt prompt = builder.build(messages, options, oneTokenEach);
                assertThat(prompt.text()).isEqualTo(c.get("text").asText());
                assertThat(prompt.inputIds()).containsExactly(ints(c.get("ids")));
            }));
        }
        assertThat(tests).hasSize(4);
        return tests;
    }

    /** tiny-random golden cases: prompt_text, and input_ids of golden/&lt;case&gt;.safetensors after expansion. */
    @TestFactory
    List<DynamicTest> tinyRandomCases() throws IOException {
        Path dir = TokenizerFixtures.TINY_RANDOM_DIR;
        JsonNode index = JSON.readTree(dir.resolve("golden/index.json").toFile());
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : index.get("cases")) {
            String name = c.get("name").asText();
            tests.add(DynamicTest.dynamicTest(name, () -> {
                Qwen2Tokenizer tokenizer = TokenizerFixtures.tinyRandom();
                PromptBuilder builder = new PromptBuilder(tokenizer, ChatTemplate.load(dir), PromptBuilder.DEFAULT_MERGE_SIZE);
                List<ChatMessage> messages = ChatMessageParser.parseMessages(c.get("messages"));
                List<ContentPart> media = messages.stream().flatMap(m -> m.media().stream()).toList();
                List<MediaGrid> grids = new ArrayList<>();
                for (int i = 0; i < media.size(); i++) {
                    int[] thw = ints(c.get("media").get(i).get("grid_thw"));
                    MediaKind kind = media.get(i) instanceof ContentPart.Video ? MediaKind.VIDEO : MediaKind.IMAGE;
                    grids.add(new MediaGrid(kind, thw[0], thw[1], thw[2]));
                }
                ChatOptions options = new ChatOptions(true, c.path("kwargs").path("add_vision_id").asBoolean(false));
                ChatPrompt prompt = builder.build(messages, options, grids);

                assertThat(prompt.text()).isEqualTo(c.get("prompt_text").asText());
                int[] expected = SafeTensorsFile.open(dir.resolve("golden/" + name + ".safetensors")).get("input_ids").toIntArray();
                assertThat(prompt.inputIds()).containsExactly(expected);
                // The unexpanded prompt text tokenizes (with specials) to the same ids before expansion.
                assertThat(PromptExpander.forTokenizer(tokenizer, 2).expand(tokenizer.encode(c.get("prompt_text").asText()), grids))
                        .containsExactly(expected);
            }));
        }
        assertThat(tests).hasSize(8);
        return tests;
    }

    private static int[] ints(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).mapToInt(JsonNode::asInt).toArray();
    }
}
