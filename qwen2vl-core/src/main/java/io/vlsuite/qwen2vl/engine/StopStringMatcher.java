package io.vlsuite.qwen2vl.engine;

import java.util.List;

/**
 * Finds stop strings in streamed text, also when one spans several tokens, and never emits text that a stop
 * string might later claim: a trailing piece of text that is the beginning of some stop string is held back
 * until the next text shows whether the stop string completes. On a match, the output ends right before it
 * (OpenAI/vLLM semantics: the stop string is not returned).
 */
public final class StopStringMatcher {

    /** What to emit now, and the stop string found, if any (then generation must end). */
    public record Result(String emit, String matchedStop) {
    }

    private final List<String> stops;
    private final int longestStop;
    private final StringBuilder held = new StringBuilder();

    public StopStringMatcher(List<String> stops) {
        this.stops = List.copyOf(stops);
        this.longestStop = stops.stream().mapToInt(String::length).max().orElse(0);
    }

    /**
     * Adds text.
     *
     * @param matching whether stop strings count yet (not before {@code min_tokens})
     */
    public Result append(String text, boolean matching) {
        if (stops.isEmpty()) {
            return new Result(text, null);
        }
        held.append(text);
        if (matching) {
            int earliest = -1;
            String found = null;
            for (String stop : stops) {
                int at = held.indexOf(stop);
                if (at >= 0 && (earliest < 0 || at < earliest)) {
                    earliest = at;
                    found = stop;
                }
            }
            if (found != null) {
                String emit = held.substring(0, earliest);
                held.setLength(0);
                return new Result(emit, found);
            }
        }
        int keep = partialStopSuffix();
        String emit = held.substring(0, held.length() - keep);
        held.delete(0, held.length() - keep);
        return new Result(emit, null);
    }

    /** Releases held text when generation ends for another reason. */
    public String flush() {
        String text = held.toString();
        held.setLength(0);
        return text;
    }

    /** Length of the longest suffix of the held text that is a proper prefix of a stop string. */
    private int partialStopSuffix() {
        for (int k = Math.min(held.length(), longestStop - 1); k > 0; k--) {
            String suffix = held.substring(held.length() - k);
            for (String stop : stops) {
                if (stop.length() > k && stop.startsWith(suffix)) {
                    return k;
                }
            }
        }
        return 0;
    }
}
