package io.vlsuite.qwen2vl.engine;

import io.vlsuite.qwen2vl.tokenizer.TokenDecoder;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns generated tokens into text one token at a time without ever splitting a UTF-8 character: byte-level BPE
 * tokens may end inside a character (a CJK character or an emoji often spans two tokens), so the bytes of an
 * incomplete trailing character are held until the token that completes them arrives.
 *
 * <p>Bytes that can never form a character become U+FFFD, as Python's {@code errors="replace"} does.
 */
public final class IncrementalDetokenizer {

    private final TokenDecoder decoder;
    private final boolean skipSpecialTokens;
    private byte[] pending = new byte[16];
    private int pendingLength;

    public IncrementalDetokenizer(TokenDecoder decoder, boolean skipSpecialTokens) {
        this.decoder = decoder;
        this.skipSpecialTokens = skipSpecialTokens;
    }

    /** Adds one token and returns the text it completes (possibly empty). */
    public String append(int tokenId) {
        if (skipSpecialTokens && decoder.isSpecial(tokenId)) {
            return "";
        }
        byte[] bytes = decoder.tokenBytes(tokenId);
        if (pendingLength + bytes.length > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + bytes.length));
        }
        System.arraycopy(bytes, 0, pending, pendingLength, bytes.length);
        pendingLength += bytes.length;

        int complete = completePrefixLength(pending, pendingLength);
        String text = new String(pending, 0, complete, StandardCharsets.UTF_8);
        System.arraycopy(pending, complete, pending, 0, pendingLength - complete);
        pendingLength -= complete;
        return text;
    }

    /** Releases held bytes at the end of generation (an unfinished character becomes U+FFFD). */
    public String flush() {
        String text = new String(pending, 0, pendingLength, StandardCharsets.UTF_8);
        pendingLength = 0;
        return text;
    }

    /**
     * Length of the longest prefix that does not end in the middle of a character: only a trailing lead byte
     * plus fewer continuation bytes than it announces is held back (at most 3 bytes).
     */
    static int completePrefixLength(byte[] bytes, int length) {
        int start = length - 1;
        int continuation = 0;
        while (start >= 0 && continuation < 3 && (bytes[start] & 0xC0) == 0x80) {
            start--;
            continuation++;
        }
        if (start < 0) {
            return length;
        }
        int lead = bytes[start] & 0xFF;
        int expected = lead >= 0xF0 && lead <= 0xF4 ? 4 : lead >= 0xE0 && lead <= 0xEF ? 3 : lead >= 0xC2 && lead <= 0xDF ? 2 : 1;
        return length - start < expected ? start : length;
    }
}
