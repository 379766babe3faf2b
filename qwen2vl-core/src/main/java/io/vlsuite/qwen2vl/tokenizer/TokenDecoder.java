package io.vlsuite.qwen2vl.tokenizer;

/**
 * What streaming detokenization needs from a tokenizer: the raw bytes of each token.
 *
 * <p>Byte-level BPE tokens are byte sequences that may end in the middle of a UTF-8 character; the engine joins
 * bytes across tokens and emits text only up to the last complete character.
 */
public interface TokenDecoder {

    /** The UTF-8 bytes this token stands for (for special tokens, the bytes of their content string). */
    byte[] tokenBytes(int tokenId);

    /** Whether the token is a special/added control token such as {@code <|im_end|>}. */
    boolean isSpecial(int tokenId);
}
