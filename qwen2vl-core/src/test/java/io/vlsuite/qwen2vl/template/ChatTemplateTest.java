package io.vlsuite.qwen2vl.template;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vlsuite.qwen2vl.Qwen2VlException;
import io.vlsuite.qwen2vl.tokenizer.TokenizerFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChatTemplateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ChatTemplate qwen = ChatTemplate.load(TokenizerFixtures.TINY_RANDOM_DIR);

    @Test
    void visionIdsNumberImagesAndVideosSeparatelyAcrossTheConversation() {
        List<ChatMessage> messages = List.of(
                ChatMessage.of("user", List.of(new ContentPart.Image(null), new ContentPart.Text("and"),
                        new ContentPart.Video(List.of()))),
                ChatMessage.of("assistant", "ok"),
                ChatMessage.of("user", List.of(new ContentPart.Image("https://x/y.png"))));
        String text = qwen.render(messages, new ChatOptions(false, true));
        assertThat(text).isEqualTo("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
                + "<|im_start|>user\nPicture 1: <|vision_start|><|image_pad|><|vision_end|>and"
                + "Video 1: <|vision_start|><|video_pad|><|vision_end|><|im_end|>\n"
                + "<|im_start|>assistant\nok<|im_end|>\n"
                + "<|im_start|>user\nPicture 2: <|vision_start|><|image_pad|><|vision_end|><|im_end|>\n");
    }

    @Test
    void messageTextIsPrintedVerbatimNeverEvaluated() {
        String text = qwen.render(List.of(ChatMessage.of("user", "{{ 7 * 7 }} {% if x %}")), ChatOptions.DEFAULT);
        assertThat(text).contains("user\n{{ 7 * 7 }} {% if x %}<|im_end|>");
    }

    @Test
    void listsAndDictsPrintAsPythonReprsLikeJinja2() {
        ChatTemplate t = ChatTemplate.of("{{ ['x', 2] }} {{ {'a': 1} }} {{ ['x'] | tojson }}", Map.of());
        assertThat(t.render(List.of(ChatMessage.of("user", "hi")), ChatOptions.DEFAULT)).isEqualTo("['x', 2] {'a': 1} [\"x\"]");
    }

    @Test
    void raiseExceptionRejectsTheInputWithTheTemplatesMessage() {
        ChatTemplate strict = ChatTemplate.of(
                "{% if messages[0]['role'] != 'system' %}{{ raise_exception('System message required') }}{% endif %}ok",
                Map.of());
        assertThatThrownBy(() -> strict.render(List.of(ChatMessage.of("user", "hi")), ChatOptions.DEFAULT))
                .isInstanceOfSatisfying(Qwen2VlException.class, e -> {
                    assertThat(e.code()).isEqualTo("chat_template_rejected");
                    assertThat(e.getMessage()).isEqualTo("System message required");
                });
        assertThat(strict.render(List.of(ChatMessage.of("system", "s")), ChatOptions.DEFAULT)).isEqualTo("ok");
    }

    @Test
    void brokenTemplateIsAClearError() {
        ChatTemplate broken = ChatTemplate.of("{% for m in messages %}{{ m.role }}", Map.of());
        assertThatThrownBy(() -> broken.render(List.of(ChatMessage.of("user", "hi")), ChatOptions.DEFAULT))
                .isInstanceOfSatisfying(Qwen2VlException.class, e -> assertThat(e.code()).isEqualTo("chat_template_error"));
    }

    @Test
    void loadsChatTemplateJinjaFirstAndExposesSpecialTokens(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("chat_template.jinja"), "{{ messages[0]['content'] }}{{ eos_token }}\n");
        Files.writeString(dir.resolve("chat_template.json"), "{\"chat_template\": \"from json\"}");
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"eos_token\": {\"content\": \"<|im_end|>\"}}");
        assertThat(ChatTemplate.load(dir).render(List.of(ChatMessage.of("user", "hi")), ChatOptions.DEFAULT))
                .isEqualTo("hi<|im_end|>");
    }

    @Test
    void loadsTheDefaultOfNamedTemplatesInTokenizerConfig(@TempDir Path dir) throws IOException {
        JSON.writeValue(dir.resolve("tokenizer_config.json").toFile(), Map.of("chat_template", List.of(
                Map.of("name", "tool_use", "template", "tools"),
                Map.of("name", "default", "template", "default:{{ messages|length }}"))));
        assertThat(ChatTemplate.load(dir).render(List.of(ChatMessage.of("user", "hi")), ChatOptions.DEFAULT))
                .isEqualTo("default:1");
    }

    @Test
    void missingTemplateIsAClearError(@TempDir Path dir) {
        assertThatThrownBy(() -> ChatTemplate.load(dir))
                .isInstanceOfSatisfying(Qwen2VlException.class, e -> assertThat(e.code()).isEqualTo("chat_template_not_found"));
    }

    @Test
    void userSpansCoverExactlyTheMessageText() {
        List<ChatMessage> messages = List.of(ChatMessage.of("user", List.of(new ContentPart.Text("Look: "),
                new ContentPart.Image(null), new ContentPart.Text(" what?"))));
        RenderedPrompt rendered = qwen.renderWithUserSpans(messages, ChatOptions.DEFAULT);
        assertThat(rendered.spansKnown()).isTrue();
        assertThat(rendered.text()).isEqualTo(qwen.render(messages, ChatOptions.DEFAULT));
        assertThat(rendered.userSpans()).extracting(s -> rendered.text().substring(s.start(), s.end()))
                .containsExactly("Look: ", " what?");
    }

    @Test
    void templateThatRewritesMessageTextLeavesSpansUnknown() {
        ChatTemplate trimming = ChatTemplate.of("{% for m in messages %}[{{ m['content'] | trim }}]{% endfor %}", Map.of());
        RenderedPrompt rendered = trimming.renderWithUserSpans(List.of(ChatMessage.of("user", "  hi  ")), ChatOptions.DEFAULT);
        assertThat(rendered.text()).isEqualTo("[hi]");
        assertThat(rendered.spansKnown()).isFalse();
        assertThat(rendered.userTexts()).containsExactly("  hi  ");
    }
}
