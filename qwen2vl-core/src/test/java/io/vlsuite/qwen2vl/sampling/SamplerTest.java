package io.vlsuite.qwen2vl.sampling;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SamplerTest {

    private static final History EMPTY = History.of(new int[] {9});

    private static float[] logsOf(double... probs) {
        float[] l = new float[probs.length];
        for (int i = 0; i < probs.length; i++) {
            l[i] = (float) Math.log(probs[i]);
        }
        return l;
    }

    @Test
    void greedyTakesTheArgmaxOfThePenalisedLogits() {
        Sampler sampler = new Sampler(10, Set.of());
        SamplingParams plain = SamplingParams.greedy(5);
        SamplingParams penalised = plain.toBuilder().repetitionPenalty(1.1).build();
        float[] logits = new float[10];
        logits[0] = 2.0f;
        logits[1] = 1.9f;
        History seen0 = History.of(new int[] {0});
        assertThat(sampler.sample(logits.clone(), plain, seen0, new SplittableRandom(1)).tokenId()).isZero();
        // 2.0 / 1.1 = 1.818 < 1.9 (Qwen2-VL's generation_config decoding: penalty then argmax)
        assertThat(sampler.sample(logits.clone(), penalised, seen0, new SplittableRandom(1)).tokenId()).isEqualTo(1);
    }

    @Test
    void theSameSeedGivesTheSameDrawsAndAnotherSeedOtherDraws() {
        Sampler sampler = new Sampler(8, Set.of());
        SamplingParams params = SamplingParams.builder().temperature(1.0).build();
        float[] logits = new float[8];
        int[] a = draws(sampler, params, logits, 11);
        assertThat(draws(sampler, params, logits, 11)).containsExactly(a);
        assertThat(draws(sampler, params, logits, 12)).isNotEqualTo(a);
    }

    private static int[] draws(Sampler sampler, SamplingParams params, float[] logits, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return IntStream.range(0, 50).map(i -> sampler.sample(logits.clone(), params, EMPTY, rng).tokenId()).toArray();
    }

    @Test
    void drawsFollowTheTemperedDistribution() {
        Sampler sampler = new Sampler(3, Set.of());
        SplittableRandom rng = new SplittableRandom(42);
        int n = 20_000;
        int[] counts = new int[3];
        // temperature 0.5 squares the probabilities: 0.49, 0.04, 0.01 renormalised by 0.54
        SamplingParams params = SamplingParams.builder().temperature(0.5).build();
        for (int i = 0; i < n; i++) {
            counts[sampler.sample(logsOf(0.7, 0.2, 0.1), params, EMPTY, rng).tokenId()]++;
        }
        assertThat(counts[0] / (double) n).isCloseTo(0.49 / 0.54, within(0.01));
        assertThat(counts[1] / (double) n).isCloseTo(0.04 / 0.54, within(0.01));
        assertThat(counts[2] / (double) n).isCloseTo(0.01 / 0.54, within(0.005));
    }

    @Test
    void filteredTokensAreNeverDrawn() {
        Sampler sampler = new Sampler(4, Set.of());
        SplittableRandom rng = new SplittableRandom(3);
        SamplingParams topK1 = SamplingParams.builder().temperature(1.5).topK(1).build();
        SamplingParams topP = SamplingParams.builder().temperature(1.0).topP(0.6).build();
        for (int i = 0; i < 500; i++) {
            assertThat(sampler.sample(logsOf(0.1, 0.5, 0.15, 0.25), topK1, EMPTY, rng).tokenId()).isEqualTo(1);
            assertThat(sampler.sample(logsOf(0.1, 0.5, 0.15, 0.25), topP, EMPTY, rng).tokenId()).isIn(1, 3);
        }
    }

    @Test
    void minTokensMasksEosAndStopTokensUntilEnoughTokensExist() {
        Sampler sampler = new Sampler(4, Set.of(2));
        SamplingParams params = SamplingParams.builder().temperature(0).minTokens(2).stopTokenIds(Set.of(3)).build();
        float[] logits = {0f, 1f, 10f, 9f};
        assertThat(sampler.sample(logits.clone(), params, History.of(new int[] {0}, 1), null).tokenId()).isEqualTo(1);
        assertThat(sampler.sample(logits.clone(), params, History.of(new int[] {0}, 1, 1), null).tokenId())
                .isEqualTo(2);
        SamplingParams ignoreEos = params.toBuilder().ignoreEos(true).build();
        // With ignore_eos, EOS is not a stop token, so min_tokens leaves it alone.
        assertThat(sampler.sample(logits.clone(), ignoreEos, History.of(new int[] {0}, 1), null).tokenId())
                .isEqualTo(2);
    }

    @Test
    void logprobsAreTheLogSoftmaxOfTheRawLogitsWithRankedAlternatives() {
        Sampler sampler = new Sampler(3, Set.of());
        // Probabilities 0.2, 0.6, 0.2. Penalties and temperature change the choice's odds, not the reported ones.
        float[] logits = {0f, (float) Math.log(3), 0f};
        SamplingParams params = SamplingParams.builder().temperature(0).repetitionPenalty(2.0).logprobs(2).build();
        float[] row = logits.clone();
        SampledToken t = sampler.sample(row, params, History.of(new int[] {1}), null);
        assertThat(row).as("the caller's row is left as it was").containsExactly(logits);
        assertThat(t.tokenId()).isEqualTo(1);
        assertThat(t.logprob().logprob()).isCloseTo((float) Math.log(0.6), within(1e-6f));
        assertThat(t.logprob().rank()).isEqualTo(1);
        assertThat(t.top()).extracting(TokenLogprob::tokenId).containsExactly(1, 0);
        assertThat(t.top().get(1).logprob()).isCloseTo((float) Math.log(0.2), within(1e-6f));
        assertThat(t.top().get(1).rank()).isEqualTo(2);
    }

    @Test
    void theRankOfAnUnlikelyDrawIsReported() {
        Sampler sampler = new Sampler(3, Set.of());
        SamplingParams params = SamplingParams.builder().temperature(0).logprobs(0).build();
        // A repetition penalty on token 0 makes the second most likely token the choice.
        float[] logits = {3f, 2.9f, 1f};
        SampledToken t = sampler.sample(logits, params.toBuilder().repetitionPenalty(1.5).build(),
                History.of(new int[] {0}), null);
        assertThat(t.tokenId()).isEqualTo(1);
        assertThat(t.logprob().rank()).isEqualTo(2);
        assertThat(t.top()).isEmpty();
    }

    @Test
    void noLogprobsUnlessAsked() {
        SampledToken t = new Sampler(2, Set.of()).sample(new float[] {0f, 1f}, SamplingParams.greedy(1), EMPTY, null);
        assertThat(t.logprob()).isNull();
        assertThat(t.top()).isEmpty();
    }
}
