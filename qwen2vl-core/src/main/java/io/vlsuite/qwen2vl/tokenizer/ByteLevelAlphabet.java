package io.vlsuite.qwen2vl.tokenizer;

import java.nio.charset.StandardCharsets;

/**
 * GPT-2's reversible byte-to-character table used by byte-level BPE.
 *
 * <p>Printable Latin-1 bytes map to themselves; the 68 others (controls, space, DEL, NBSP range, soft hyphen)
 * map to U+0100 upwards, so every byte sequence becomes a string of visible characters that a JSON vocabulary can
 * hold (a leading space shows up as {@code Ġ}, U+0120).
 */
final class ByteLevelAlphabet {

    private static final char[] BYTE_TO_CHAR = new char[256];
    /** Indexed by char; -1 where the char does not stand for a byte. Covers U+0000..U+01FF. */
    private static final int[] CHAR_TO_BYTE = new int[512];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
            char c = printable ? (char) b : (char) next++;
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private ByteLevelAlphabet() {
    }

    static char charOf(int unsignedByte) {
        return BYTE_TO_CHAR[unsignedByte];
    }

    /** The byte a char stands for, or -1. */
    static int byteOf(char c) {
        return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
    }

    /** Byte-level form of a text: its UTF-8 bytes, each written as its stand-in character. */
    static String encode(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        char[] chars = new char[utf8.length];
        for (int i = 0; i < utf8.length; i++) {
            chars[i] = BYTE_TO_CHAR[utf8[i] & 0xFF];
        }
        return new String(chars);
    }

    /**
     * The bytes a token string stands for, or {@code null} if some character is not in the table. Hugging Face's
     * ByteLevel decoder then falls back to the token's own UTF-8 bytes (this happens for added tokens only).
     */
    static byte[] decodeOrNull(String token) {
        byte[] out = new byte[token.length()];
        for (int i = 0; i < token.length(); i++) {
            int b = byteOf(token.charAt(i));
            if (b < 0) {
                return null;
            }
            out[i] = (byte) b;
        }
        return out;
    }

    /** {@link #decodeOrNull} with the UTF-8 fallback. */
    static byte[] decode(String token) {
        byte[] bytes = decodeOrNull(token);
        return bytes != null ? bytes : token.getBytes(StandardCharsets.UTF_8);
    }
}
