package io.vlsuite.qwen2vl.tokenizer;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class Qwen2PreTokenizerTest {

    /**
     * The tokenizer.json pattern translated to java.util.regex: {@code \s} spelled out as the Unicode White_Space set
     * (Oniguruma's meaning) and Unicode case folding on, so the 'ſ' contraction behaves like Oniguruma's.
     */
    private static final String WS = "[\\t\\n\\x0B\\f\\r \\x85\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]";
    private static final String NOT_WS = "[^\\t\\n\\x0B\\f\\r \\x85\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]";
    private static final Pattern REFERENCE = Pattern.compile(
            "(?iu:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\t\\n\\x0B\\f\\r \\x85\\xA0\\u1680"
                    + "\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\p{L}\\p{N}]+[\\r\\n]*|" + WS + "*[\\r\\n]+|"
                    + WS + "+(?!" + NOT_WS + ")|" + WS + "+");

    private static List<String> scan(String text) {
        List<String> pieces = new ArrayList<>();
        Qwen2PreTokenizer.split(text, (s, e) -> pieces.add(text.substring(s, e)));
        return pieces;
    }

    private static List<String> reference(String text) {
        List<String> pieces = new ArrayList<>();
        Matcher m = REFERENCE.matcher(text);
        int last = 0;
        while (m.find()) {
            if (m.start() > last) {
                pieces.add(text.substring(last, m.start()));
            }
            pieces.add(m.group());
            last = m.end();
        }
        if (last < text.length()) {
            pieces.add(text.substring(last));
        }
        return pieces;
    }

    @Test
    void splitsLikeGpt4StyleRegexOnKnownExamples() {
        assertThat(scan("I'm sure they'LL say it's fine")).containsExactly("I", "'m", " sure", " they", "'LL", " say",
                " it", "'s", " fine");
        assertThat(scan("abc123  def\n\n  x  ")).containsExactly("abc", "1", "2", "3", " ", " def", "\n\n", " ", " x", "  ");
        assertThat(scan("hello!!?\n\nworld")).containsExactly("hello", "!!?\n\n", "world");
        assertThat(scan("\t\ttabs")).containsExactly("\t", "\ttabs");
        assertThat(scan("a \r\n b")).containsExactly("a", " \r\n", " b");
        assertThat(scan("zero\u200Bwidth")).containsExactly("zero", "\u200Bwidth");
    }

    @Property(tries = 3000)
    void agreesWithTheReferenceRegex(@ForAll("mixedText") String text) {
        assertThat(scan(text)).isEqualTo(reference(text));
    }

    @Provide
    Arbitrary<String> mixedText() {
        // Characters from every class the pattern distinguishes, including astral letters/digits and odd spaces.
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.of("'", "s", "S", "t", "re", "VE", "m", "ll", "D", "\u017F", "a", "Z", "é", "中", "𝔘", "ß"),
                Arbitraries.of("1", "٣", "Ⅻ", "½", "𝟘"),
                Arbitraries.of(" ", "  ", "\t", "\n", "\r", "\r\n", "\u00A0", "\u3000", "\u2028", "\u0085", "\u000B"),
                Arbitraries.of("!", ".", "(", "😀", "\u200B", "_", "-", "<|", "|>", "\u0301"),
                Arbitraries.chars().all().filter(c -> !Character.isSurrogate(c)).map(String::valueOf));
        return piece.list().ofMaxSize(30).map(l -> String.join("", l));
    }
}
