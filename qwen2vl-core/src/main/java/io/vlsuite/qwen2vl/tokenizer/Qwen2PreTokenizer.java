package io.vlsuite.qwen2vl.tokenizer;

/**
 * Splits text into pre-tokens exactly like the Qwen2 split regex of {@code tokenizers} (Oniguruma semantics):
 *
 * <pre>(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+</pre>
 *
 * <p>Hand-written as a scanner over code points because it runs on every byte of every prompt: each branch below
 * is one alternative, tried in the regex's order, with the backtracking outcome worked out in closed form (for
 * example {@code \s*[\r\n]+} ends right after the last line break of the whitespace run). The pattern matches
 * every character, so the pieces tile the input with no gaps.
 */
final class Qwen2PreTokenizer {

    /** The pattern, as written in tokenizer.json; files with another pattern are rejected at load. */
    static final String PATTERN =
            "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    static final int OTHER = 0;
    static final int LETTER = 1;
    static final int NUMBER = 2;
    static final int SPACE = 3;

    private static final byte[] ASCII_CLASS = new byte[128];

    static {
        for (int c = 0; c < 128; c++) {
            ASCII_CLASS[c] = (byte) classifySlow(c);
        }
    }

    /** Receives each pre-token as a [start, end) range of the scanned string. */
    @FunctionalInterface
    interface PieceSink {
        void piece(int start, int end);
    }

    private Qwen2PreTokenizer() {
    }

    static void split(String s, PieceSink sink) {
        int i = 0;
        int len = s.length();
        while (i < len) {
            int end = pieceEnd(s, i, len);
            sink.piece(i, end);
            i = end;
        }
    }

    /** End of the pre-token that starts at {@code i}. */
    static int pieceEnd(String s, int i, int len) {
        char c = s.charAt(i);
        if (c == '\'') {
            int contraction = contractionEnd(s, i, len);
            if (contraction > 0) {
                return contraction;
            }
        }
        int cp = Character.codePointAt(s, i);
        int n = Character.charCount(cp);
        int cls = classOf(cp);
        // [^\r\n\p{L}\p{N}]?\p{L}+
        if (cls == LETTER) {
            return lettersEnd(s, i + n, len);
        }
        if (cls != NUMBER && c != '\r' && c != '\n' && i + n < len && classOf(Character.codePointAt(s, i + n)) == LETTER) {
            return lettersEnd(s, i + n, len);
        }
        // \p{N}
        if (cls == NUMBER) {
            return i + n;
        }
        // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
        if (c == ' ' && i + 1 < len && classOf(Character.codePointAt(s, i + 1)) == OTHER) {
            return othersThenLineBreaksEnd(s, i + 1, len);
        }
        if (cls == OTHER) {
            return othersThenLineBreaksEnd(s, i, len);
        }
        // cls == SPACE (all White_Space characters are in the BMP, so one char each)
        int runEnd = i + 1;
        int lastBreak = (c == '\r' || c == '\n') ? i : -1;
        while (runEnd < len && classOf(s.charAt(runEnd)) == SPACE) {
            char w = s.charAt(runEnd);
            if (w == '\r' || w == '\n') {
                lastBreak = runEnd;
            }
            runEnd++;
        }
        // \s*[\r\n]+ : \s* backs off to the last line break of the run
        if (lastBreak >= 0) {
            return lastBreak + 1;
        }
        // \s+(?!\S) : the whole run at end of text, else all but the last whitespace (which joins the next word)
        if (runEnd == len) {
            return runEnd;
        }
        if (runEnd - 1 > i) {
            return runEnd - 1;
        }
        // \s+
        return runEnd;
    }

    /** {@code (?i:'s|'t|'re|'ve|'m|'ll|'d)}; returns the end or -1. */
    private static int contractionEnd(String s, int i, int len) {
        if (i + 1 >= len) {
            return -1;
        }
        char a = foldAscii(s.charAt(i + 1));
        if (a == 's' || a == 't' || a == 'm' || a == 'd' || s.charAt(i + 1) == '\u017F') {
            // U+017F LATIN SMALL LETTER LONG S case-folds to 's' in Unicode, so the case-insensitive group takes it.
            return i + 2;
        }
        if (i + 2 >= len) {
            return -1;
        }
        char b = foldAscii(s.charAt(i + 2));
        if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) {
            return i + 3;
        }
        return -1;
    }

    private static char foldAscii(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }

    private static int lettersEnd(String s, int j, int len) {
        while (j < len) {
            char c = s.charAt(j);
            if (c < 128) {
                if (ASCII_CLASS[c] != LETTER) {
                    break;
                }
                j++;
            } else {
                int cp = Character.codePointAt(s, j);
                if (classOf(cp) != LETTER) {
                    break;
                }
                j += Character.charCount(cp);
            }
        }
        return j;
    }

    private static int othersThenLineBreaksEnd(String s, int j, int len) {
        while (j < len) {
            int cp = Character.codePointAt(s, j);
            if (classOf(cp) != OTHER) {
                break;
            }
            j += Character.charCount(cp);
        }
        while (j < len && (s.charAt(j) == '\r' || s.charAt(j) == '\n')) {
            j++;
        }
        return j;
    }

    static int classOf(int cp) {
        return cp < 128 ? ASCII_CLASS[cp] : classifySlow(cp);
    }

    private static int classifySlow(int cp) {
        if (isWhiteSpace(cp)) {
            return SPACE;
        }
        switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER -> {
                return LETTER;
            }
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> {
                return NUMBER;
            }
            default -> {
                return OTHER;
            }
        }
    }

    /**
     * Oniguruma's Unicode {@code \s}: the White_Space property. Differs from {@link Character#isWhitespace}
     * (which excludes no-break spaces) and includes U+0085; U+200B ZERO WIDTH SPACE is not whitespace.
     */
    static boolean isWhiteSpace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F
                || cp == 0x3000;
    }
}
