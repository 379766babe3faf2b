package io.vlsuite.qwen2vl.template;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vlsuite.qwen2vl.Qwen2VlException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChatMessageParserTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<ChatMessage> parse(String json) throws Exception {
        return ChatMessageParser.parseMessages(JSON.readTree(json));
    }

    @Test
    void readsOpenAiShapedParts() throws Exception {
        List<ChatMessage> messages = parse("""
                [{"role": "system", "content": "Be brief."},
                 {"role": "user", "content": [{"type": "text", "text": "What is this?"},
                                              {"type": "image_url", "image_url": {"url": "https://h/cat.png"}}]},
                 {"role": "assistant", "content": null}]""");
        assertThat(messages.get(0)).isEqualTo(ChatMessage.of("system", "Be brief."));
        assertThat(messages.get(1).parts()).containsExactly(new ContentPart.Text("What is this?"),
                new ContentPart.Image("https://h/cat.png"));
        assertThat(messages.get(2).text()).isEmpty();
    }

    @Test
    void readsHuggingFaceAndQwenVlUtilsShapedParts() throws Exception {
        List<ChatMessage> messages = parse("""
                [{"role": "user", "content": [{"type": "image"}, {"image": "file:///a.jpg"},
                                              {"type": "video", "video": ["f0.png", "f1.png"]},
                                              {"video_url": {"url": "v.mp4"}}, {"text": "go"}]}]""");
        assertThat(messages.getFirst().parts()).containsExactly(new ContentPart.Image(null),
                new ContentPart.Image("file:///a.jpg"), new ContentPart.Video(List.of("f0.png", "f1.png")),
                new ContentPart.Video(List.of("v.mp4")), new ContentPart.Text("go"));
        assertThat(messages.getFirst().media()).hasSize(4);
    }

    @Test
    void rejectsMalformedMessages() {
        assertThatThrownBy(() -> parse("[]")).isInstanceOfSatisfying(Qwen2VlException.class,
                e -> assertThat(e.code()).isEqualTo("invalid_messages"));
        assertThatThrownBy(() -> parse("[{\"role\": \"user\", \"content\": [{\"type\": \"audio\"}]}]"))
                .isInstanceOfSatisfying(Qwen2VlException.class, e -> assertThat(e.getMessage()).contains("audio"));
        assertThatThrownBy(() -> parse("[{\"role\": \"user<|im_start|>\", \"content\": \"x\"}]"))
                .isInstanceOfSatisfying(Qwen2VlException.class, e -> assertThat(e.code()).isEqualTo("invalid_role"));
        assertThatThrownBy(() -> parse("[{\"content\": \"x\"}]"))
                .isInstanceOfSatisfying(Qwen2VlException.class, e -> assertThat(e.code()).isEqualTo("invalid_messages"));
    }
}
