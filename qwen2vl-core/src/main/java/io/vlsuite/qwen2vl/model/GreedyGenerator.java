package io.vlsuite.qwen2vl.model;

import io.vlsuite.qwen2vl.engine.PreparedPrompt;
import io.vlsuite.qwen2vl.engine.SequenceChunk;

import java.util.ArrayList;
import java.util.List;

/**
 * Single-sequence greedy decoding straight on the {@link Qwen2VlModel} (no scheduler): prefill the prompt in one
 * chunk, then one token per step at position {@code index + ropeDelta}. Used by parity tests and evaluations.
 */
public final class GreedyGenerator {

    private static final int BLOCK_SIZE = 16;

    /** Generated ids (including the stop token when one was produced) and, if asked, the logits of each step. */
    public record Result(int[] tokens, List<float[]> stepLogits) {
    }

    private final Qwen2VlModel model;
    private int allocatedTokens;

    public GreedyGenerator(Qwen2VlModel model) {
        this.model = model;
    }

    /**
     * Generates up to {@code maxTokens} tokens, stopping after any id in {@code stopIds} (pass an empty array to
     * never stop early).
     */
    public Result generate(PreparedPrompt prompt, int maxTokens, int[] stopIds, boolean keepLogits) {
        int total = prompt.length() + maxTokens;
        ensureCache(total);
        int[] blockTable = new int[(total + BLOCK_SIZE - 1) / BLOCK_SIZE];
        for (int b = 0; b < blockTable.length; b++) {
            blockTable[b] = b;
        }
        List<float[]> steps = new ArrayList<>();
        int[] out = new int[maxTokens];
        int produced = 0;
        float[] logits = model.forward(List.of(new SequenceChunk(0, prompt.tokenIds(), prompt.positions(),
                prompt.embeddingOverrides(), 0, blockTable, true)))[0];
        while (produced < maxTokens) {
            if (keepLogits) {
                steps.add(logits);
            }
            int next = argmax(logits);
            out[produced++] = next;
            if (contains(stopIds, next) || produced == maxTokens) {
                break;
            }
            int index = prompt.length() + produced - 1;
            int p = index + prompt.ropeDelta();
            logits = model.forward(List.of(new SequenceChunk(0, new int[] {next}, new int[][] {{p}, {p}, {p}},
                    null, index, blockTable, true)))[0];
        }
        return new Result(java.util.Arrays.copyOf(out, produced), steps);
    }

    private void ensureCache(int tokens) {
        if (tokens > allocatedTokens) {
            int blocks = (tokens + BLOCK_SIZE - 1) / BLOCK_SIZE;
            model.allocateKvCache(blocks, BLOCK_SIZE);
            allocatedTokens = blocks * BLOCK_SIZE;
        }
    }

    /** Index of the largest value; the lowest index wins ties, as {@code torch.argmax} does. */
    public static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    private static boolean contains(int[] ids, int id) {
        for (int s : ids) {
            if (s == id) {
                return true;
            }
        }
        return false;
    }
}
