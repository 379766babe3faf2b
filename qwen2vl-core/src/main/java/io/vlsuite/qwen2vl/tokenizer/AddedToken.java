package io.vlsuite.qwen2vl.tokenizer;

/**
 * One entry of tokenizer.json {@code added_tokens}: a string matched as a whole before BPE.
 *
 * @param id         token id
 * @param content    the exact text matched
 * @param special    a control token ({@code <|im_start|>}); can be skipped on decode and is never matched in
 *                   protected (user) text
 * @param normalized matched after NFC normalization rather than on the raw text
 * @param lstrip     absorbs whitespace on its left
 * @param rstrip     absorbs whitespace on its right
 * @param singleWord matches only when not inside a word
 */
public record AddedToken(int id, String content, boolean special, boolean normalized, boolean lstrip,
                         boolean rstrip, boolean singleWord) {
}
