package io.vlsuite.qwen2vl.sampling;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Picks one token from one logits row, following vLLM's V1 sampler step by step:
 * <ol>
 *   <li>logprobs, when requested, from the <em>raw</em> logits (vLLM's default {@code raw_logprobs} mode: what
 *       the model thinks, independent of penalties and temperature);</li>
 *   <li>while fewer than {@code min_tokens} tokens exist, EOS and stop token ids are masked;</li>
 *   <li>repetition, frequency and presence penalties;</li>
 *   <li>temperature 0: argmax; otherwise temperature, min-p, top-k, top-p, then one draw from the request's own
 *       RNG.</li>
 * </ol>
 * The draw uses only the request's generator, and the generator is used exactly once per random token, so a
 * seeded request produces the same tokens whatever else shares its batch, and after a preemption.
 *
 * <p>Not thread-safe (a scratch array is reused): one instance per engine thread. The given logits row is never
 * modified.
 */
public final class Sampler {

    private final Set<Integer> eosTokenIds;
    private final int[] scratch;

    /**
     * @param vocabSize    length of the logits rows
     * @param eosTokenIds  the model's end-of-sequence ids (masked under {@code min_tokens})
     */
    public Sampler(int vocabSize, Set<Integer> eosTokenIds) {
        this.eosTokenIds = Set.copyOf(eosTokenIds);
        this.scratch = new int[vocabSize];
    }

    public SampledToken sample(float[] rawLogits, SamplingParams params, TokenHistory history, RandomGenerator rng) {
        boolean minTokensActive = history.outputLength() < params.minTokens();
        boolean penalised = params.repetitionPenalty() != 1.0 || params.presencePenalty() != 0
                || params.frequencyPenalty() != 0;
        // The caller's row stays untouched (runners and tools may keep it); copy only when something changes it.
        boolean filtered = !params.greedy() && params.topK() != 1;
        float[] logits = minTokensActive || penalised || filtered ? rawLogits.clone() : rawLogits;

        if (minTokensActive) {
            Set<Integer> forbidden = new HashSet<>(params.stopTokenIds());
            if (!params.ignoreEos()) {
                forbidden.addAll(eosTokenIds);
            }
            LogitsProcessors.mask(logits, forbidden);
        }
        if (penalised) {
            LogitsProcessors.applyPenalties(logits, history, params, scratch);
        }

        int token;
        if (params.greedy() || params.topK() == 1) {
            // top_k = 1 keeps only the argmax whatever the temperature (Qwen2-VL's generation_config decodes so).
            token = LogitsProcessors.argmax(logits);
        } else {
            LogitsProcessors.applyTemperature(logits, params.temperature());
            LogitsProcessors.applyMinP(logits, params.minP());
            if (params.topKEnabled()) {
                LogitsProcessors.applyTopK(logits, params.topK());
            }
            LogitsProcessors.applyTopP(logits, params.topP());
            token = draw(logits, rng);
        }

        if (params.logprobs() == null) {
            return new SampledToken(token, null, List.of());
        }
        double logSumExp = LogitsProcessors.logSumExp(rawLogits);
        return new SampledToken(token, new TokenLogprob(token, (float) (rawLogits[token] - logSumExp),
                rank(rawLogits, token)), topLogprobs(rawLogits, params.logprobs(), logSumExp));
    }

    /** One draw from softmax(logits) by inverse CDF over token ids in order. */
    static int draw(float[] logits, RandomGenerator rng) {
        float max = LogitsProcessors.max(logits);
        double sum = 0;
        for (float l : logits) {
            if (l != Float.NEGATIVE_INFINITY) {
                sum += Math.exp(l - max);
            }
        }
        double u = rng.nextDouble() * sum;
        double acc = 0;
        int last = LogitsProcessors.argmax(logits);
        for (int i = 0; i < logits.length; i++) {
            if (logits[i] == Float.NEGATIVE_INFINITY) {
                continue;
            }
            acc += Math.exp(logits[i] - max);
            last = i;
            if (acc > u) {
                return i;
            }
        }
        return last; // rounding left u just above the total: the last possible token
    }

    private static List<TokenLogprob> topLogprobs(float[] logits, int n, double logSumExp) {
        int[] ids = TopN.indices(logits, n);
        List<TokenLogprob> out = new ArrayList<>(ids.length);
        for (int r = 0; r < ids.length; r++) {
            out.add(new TokenLogprob(ids[r], (float) (logits[ids[r]] - logSumExp), r + 1));
        }
        return out;
    }

    /** 1 + number of tokens strictly more likely (ties share the better rank). */
    private static int rank(float[] logits, int token) {
        float l = logits[token];
        int better = 0;
        for (float v : logits) {
            if (v > l) {
                better++;
            }
        }
        return better + 1;
    }
}
