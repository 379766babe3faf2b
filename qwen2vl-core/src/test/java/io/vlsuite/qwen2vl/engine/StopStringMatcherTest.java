package io.vlsuite.qwen2vl.engine;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class StopStringMatcherTest {

    @Test
    void whateverTheSplitTheOutputIsTheTextUpToTheFirstStopAndNothingIsRetracted() {
        List<String> stops = List.of("</s>", "\n\nUser:", "ss");
        String[] texts = {
                "Hello there.\n\nUser: again", "no stop at all <", "a</b></s>tail", "mississippi", "\n\nUse",
                "end with partial </"};
        SplittableRandom random = new SplittableRandom(7);
        for (String text : texts) {
            int first = firstStop(text, stops);
            String expected = first < 0 ? text : text.substring(0, first);
            for (int trial = 0; trial < 200; trial++) {
                StopStringMatcher matcher = new StopStringMatcher(stops);
                StringBuilder out = new StringBuilder();
                String matched = null;
                for (int at = 0; at < text.length() && matched == null; ) {
                    int len = Math.min(text.length() - at, 1 + random.nextInt(4));
                    StopStringMatcher.Result r = matcher.append(text.substring(at, at + len), true);
                    out.append(r.emit());
                    // Streaming is append-only: what was emitted must stay a prefix of the final answer.
                    assertThat(expected).startsWith(out.toString());
                    matched = r.matchedStop();
                    at += len;
                }
                if (matched == null) {
                    out.append(matcher.flush());
                }
                assertThat(out.toString()).as(text).isEqualTo(expected);
                assertThat(matched != null).isEqualTo(first >= 0);
            }
        }
    }

    private static int firstStop(String text, List<String> stops) {
        return stops.stream().mapToInt(text::indexOf).filter(i -> i >= 0).min().orElse(-1);
    }

    @Test
    void theEarliestStopWinsAndItsTextIsReported() {
        StopStringMatcher matcher = new StopStringMatcher(List.of("cd", "bc"));
        StopStringMatcher.Result r = matcher.append("abcd", true);
        assertThat(r.emit()).isEqualTo("a");
        assertThat(r.matchedStop()).isEqualTo("bc");
    }

    @Test
    void withoutStopsTextPassesStraightThrough() {
        StopStringMatcher matcher = new StopStringMatcher(List.of());
        assertThat(matcher.append("abc", true)).isEqualTo(new StopStringMatcher.Result("abc", null));
    }

    @Test
    void beforeMinTokensStopsDoNotMatch() {
        StopStringMatcher matcher = new StopStringMatcher(List.of("x"));
        assertThat(matcher.append("axb", false)).isEqualTo(new StopStringMatcher.Result("axb", null));
    }
}
