package io.vlsuite.qwen2vl.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * A deterministic stand-in for the real model that really uses the paged KV cache the engine manages: each token
 * writes a fingerprint of (token id, its three positions, its embedding override) into the slot its block table
 * and cache position name, and a sequence's logits are a hash of all fingerprints read back through its block
 * table. A wrong block table, cache start, position or override, or a block shared by two live sequences, changes
 * the logits, so outputs expose every such mistake. Reading a slot nobody wrote fails loudly.
 *
 * <p>{@link #expectedLogits} computes the same function from a token list and the positions a correct engine
 * must use, without any cache: the oracle the engine is checked against.
 */
final class ToyModel implements ModelRunner {

    /** What one forward call received, for assertions on batching. */
    record Call(List<SequenceChunk> chunks) {
    }

    private final int vocabSize;
    private long[][] slots;
    private boolean[][] written;
    private int blockSize;
    private final List<Call> calls = new ArrayList<>();
    private IntPredicate failOnCall = call -> false;

    ToyModel(int vocabSize) {
        this.vocabSize = vocabSize;
    }

    ToyModel() {
        this(ToyVocabulary.VOCAB_SIZE);
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public long kvBytesPerToken() {
        return 8;
    }

    @Override
    public void allocateKvCache(int numBlocks, int blockSize) {
        if (slots != null) {
            throw new IllegalStateException("allocateKvCache called twice");
        }
        this.blockSize = blockSize;
        this.slots = new long[numBlocks][blockSize];
        this.written = new boolean[numBlocks][blockSize];
    }

    /** Makes the given (0-based) forward calls throw, to test error handling. */
    void failOn(IntPredicate callIndex) {
        this.failOnCall = callIndex;
    }

    List<Call> calls() {
        return calls;
    }

    @Override
    public float[][] forward(List<SequenceChunk> chunks) {
        int callIndex = calls.size();
        calls.add(new Call(List.copyOf(chunks)));
        if (failOnCall.test(callIndex)) {
            throw new IllegalStateException("injected model failure on call " + callIndex);
        }
        List<float[]> rows = new ArrayList<>();
        for (SequenceChunk chunk : chunks) {
            int n = chunk.length();
            if (chunk.positions().length != 3 || chunk.positions()[0].length != n) {
                throw new IllegalArgumentException("positions must be [3][" + n + "]");
            }
            if ((long) chunk.blockTable().length * blockSize < chunk.cacheStart() + n) {
                throw new IllegalArgumentException("block table too short for " + (chunk.cacheStart() + n) + " tokens");
            }
            for (int j = 0; j < n; j++) {
                int slot = chunk.cacheStart() + j;
                int block = chunk.blockTable()[slot / blockSize];
                float[] override = chunk.embeddingOverrides() == null ? null : chunk.embeddingOverrides()[j];
                slots[block][slot % blockSize] = fingerprint(chunk.tokenIds()[j], chunk.positions()[0][j],
                        chunk.positions()[1][j], chunk.positions()[2][j], override);
                written[block][slot % blockSize] = true;
            }
            if (chunk.computeLogits()) {
                long h = 17;
                for (int slot = 0; slot < chunk.cacheStart() + n; slot++) {
                    int block = chunk.blockTable()[slot / blockSize];
                    if (!written[block][slot % blockSize]) {
                        throw new IllegalStateException("read of an unwritten KV slot " + slot);
                    }
                    h = fold(h, slots[block][slot % blockSize]);
                }
                rows.add(logits(h));
            }
        }
        return rows.toArray(float[][]::new);
    }

    /** The logits a correct engine must get after {@code tokens} (prompt then generated tokens). */
    float[] expectedLogits(PreparedPrompt prompt, int[] tokens) {
        long h = 17;
        for (int i = 0; i < tokens.length; i++) {
            boolean inPrompt = i < prompt.length();
            float[] override = inPrompt && prompt.embeddingOverrides() != null ? prompt.embeddingOverrides()[i] : null;
            int t = inPrompt ? prompt.positions()[0][i] : i + prompt.ropeDelta();
            int hh = inPrompt ? prompt.positions()[1][i] : i + prompt.ropeDelta();
            int w = inPrompt ? prompt.positions()[2][i] : i + prompt.ropeDelta();
            h = fold(h, fingerprint(tokens[i], t, hh, w, override));
        }
        return logits(h);
    }

    /**
     * Greedy decoding by the oracle (argmax, lowest id on ties, no penalties), stopping after an EOS id or
     * {@code maxTokens} tokens.
     */
    int[] expectedGreedy(PreparedPrompt prompt, int maxTokens, int... eos) {
        int[] tokens = prompt.tokenIds().clone();
        List<Integer> out = new ArrayList<>();
        while (out.size() < maxTokens) {
            float[] l = expectedLogits(prompt, tokens);
            int best = 0;
            for (int v = 1; v < l.length; v++) {
                if (l[v] > l[best]) {
                    best = v;
                }
            }
            out.add(best);
            tokens = Arrays.copyOf(tokens, tokens.length + 1);
            tokens[tokens.length - 1] = best;
            final int b = best;
            if (Arrays.stream(eos).anyMatch(e -> e == b)) {
                break;
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static long fingerprint(int token, int t, int h, int w, float[] override) {
        long f = mix(token * 0x9E3779B97F4A7C15L + 1);
        f = mix(f ^ (t * 0xC2B2AE3D27D4EB4FL));
        f = mix(f ^ (h * 0x165667B19E3779F9L));
        f = mix(f ^ (w * 0xD6E8FEB86659FD93L));
        if (override != null) {
            f = mix(f ^ Arrays.hashCode(override));
        }
        return f;
    }

    private static long fold(long h, long f) {
        return mix(h * 31 + f);
    }

    private float[] logits(long h) {
        float[] row = new float[vocabSize];
        for (int v = 0; v < vocabSize; v++) {
            long x = mix(h ^ (v * 0x9E3779B97F4A7C15L));
            row[v] = (float) ((x >>> 11) % 4000) / 400f - 5f;
        }
        return row;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
