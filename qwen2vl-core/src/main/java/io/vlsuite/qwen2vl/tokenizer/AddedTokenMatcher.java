package io.vlsuite.qwen2vl.tokenizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds added tokens in text, leftmost-longest like the Aho-Corasick matcher of {@code tokenizers}, honouring
 * {@code lstrip}, {@code rstrip} and {@code single_word}.
 *
 * <p>Added-token sets are small (tens of entries), so candidates are indexed by first character and compared with
 * {@code regionMatches}: cheap, and the common case (no candidate starts at a position) is one array lookup.
 */
final class AddedTokenMatcher {

    /** A match: token {@code token} covering {@code [start, end)} (including absorbed whitespace). */
    record Match(AddedToken token, int start, int end) {
    }

    /** Decides whether a match may be used; used to keep special tokens out of protected text ranges. */
    @FunctionalInterface
    interface MatchFilter {
        boolean accept(AddedToken token, int start, int end);
    }

    private final Map<Character, List<AddedToken>> byFirstChar = new HashMap<>();
    private final boolean[] asciiFirst = new boolean[128];
    private final boolean empty;

    AddedTokenMatcher(List<AddedToken> tokens) {
        for (AddedToken t : tokens) {
            if (t.content().isEmpty()) {
                continue;
            }
            char first = t.content().charAt(0);
            byFirstChar.computeIfAbsent(first, k -> new ArrayList<>()).add(t);
            if (first < 128) {
                asciiFirst[first] = true;
            }
        }
        // Longest first, so the first accepted candidate is the longest match at a position.
        byFirstChar.values().forEach(l -> l.sort(Comparator.comparingInt((AddedToken t) -> t.content().length()).reversed()));
        empty = byFirstChar.isEmpty();
    }

    boolean isEmpty() {
        return empty;
    }

    /** All non-overlapping matches in {@code text}, left to right. */
    List<Match> findAll(String text, MatchFilter filter) {
        List<Match> matches = new ArrayList<>();
        if (empty) {
            return matches;
        }
        int len = text.length();
        int i = 0;
        int lastEnd = 0;
        while (i < len) {
            char c = text.charAt(i);
            List<AddedToken> candidates = (c < 128 && !asciiFirst[c]) ? null : byFirstChar.get(c);
            Match match = null;
            if (candidates != null) {
                for (AddedToken t : candidates) {
                    String content = t.content();
                    if (text.startsWith(content, i)) {
                        int end = i + content.length();
                        if (t.singleWord() && !standsAlone(text, i, end)) {
                            continue;
                        }
                        int start = i;
                        if (t.lstrip()) {
                            while (start > lastEnd && Character.isWhitespace(text.charAt(start - 1))) {
                                start--;
                            }
                        }
                        if (t.rstrip()) {
                            while (end < len && Character.isWhitespace(text.charAt(end))) {
                                end++;
                            }
                        }
                        if (filter.accept(t, i, i + content.length())) {
                            match = new Match(t, start, end);
                            break;
                        }
                    }
                }
            }
            if (match != null) {
                matches.add(match);
                lastEnd = match.end();
                i = match.end();
            } else {
                i++;
            }
        }
        return matches;
    }

    private static boolean standsAlone(String text, int start, int end) {
        boolean leftOk = start == 0 || !isWordChar(text.charAt(start - 1));
        boolean rightOk = end == text.length() || !isWordChar(text.charAt(end));
        return leftOk && rightOk;
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}
