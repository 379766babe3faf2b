package io.vlsuite.qwen2vl.sampling;

import java.util.Arrays;
import java.util.Set;

/**
 * The logits transformations of vLLM's sampler, each in place on one row. Removed tokens get {@code -inf}.
 *
 * <p>Order (see {@link Sampler}): min-tokens mask, penalties on the raw logits, then (random sampling only)
 * temperature, min-p, top-k, top-p. Min-p and top-k commute (both keep everything above a threshold relative to
 * the maximum); top-p depends on what is left, so it runs last, as in vLLM.
 */
public final class LogitsProcessors {

    private LogitsProcessors() {
    }

    /** Forbids the given tokens (EOS and stop token ids while fewer than {@code min_tokens} exist). */
    public static void mask(float[] logits, Set<Integer> tokenIds) {
        for (int id : tokenIds) {
            if (id >= 0 && id < logits.length) {
                logits[id] = Float.NEGATIVE_INFINITY;
            }
        }
    }

    /**
     * Repetition penalty (HF/vLLM: over every distinct token of prompt and output, {@code l > 0 ? l / p : l * p}),
     * then frequency ({@code - f * count}) and presence ({@code - p * [count > 0]}) penalties over the output only.
     *
     * @param scratch an all-zero array at least as long as the vocabulary; left all-zero on return (only the
     *                touched entries are reset, so one array serves every call)
     */
    public static void applyPenalties(float[] logits, TokenHistory history, SamplingParams params, int[] scratch) {
        float repetition = (float) params.repetitionPenalty();
        if (repetition != 1f) {
            // scratch[id] = 1 marks "already penalised" so each distinct id is penalised once.
            for (int i = 0; i < history.length(); i++) {
                int id = history.tokenAt(i);
                if (id < 0 || id >= logits.length || scratch[id] != 0) {
                    continue;
                }
                scratch[id] = 1;
                float l = logits[id];
                logits[id] = l > 0 ? l / repetition : l * repetition;
            }
            for (int i = 0; i < history.length(); i++) {
                int id = history.tokenAt(i);
                if (id >= 0 && id < scratch.length) {
                    scratch[id] = 0;
                }
            }
        }
        float frequency = (float) params.frequencyPenalty();
        float presence = (float) params.presencePenalty();
        if (frequency != 0f || presence != 0f) {
            for (int i = history.promptLength(); i < history.length(); i++) {
                int id = history.tokenAt(i);
                if (id >= 0 && id < logits.length) {
                    scratch[id]++;
                }
            }
            for (int i = history.promptLength(); i < history.length(); i++) {
                int id = history.tokenAt(i);
                if (id < 0 || id >= logits.length || scratch[id] == 0) {
                    continue;
                }
                logits[id] -= frequency * scratch[id] + presence;
                scratch[id] = 0;
            }
        }
    }

    /** Divides by the temperature (callers sample greedily below {@link SamplingParams#GREEDY_EPSILON}). */
    public static void applyTemperature(float[] logits, double temperature) {
        if (temperature == 1.0) {
            return;
        }
        float inv = (float) (1.0 / temperature);
        for (int i = 0; i < logits.length; i++) {
            logits[i] *= inv;
        }
    }

    /**
     * Keeps tokens with {@code p_i >= minP * p_max}; in logits that is {@code l_i >= l_max + ln(minP)}, which
     * needs no softmax.
     */
    public static void applyMinP(float[] logits, double minP) {
        if (minP <= 0) {
            return;
        }
        float max = max(logits);
        double threshold = max + Math.log(minP);
        for (int i = 0; i < logits.length; i++) {
            if (logits[i] < threshold) {
                logits[i] = Float.NEGATIVE_INFINITY;
            }
        }
    }

    /** Keeps the {@code k} largest logits (and any tied with the k-th, as vLLM's threshold compare does). */
    public static void applyTopK(float[] logits, int k) {
        if (k <= 0 || k >= logits.length) {
            return;
        }
        int[] top = TopN.indices(logits, k);
        if (top.length < k) {
            return;
        }
        float kth = logits[top[k - 1]];
        for (int i = 0; i < logits.length; i++) {
            if (logits[i] < kth) {
                logits[i] = Float.NEGATIVE_INFINITY;
            }
        }
    }

