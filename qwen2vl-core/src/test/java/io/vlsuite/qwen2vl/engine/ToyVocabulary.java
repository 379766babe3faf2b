package io.vlsuite.qwen2vl.engine;

import io.vlsuite.qwen2vl.tokenizer.TokenDecoder;

import java.nio.charset.StandardCharsets;

/**
 * A 64-token vocabulary for engine tests: letters, space and punctuation, tokens that carry only part of a
 * UTF-8 character (as byte-level BPE tokens do), and special tokens.
 */
final class ToyVocabulary implements TokenDecoder {

    static final int VOCAB_SIZE = 64;
    static final int SPACE = 26;
    static final int E_ACUTE_LEAD = 40;   // 0xC3, first byte of "é"
    static final int E_ACUTE_TAIL = 41;   // 0xA9
    static final int EURO_HEAD = 42;      // 0xE2 0x82, first two bytes of "€"
    static final int EURO_TAIL = 43;      // 0xAC
    static final int GRIN_HEAD = 44;      // 0xF0 0x9F, first half of "😀"
    static final int GRIN_TAIL = 45;      // 0x98 0x80
    static final int DOT = 46;
    static final int BANG = 47;
    static final int BOX_START = 61;      // special, "<|box_start|>"
    static final int END_OF_TEXT = 62;    // special EOS
    static final int IM_END = 63;         // special EOS
    static final int IMAGE_PAD = 60;      // special

    private final byte[][] bytes = new byte[VOCAB_SIZE][];

    ToyVocabulary() {
        for (int i = 0; i < 26; i++) {
            bytes[i] = new byte[] {(byte) ('a' + i)};
        }
        bytes[SPACE] = " ".getBytes(StandardCharsets.UTF_8);
        for (int i = 27; i < VOCAB_SIZE; i++) {
            bytes[i] = ("<" + i + ">").getBytes(StandardCharsets.UTF_8);
        }
        bytes[E_ACUTE_LEAD] = new byte[] {(byte) 0xC3};
        bytes[E_ACUTE_TAIL] = new byte[] {(byte) 0xA9};
        bytes[EURO_HEAD] = new byte[] {(byte) 0xE2, (byte) 0x82};
        bytes[EURO_TAIL] = new byte[] {(byte) 0xAC};
        bytes[GRIN_HEAD] = new byte[] {(byte) 0xF0, (byte) 0x9F};
        bytes[GRIN_TAIL] = new byte[] {(byte) 0x98, (byte) 0x80};
        bytes[DOT] = ".".getBytes(StandardCharsets.UTF_8);
        bytes[BANG] = "!".getBytes(StandardCharsets.UTF_8);
        bytes[BOX_START] = "<|box_start|>".getBytes(StandardCharsets.UTF_8);
        bytes[END_OF_TEXT] = "<|endoftext|>".getBytes(StandardCharsets.UTF_8);
        bytes[IM_END] = "<|im_end|>".getBytes(StandardCharsets.UTF_8);
        bytes[IMAGE_PAD] = "<|image_pad|>".getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] tokenBytes(int tokenId) {
        return bytes[tokenId].clone();
    }

    @Override
    public boolean isSpecial(int tokenId) {
        return tokenId >= 60;
    }

    /** Token ids spelling a lower-case ASCII text (letters and spaces). */
    static int[] spell(String text) {
        return text.chars().map(c -> c == ' ' ? SPACE : c == '.' ? DOT : c == '!' ? BANG : c - 'a').toArray();
    }
}
