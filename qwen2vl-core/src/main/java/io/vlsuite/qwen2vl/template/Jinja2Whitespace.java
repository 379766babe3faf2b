package io.vlsuite.qwen2vl.template;

import io.vlsuite.qwen2vl.Qwen2VlException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites a template so that Jinjava, run with no whitespace handling of its own, produces what Hugging Face's
 * jinja2 environment ({@code trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False}) produces.
 *
 * <p>Why: Jinjava's {@code lstripBlocks} also strips spaces before a block tag in the middle of a line (it turns
 * {@code "Picture 1: {% endif %}"} into {@code "Picture 1:"}), and its handling of {@code -}/{@code +} markers differs
 * in corner cases. Doing the jinja2 rules here makes rendering exact:
 * <ul>
 *   <li>{@code {%-}, {@code {{-}, {@code {#-} remove all whitespace before the tag; {@code -%}} etc. all after;</li>
 *   <li>lstrip_blocks: spaces/tabs between a line start and {@code {%} or {@code {#} are removed (not before
 *       {@code {{}, and not with {@code {%+});</li>
 *   <li>trim_blocks: the first newline after {@code %}} or {@code #}} is removed (not with {@code +%}});</li>
 *   <li>comments are dropped; one trailing newline of the template is dropped.</li>
 * </ul>
 * The output contains tags without {@code -}/{@code +} markers.
 */
final class Jinja2Whitespace {

    private static final Pattern RAW_END = Pattern.compile("\\{%([-+]?)\\s*endraw\\s*([-+]?)%}");

    private Jinja2Whitespace() {
    }

    static String apply(String source) {
        String src = source.endsWith("\n") ? source.substring(0, source.length() - 1) : source;
        StringBuilder out = new StringBuilder(src.length());
        int pos = 0;
        boolean stripLeading = false;
        boolean dropNewline = false;
        while (true) {
            int tagStart = nextTagStart(src, pos);
            int textEnd = tagStart < 0 ? src.length() : tagStart;
            String text = src.substring(pos, textEnd);
            if (stripLeading) {
                text = text.stripLeading();
            } else if (dropNewline && text.startsWith("\n")) {
                text = text.substring(1);
            }
            if (tagStart < 0) {
                out.append(text);
                return out.toString();
            }
            char kind = src.charAt(tagStart + 1);
            char openMark = tagStart + 2 < src.length() ? src.charAt(tagStart + 2) : ' ';
            if (openMark == '-') {
                text = text.stripTrailing();
            } else if (kind != '{' && openMark != '+' && atLineStartWithOnlyBlanks(src, pos, textEnd)) {
                text = text.substring(0, text.length() - blankTailLength(text));
            }
            out.append(text);

            int closeStart = tagCloseStart(src, tagStart, kind);
            char closeMark = src.charAt(closeStart - 1);
            int bodyStart = tagStart + 2 + (openMark == '-' || openMark == '+' ? 1 : 0);
            int bodyEnd = closeStart - (closeMark == '-' || closeMark == '+' ? 1 : 0);
            String body = src.substring(bodyStart, Math.max(bodyStart, bodyEnd));
            pos = closeStart + 2;

            if (kind == '%' && body.strip().equals("raw")) {
                Matcher end = RAW_END.matcher(src);
                if (!end.find(pos)) {
                    throw new Qwen2VlException("chat_template_invalid", "{% raw %} without {% endraw %}");
                }
                String raw = src.substring(pos, end.start());
                if (closeMark == '-') {
                    raw = raw.stripLeading();
                } else if (closeMark != '+' && raw.startsWith("\n")) {
                    raw = raw.substring(1);
                }
                if (end.group(1).equals("-")) {
                    raw = raw.stripTrailing();
                }
                out.append("{% raw %}").append(raw).append("{% endraw %}");
                closeMark = end.group(2).isEmpty() ? ' ' : end.group(2).charAt(0);
                pos = end.end();
            } else if (kind != '#') {
                out.append('{').append(kind).append(body).append(kind == '{' ? '}' : kind).append('}');
            }
            stripLeading = closeMark == '-';
            dropNewline = kind != '{' && closeMark != '+';
        }
    }

    private static int nextTagStart(String src, int from) {
        int i = src.indexOf('{', from);
        while (i >= 0 && i + 1 < src.length()) {
            char c = src.charAt(i + 1);
            if (c == '{' || c == '%' || c == '#') {
                return i;
            }
            i = src.indexOf('{', i + 1);
        }
        return -1;
    }

    /** True when the text before a tag, from the last line start, is only spaces and tabs. */
    private static boolean atLineStartWithOnlyBlanks(String src, int textStart, int tagStart) {
        int i = tagStart - 1;
        while (i >= textStart && (src.charAt(i) == ' ' || src.charAt(i) == '\t')) {
            i--;
        }
        if (i >= textStart) {
            return src.charAt(i) == '\n';
        }
        // The blank run reaches back to the previous tag: only a line start if that tag ended a line.
        return textStart == 0 || src.charAt(textStart - 1) == '\n';
    }

    private static int blankTailLength(String text) {
        int n = 0;
        for (int i = text.length() - 1; i >= 0 && (text.charAt(i) == ' ' || text.charAt(i) == '\t'); i--) {
            n++;
        }
        return n;
    }

    /** Index of the closing {@code %}}, {@code }}} or {@code #}}, skipping string literals and nested braces. */
    private static int tagCloseStart(String src, int tagStart, char kind) {
        if (kind == '#') {
            int end = src.indexOf("#}", tagStart + 2);
            if (end < 0) {
                throw unclosed(src, tagStart);
            }
            return end;
        }
        char close = kind == '{' ? '}' : '%';
        int depth = 0;
        for (int i = tagStart + 2; i + 1 < src.length(); i++) {
            char c = src.charAt(i);
            if (c == '\'' || c == '"') {
                int j = i + 1;
                while (j < src.length() && src.charAt(j) != c) {
                    j += src.charAt(j) == '\\' ? 2 : 1;
                }
                i = j;
            } else if (c == '{' || c == '[' || c == '(') {
                depth++;
            } else if ((c == ']' || c == ')') && depth > 0) {
                depth--;
            } else if (c == '}' && depth > 0) {
                depth--;
            } else if (c == close && src.charAt(i + 1) == '}' && depth == 0) {
                return i;
            }
        }
        throw unclosed(src, tagStart);
    }

    private static Qwen2VlException unclosed(String src, int tagStart) {
        String start = src.substring(tagStart, Math.min(src.length(), tagStart + 30));
        return new Qwen2VlException("chat_template_invalid", "unclosed template tag at: " + start);
    }
}