    /**
     * Nucleus filtering: walking tokens from most to least likely, keeps a token while the probability mass
     * before it is below {@code topP} (so the token that crosses {@code topP} is kept, and at least one token is).
     *
     * <p>Sorting a 152k vocabulary per token would dominate a decode step, so only plausible candidates are
     * sorted: a histogram of probability mass by distance below the maximum logit finds a cutoff such that all
     * tokens under it together hold at most {@code 1 - topP}. Those tokens form a tail of the sorted order whose
     * mass fits in what top-p removes anyway, so dropping them unsorted gives the same result.
     */
    public static void applyTopP(float[] logits, double topP) {
        if (topP >= 1.0) {
            return;
        }
        float max = max(logits);
        if (max == Float.NEGATIVE_INFINITY) {
            return;
        }
        double[] massByBin = new double[TOP_P_BINS];
        double sum = 0;
        for (float l : logits) {
            if (l > Float.NEGATIVE_INFINITY) {
                double e = Math.exp(l - max);
                sum += e;
                massByBin[bin(max, l)] += e;
            }
        }
        // Smallest bin index from which everything below may go: never bin 0, which holds the maximum.
        double removable = (1.0 - topP) * sum * (1 - 1e-9);
        int cutBin = TOP_P_BINS;
        double tail = 0;
        for (int b = TOP_P_BINS - 1; b >= 1 && tail + massByBin[b] <= removable; b--) {
            tail += massByBin[b];
            cutBin = b;
        }

        long[] keys = new long[64];
        int n = 0;
        for (int i = 0; i < logits.length; i++) {
            float l = logits[i];
            if (l == Float.NEGATIVE_INFINITY) {
                continue;
            }
            if (bin(max, l) >= cutBin) {
                logits[i] = Float.NEGATIVE_INFINITY;
                continue;
            }
            if (n == keys.length) {
                keys = Arrays.copyOf(keys, n * 2);
            }
            keys[n++] = ((long) sortableBits(l) << 32) | (0xffffffffL - i);
        }
        // Ascending by value, and for equal values the lower index last, so walking from the end visits the
        // best token first and breaks ties towards the lower index.
        Arrays.sort(keys, 0, n);
        double massBefore = 0;
        int j = n - 1;
        while (j >= 0 && massBefore < topP) {
            massBefore += Math.exp(logits[indexOf(keys[j])] - max) / sum;
            j--;
        }
        for (; j >= 0; j--) {
            logits[indexOf(keys[j])] = Float.NEGATIVE_INFINITY;
        }
    }

    private static final int TOP_P_BINS = 64;
    private static final float TOP_P_BIN_WIDTH = 0.25f;

    /** Histogram bin of a logit by its distance below the maximum; larger logits never get larger bins. */
    private static int bin(float max, float logit) {
        float distance = (max - logit) / TOP_P_BIN_WIDTH;
        return distance >= TOP_P_BINS - 1 ? TOP_P_BINS - 1 : (int) distance;
    }

    /** Index of the largest logit, the lowest index on ties (greedy decoding). */
    public static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    /** log(sum(exp(l))) computed stably in double. */
    public static double logSumExp(float[] logits) {
        float max = max(logits);
        if (max == Float.NEGATIVE_INFINITY) {
            return Double.NEGATIVE_INFINITY;
        }
        double sum = 0;
        for (float l : logits) {
            sum += Math.exp(l - max);
        }
        return max + Math.log(sum);
    }

    static float max(float[] logits) {
        float max = Float.NEGATIVE_INFINITY;
        for (float l : logits) {
            if (l > max) {
                max = l;
            }
        }
        return max;
    }

    /** Maps float order onto signed int order (negative floats have their magnitude bits flipped). */
    private static int sortableBits(float f) {
        int bits = Float.floatToIntBits(f);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    private static int indexOf(long key) {
        return (int) (0xffffffffL - (key & 0xffffffffL));
    }
}
