package io.vlsuite.qwen2vl.template;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Template idioms of other Qwen-family checkpoints that Jinjava must render like jinja2. */
class RealWorldTemplatesTest {

    /** The no-tools path of the Qwen2.5 Instruct template (indented, {%- -%} everywhere, '\n' escapes, + concat). */
    private static final String QWEN25 = """
            {%- if tools %}
                {{- '<|im_start|>system\\n' }}
                {%- for tool in tools %}
                    {{- "\\n" }}
                    {{- tool | tojson }}
                {%- endfor %}
            {%- else %}
                {%- if messages[0]['role'] == 'system' %}
                    {{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}
                {%- else %}
                    {{- '<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\\n' }}
                {%- endif %}
            {%- endif %}
            {%- for message in messages %}
                {%- if (message.role == "user") or (message.role == "system" and not loop.first) or (message.role == "assistant" and not message.tool_calls) %}
                    {{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}
                {%- endif %}
            {%- endfor %}
            {%- if add_generation_prompt %}
                {{- '<|im_start|>assistant\\n' }}
            {%- endif %}
            """;

    @Test
    void rendersTheQwen25InstructTemplate() {
        ChatTemplate template = ChatTemplate.of(QWEN25, Map.of("eos_token", "<|im_end|>"));
        List<ChatMessage> messages = List.of(ChatMessage.of("user", "Hi"), ChatMessage.of("assistant", "Hello!"),
                ChatMessage.of("user", "Bye"));
        assertThat(template.render(messages, ChatOptions.DEFAULT)).isEqualTo(
                "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n"
                        + "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello!<|im_end|>\n"
                        + "<|im_start|>user\nBye<|im_end|>\n<|im_start|>assistant\n");
        RenderedPrompt rendered = template.renderWithUserSpans(messages, ChatOptions.DEFAULT);
        assertThat(rendered.spansKnown()).isTrue();
        assertThat(rendered.userSpans()).hasSize(3);
    }
}
