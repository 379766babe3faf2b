package io.vlsuite.qwen2vl.tokenizer;

import io.vlsuite.qwen2vl.Qwen2VlException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The Qwen2 / Qwen2-VL tokenizer: a Hugging Face {@code tokenizer.json} (byte-level BPE) reimplemented to give the
 * same ids as {@code tokenizers}.
 *
 * <p>Encoding pipeline, in the order {@code tokenizers} applies it:
 * <ol>
 *   <li>added tokens with {@code normalized=false} are cut out of the raw text (leftmost-longest);</li>
 *   <li>each remaining segment is NFC-normalized, then added tokens with {@code normalized=true} are cut out;</li>
 *   <li>the rest is split by the Qwen2 pre-tokenizer and each piece is BPE-encoded.</li>
 * </ol>
 * No BOS/EOS is added ({@code add_special_tokens} has no effect for Qwen2).
 *
 * <p><b>Special tokens in untrusted text.</b> {@link #encode(String)} matches special tokens anywhere, like
 * {@code tokenizers} with {@code split_special_tokens=false}. Text written by users must not be able to produce
 * control tokens such as {@code <|im_start|>} or {@code <|image_pad|>}; for such text use
 * {@link #encode(String, boolean) encode(text, false)} (special tokens become ordinary text, like
 * {@code split_special_tokens=true}), or {@link #encode(String, List)} with the user-written ranges of a rendered
 * prompt, which keeps the template's own special tokens and tokenizes the user ranges as plain text in one pass
 * (so BPE still sees the full prompt and the ids equal those of the reference whenever the user text contains no
 * special-token strings).
 *
 * <p>Thread-safe; the per-word BPE cache is shared.
 */
public final class Qwen2Tokenizer implements TokenDecoder {

    private final BpeModel bpe;
    private final boolean nfc;
    private final AddedTokenMatcher rawMatcher;
    private final AddedTokenMatcher normalizedMatcher;
    private final List<AddedToken> addedTokens;
    private final Map<String, Integer> vocab;
    private final Map<String, Integer> addedByContent = new HashMap<>();
    private final String[] idToToken;
    private final byte[][] idToBytes;
    private final boolean[] special;

    private Qwen2Tokenizer(TokenizerJsonLoader.Parts parts) {
        this.vocab = parts.vocab();
        this.bpe = new BpeModel(parts.vocab(), parts.merges(), parts.ignoreMerges());
        this.nfc = parts.nfc();
        this.addedTokens = List.copyOf(parts.addedTokens());
        this.rawMatcher = new AddedTokenMatcher(addedTokens.stream().filter(t -> !t.normalized()).toList());
        this.normalizedMatcher = new AddedTokenMatcher(addedTokens.stream().filter(AddedToken::normalized).toList());
        int size = 0;
        for (int id : vocab.values()) {
            size = Math.max(size, id + 1);
        }
        for (AddedToken t : addedTokens) {
            size = Math.max(size, t.id() + 1);
        }
        idToToken = new String[size];
        idToBytes = new byte[size][];
        special = new boolean[size];
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            idToToken[e.getValue()] = e.getKey();
            idToBytes[e.getValue()] = ByteLevelAlphabet.decode(e.getKey());
        }
        for (AddedToken t : addedTokens) {
            idToToken[t.id()] = t.content();
            idToBytes[t.id()] = ByteLevelAlphabet.decode(t.content());
            special[t.id()] = t.special();
            addedByContent.put(t.content(), t.id());
        }
    }

    /**
     * Loads {@code tokenizer.json}, given either the file or a model folder that contains it.
     *
     * @throws Qwen2VlException {@code tokenizer_not_found}, {@code tokenizer_invalid}, {@code unsupported_tokenizer}
     */
    public static Qwen2Tokenizer load(Path fileOrModelDir) {
        Path file = Files.isDirectory(fileOrModelDir) ? fileOrModelDir.resolve("tokenizer.json") : fileOrModelDir;
        if (!Files.isRegularFile(file)) {
            throw new Qwen2VlException("tokenizer_not_found", "no tokenizer.json at " + file);
        }
        return new Qwen2Tokenizer(TokenizerJsonLoader.load(file));
    }

    /** Encodes text; special tokens written in it are matched as special tokens (the {@code tokenizers} default). */
    public int[] encode(String text) {
        return encode(text, true);
    }

    /**
     * Encodes text. With {@code allowSpecial=false}, special-token strings in the text are tokenized as ordinary
     * text (non-special added tokens are still matched), as {@code tokenizers} does with
     * {@code split_special_tokens=true}.
     */
    public int[] encode(String text, boolean allowSpecial) {
        return encode(text, allowSpecial ? List.of() : List.of(new TextSpan(0, text.length())));
    }

    /**
     * Encodes a whole prompt in which the given ranges are untrusted text: a special token is matched only where it
     * overlaps none of them. Everything else (normalization, pre-tokenization, BPE) runs over the whole string, so
     * words that touch a range boundary are tokenized exactly as in an unprotected encode.
     */
    public int[] encode(String text, List<TextSpan> protectedRanges) {
        IntBuffer out = new IntBuffer(text.length() / 3 + 8);
        List<AddedTokenMatcher.Match> matches = rawMatcher.findAll(text,
                (token, start, end) -> !token.special() || !overlapsAny(protectedRanges, start, end));
        int pos = 0;
        for (AddedTokenMatcher.Match m : matches) {
            encodeSegment(text, pos, m.start(), protectedRanges, out);
            out.add(m.token().id());
            pos = m.end();
        }
        encodeSegment(text, pos, text.length(), protectedRanges, out);
        return out.toArray();
    }

    private void encodeSegment(String text, int start, int end, List<TextSpan> protectedRanges, IntBuffer out) {
        if (start >= end) {
            return;
        }
        String segment = text.substring(start, end);
        if (nfc && !Normalizer.isNormalized(segment, Normalizer.Form.NFC)) {
            segment = Normalizer.normalize(segment, Normalizer.Form.NFC);
        }
        if (normalizedMatcher.isEmpty()) {
            encodeOrdinary(segment, out);
            return;
        }
        // Offsets move under normalization, so a protected range blocks special tokens in the whole segment.
        boolean segmentProtected = overlapsAny(protectedRanges, start, end);
        int pos = 0;
        for (AddedTokenMatcher.Match m : normalizedMatcher.findAll(segment, (t, s, e) -> !t.special() || !segmentProtected)) {
            encodeOrdinary(segment.substring(pos, m.start()), out);
            out.add(m.token().id());
            pos = m.end();
        }
        encodeOrdinary(segment.substring(pos), out);
    }

    private void encodeOrdinary(String text, IntBuffer out) {
        Qwen2PreTokenizer.split(text, (s, e) -> bpe.encodeWord(text, s, e, out));
    }

    private static boolean overlapsAny(List<TextSpan> ranges, int start, int end) {
        for (TextSpan r : ranges) {
            if (r.overlaps(start, end)) {
                return true;
            }
        }
        return false;
    }

    /** Decodes ids to text, keeping special tokens. */
    public String decode(int[] ids) {
        return decode(ids, false);
    }

    /**
     * Decodes ids to text like {@code tokenizers}: token bytes are joined and read as UTF-8, invalid sequences
     * becoming U+FFFD. Ids outside the vocabulary are dropped (they exist: embedding tables are padded).
     */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        int total = 0;
        for (int id : ids) {
            if (id >= 0 && id < idToBytes.length && idToBytes[id] != null) {
                total += idToBytes[id].length;
            }
        }
        byte[] buf = new byte[total];
        int n = 0;
        for (int id : ids) {
            if (id < 0 || id >= idToBytes.length || idToBytes[id] == null || (skipSpecialTokens && special[id])) {
                continue;
            }
            byte[] b = idToBytes[id];
            System.arraycopy(b, 0, buf, n, b.length);
            n += b.length;
        }
        return Utf8Lossy.decode(buf, n);
    }

    @Override
    public byte[] tokenBytes(int tokenId) {
        if (tokenId < 0 || tokenId >= idToBytes.length || idToBytes[tokenId] == null) {
            return new byte[0];
        }
        return idToBytes[tokenId].clone();
    }

    @Override
    public boolean isSpecial(int tokenId) {
        return tokenId >= 0 && tokenId < special.length && special[tokenId];
    }

    /** The token string as stored in the file (byte-level form for BPE tokens), or null for an unknown id. */
    public String tokenString(int tokenId) {
        return tokenId >= 0 && tokenId < idToToken.length ? idToToken[tokenId] : null;
    }

    /** Id of an added token ({@code <|image_pad|>}) or of a vocabulary entry given in byte-level form. */
    public OptionalInt tokenId(String token) {
        Integer id = addedByContent.get(token);
        if (id == null) {
            id = vocab.get(token);
        }
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** Like {@link #tokenId} but a missing token is an error (for tokens a model cannot work without). */
    public int requireTokenId(String token) {
        return tokenId(token).orElseThrow(() -> new Qwen2VlException("tokenizer_missing_token",
                "the tokenizer has no token " + token));
    }

    /** One past the largest id (vocabulary plus added tokens). */
    public int vocabSize() {
        return idToToken.length;
    }

    public List<AddedToken> addedTokens() {
        return addedTokens;
    }

    /** Contents of the special added tokens, e.g. for checking user text. */
    public List<String> specialTokenStrings() {
        List<String> out = new ArrayList<>();
        for (AddedToken t : addedTokens) {
            if (t.special()) {
                out.add(t.content());
            }
        }
        return Collections.unmodifiableList(out);
    }
}
