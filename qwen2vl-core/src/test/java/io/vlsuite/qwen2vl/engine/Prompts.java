package io.vlsuite.qwen2vl.engine;

import java.util.SplittableRandom;

/** Prompts for engine tests, with Qwen2-VL-like M-RoPE positions. */
final class Prompts {

    private Prompts() {
    }

    /** A text-only prompt: position i on all three axes, ropeDelta 0. */
    static PreparedPrompt text(int... tokens) {
        int[][] positions = new int[3][tokens.length];
        for (int axis = 0; axis < 3; axis++) {
            for (int i = 0; i < tokens.length; i++) {
                positions[axis][i] = i;
            }
        }
        return new PreparedPrompt(tokens.clone(), positions, 0, null);
    }

    /** A random text prompt over the letters. */
    static PreparedPrompt randomText(int length, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return text(random.ints(length, 0, 26).toArray());
    }

    /**
     * Text, then an image of {@code gridH x gridW} merged patches (pad tokens with embedding overrides), then
     * text, positioned as Qwen2-VL's classic get_rope_index does: the image at (t0, t0 + row, t0 + col), text
     * after it continuing from max + 1, and ropeDelta = next position - length.
     */
    static PreparedPrompt withImage(int before, int gridH, int gridW, int after, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int length = before + gridH * gridW + after;
        int[] tokens = new int[length];
        int[][] positions = new int[3][length];
        float[][] overrides = new float[length][];
        int i = 0;
        for (; i < before; i++) {
            tokens[i] = random.nextInt(26);
            for (int axis = 0; axis < 3; axis++) {
                positions[axis][i] = i;
            }
        }
        int t0 = before;
        for (int r = 0; r < gridH; r++) {
            for (int c = 0; c < gridW; c++, i++) {
                tokens[i] = ToyVocabulary.IMAGE_PAD;
                positions[0][i] = t0;
                positions[1][i] = t0 + r;
                positions[2][i] = t0 + c;
                overrides[i] = new float[] {(float) random.nextGaussian(), (float) random.nextGaussian()};
            }
        }
        int next = t0 + Math.max(gridH, gridW);
        for (int k = 0; k < after; k++, i++) {
            tokens[i] = random.nextInt(26);
            for (int axis = 0; axis < 3; axis++) {
                positions[axis][i] = next + k;
            }
        }
        int ropeDelta = next + after - length;
        return new PreparedPrompt(tokens, positions, ropeDelta, overrides);
    }

    /** {@code prefix} followed by text tokens, positioned as text after it (ropeDelta unchanged). */
    static PreparedPrompt extend(PreparedPrompt prefix, int... suffix) {
        int length = prefix.length() + suffix.length;
        int[] tokens = java.util.Arrays.copyOf(prefix.tokenIds(), length);
        System.arraycopy(suffix, 0, tokens, prefix.length(), suffix.length);
        int[][] positions = new int[3][];
        for (int axis = 0; axis < 3; axis++) {
            positions[axis] = java.util.Arrays.copyOf(prefix.positions()[axis], length);
            for (int k = 0; k < suffix.length; k++) {
                positions[axis][prefix.length() + k] = prefix.length() + k + prefix.ropeDelta();
            }
        }
        float[][] overrides = prefix.embeddingOverrides() == null ? null
                : java.util.Arrays.copyOf(prefix.embeddingOverrides(), length);
        return new PreparedPrompt(tokens, positions, prefix.ropeDelta(), overrides);
    }
}
