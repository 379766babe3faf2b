package io.vlsuite.qwen2vl.sampling;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LogitsProcessorsTest {

    private static final float NEG_INF = Float.NEGATIVE_INFINITY;

    private static float[] logsOf(double... probs) {
        float[] l = new float[probs.length];
        for (int i = 0; i < probs.length; i++) {
            l[i] = (float) Math.log(probs[i]);
        }
        return l;
    }

    private static int[] kept(float[] logits) {
        return java.util.stream.IntStream.range(0, logits.length).filter(i -> logits[i] != NEG_INF).toArray();
    }

    @Test
    void repetitionPenaltyCoversPromptAndOutputOnceEachAndFrequencyPresenceOnlyTheOutput() {
        float[] logits = {2.0f, -1.0f, 0.5f, 3.0f, 1.0f};
        SamplingParams params = SamplingParams.builder().repetitionPenalty(2.0).frequencyPenalty(0.5)
                .presencePenalty(0.25).build();
        int[] scratch = new int[5];
        LogitsProcessors.applyPenalties(logits, History.of(new int[] {0, 1, 1}, 2, 2, 4), params, scratch);
        // 0: 2/2; 1: -1*2 (twice in the prompt, penalised once); 2: 0.5/2 - 0.5*2 - 0.25; 3: untouched;
        // 4: 1/2 - 0.5 - 0.25
        assertThat(logits).containsExactly(new float[] {1.0f, -2.0f, -1.0f, 3.0f, -0.25f}, within(1e-6f));
        assertThat(scratch).containsOnly(0);
    }

    @Test
    void neutralPenaltiesChangeNothing() {
        float[] logits = {2.0f, -1.0f, 0.5f};
        LogitsProcessors.applyPenalties(logits, History.of(new int[] {0, 1}, 2), SamplingParams.builder().build(),
                new int[3]);
        assertThat(logits).containsExactly(2.0f, -1.0f, 0.5f);
    }

    @Test
    void temperatureDividesTheLogits() {
        float[] logits = {1f, -2f};
        LogitsProcessors.applyTemperature(logits, 0.5);
        assertThat(logits).containsExactly(2f, -4f);
    }

    @Test
    void minPDropsTokensBelowAFractionOfTheTopProbability() {
        float[] logits = logsOf(0.5, 0.3, 0.15, 0.05);
        LogitsProcessors.applyMinP(logits, 0.2); // threshold 0.1
        assertThat(kept(logits)).containsExactly(0, 1, 2);
    }

    @Test
    void topKKeepsTheKLargestAndTiesWithTheKth() {
        float[] logits = {1f, 3f, 3f, 2f, 0f};
        LogitsProcessors.applyTopK(logits, 3);
        assertThat(kept(logits)).containsExactly(1, 2, 3);

        float[] tied = {1f, 3f, 3f, 2f};
        LogitsProcessors.applyTopK(tied, 1);
        assertThat(kept(tied)).containsExactly(1, 2);
    }

    @Test
    void topPKeepsTheSmallestHeadWhoseMassReachesP() {
        float[] logits = logsOf(0.1, 0.5, 0.15, 0.25);
        LogitsProcessors.applyTopP(logits, 0.6); // 0.5 < 0.6 so the 0.25 token is still needed; 0.75 is enough
        assertThat(kept(logits)).containsExactly(1, 3);

        float[] wider = logsOf(0.1, 0.5, 0.15, 0.25);
        LogitsProcessors.applyTopP(wider, 0.8);
        assertThat(kept(wider)).containsExactly(1, 2, 3);

        float[] tiny = logsOf(0.1, 0.5, 0.15, 0.25);
        LogitsProcessors.applyTopP(tiny, 0.001); // Qwen's generation_config value: effectively greedy
        assertThat(kept(tiny)).containsExactly(1);
    }

    @Test
    void topPOnALargeVocabularyKeepsExactlyWhatSortingEverythingKeeps() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(99);
        for (int trial = 0; trial < 60; trial++) {
            int vocab = 5000;
            float[] logits = new float[vocab];
            double scale = 0.5 + random.nextDouble() * 6;
            for (int i = 0; i < vocab; i++) {
                // Rounded to make ties common, as low-precision logits have them.
                logits[i] = Math.round(random.nextGaussian() * scale * 8) / 8f;
            }
            double p = new double[] {0.05, 0.3, 0.5, 0.8, 0.9, 0.95, 0.99, 0.999}[trial % 8];
            float[] fast = logits.clone();
            LogitsProcessors.applyTopP(fast, p);
            assertThat(kept(fast)).as("trial %d, p %s", trial, p).containsExactly(naiveTopP(logits, p));
        }
    }

    /** Sorts the whole vocabulary (value descending, lower id first) and keeps while the mass before is < p. */
    private static int[] naiveTopP(float[] logits, double p) {
        Integer[] order = java.util.stream.IntStream.range(0, logits.length).boxed().toArray(Integer[]::new);
        java.util.Arrays.sort(order, (a, b) -> logits[a] != logits[b] ? Float.compare(logits[b], logits[a]) : a - b);
        double max = logits[order[0]];
        double sum = 0;
        for (float l : logits) {
            sum += Math.exp(l - max);
        }
        java.util.List<Integer> keep = new java.util.ArrayList<>();
        double before = 0;
        for (int id : order) {
            if (before >= p) {
                break;
            }
            keep.add(id);
            before += Math.exp(logits[id] - max) / sum;
        }
        return keep.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    @Test
    void topPIgnoresAlreadyRemovedTokens() {
        float[] logits = {0f, NEG_INF, 0f, (float) Math.log(2)}; // probabilities 0.25, -, 0.25, 0.5
        LogitsProcessors.applyTopP(logits, 0.7);
        assertThat(kept(logits)).containsExactly(0, 3); // equal 0.25s: the lower id goes first
    }

    @Test
    void maskForbidsTokens() {
        float[] logits = {1f, 2f, 3f};
        LogitsProcessors.mask(logits, Set.of(2, 7));
        assertThat(kept(logits)).containsExactly(0, 1);
    }

    @Test
    void argmaxPrefersTheLowestIdOnTies() {
        assertThat(LogitsProcessors.argmax(new float[] {1f, 5f, 5f, 2f})).isEqualTo(1);
    }

    @Test
    void logSumExpIsStableForLargeLogits() {
        assertThat(LogitsProcessors.logSumExp(new float[] {1000f, 1000f})).isCloseTo(1000 + Math.log(2), within(1e-9));
    }
}
