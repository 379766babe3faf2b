package io.vlsuite.qwen2vl.tokenizer;

/**
 * UTF-8 to String with invalid input replaced by U+FFFD exactly like Rust's {@code String::from_utf8_lossy},
 * which Hugging Face {@code tokenizers} uses when decoding byte-level tokens.
 *
 * <p>Rule ("maximal subpart"): each maximal prefix of a well-formed sequence that cannot be completed becomes one
 * U+FFFD, and a byte that cannot start any sequence becomes one U+FFFD. Written out here rather than relying on
 * the JDK decoder so the behaviour is pinned down and tested, not a property of the JDK version.
 */
final class Utf8Lossy {

    private static final char REPLACEMENT = '\uFFFD';

    private Utf8Lossy() {
    }

    static String decode(byte[] bytes, int length) {
        StringBuilder out = new StringBuilder(length);
        int i = 0;
        while (i < length) {
            int b0 = bytes[i] & 0xFF;
            if (b0 < 0x80) {
                out.append((char) b0);
                i++;
                continue;
            }
            int need;
            int lo = 0x80;
            int hi = 0xBF;
            if (b0 >= 0xC2 && b0 <= 0xDF) {
                need = 1;
            } else if (b0 >= 0xE0 && b0 <= 0xEF) {
                need = 2;
                if (b0 == 0xE0) {
                    lo = 0xA0;
                } else if (b0 == 0xED) {
                    hi = 0x9F;
                }
            } else if (b0 >= 0xF0 && b0 <= 0xF4) {
                need = 3;
                if (b0 == 0xF0) {
                    lo = 0x90;
                } else if (b0 == 0xF4) {
                    hi = 0x8F;
                }
            } else {
                out.append(REPLACEMENT);
                i++;
                continue;
            }
            int cp = b0 & (0x3F >> need);
            int j = i + 1;
            boolean complete = true;
            for (int k = 0; k < need; k++, j++) {
                // Only the second byte has a narrowed range (overlongs, surrogates, > U+10FFFF).
                int min = k == 0 ? lo : 0x80;
                int max = k == 0 ? hi : 0xBF;
                if (j >= length || (bytes[j] & 0xFF) < min || (bytes[j] & 0xFF) > max) {
                    complete = false;
                    break;
                }
                cp = (cp << 6) | (bytes[j] & 0x3F);
            }
            if (complete) {
                out.appendCodePoint(cp);
            } else {
                out.append(REPLACEMENT);
            }
            i = j;
        }
        return out.toString();
    }
}
