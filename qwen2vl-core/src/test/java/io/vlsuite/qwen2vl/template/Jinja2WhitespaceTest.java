package io.vlsuite.qwen2vl.template;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rendering results that jinja2 gives with Hugging Face's settings (trim_blocks, lstrip_blocks,
 * keep_trailing_newline=False). In the sources below, {@code \n} stands for a newline.
 */
class Jinja2WhitespaceTest {

    private static String render(String template) {
        return ChatTemplate.of(template, Map.of()).render(List.of(ChatMessage.of("user", "hi")), ChatOptions.DEFAULT);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            // lstrip before a block tag at line start, trim the newline after it; mid-line blocks keep their spaces
            "a\\n  {% if true %}\\nx {% if true %}y{% endif %}\\n{% endif %}{{ 'z' }}\\n | a\\nx yz",
            // the Qwen2-VL add_vision_id case: the space before {% endif %} is not at a line start
            "{% if true %}Picture {{ 1 }}: {% endif %}<x> | Picture 1: <x>",
            // explicit whitespace control removes all whitespace, newlines included
            "a  \\n  {%- if true -%}  \\n  b{% endif %} | ab",
            // comments vanish and obey the same rules as blocks
            "x\\n  {# note #}\\ny | x\\ny",
            // + turns lstrip / trim off for one tag
            "x\\n  {%+ if true %}y{% endif %} | x\\n  y",
            "`{% if true +%}\\ny{% endif %}` | `\\ny`",
            // expressions are neither lstripped nor trimmed
            "x\\n  {{ 'y' }}\\nz | x\\n  y\\nz",
            // a %} inside a string literal does not end the tag, nor does a dict literal's }
            "{% set s = '%}' %}{{ s }} | %}",
            "{{ {'a': 1}['a'] }} | 1",
            "{% raw %}{{ x }}{% endraw %} | {{ x }}",
            // only one trailing newline of the template is dropped
            "`a\\n\\n` | `a\\n`",
    })
    void rendersLikeJinja2WithHuggingFaceSettings(String template, String expected) {
        assertThat(render(unescape(template))).isEqualTo(unescape(expected));
    }

    private static String unescape(String s) {
        return s.replace("\\n", "\n");
    }
}
