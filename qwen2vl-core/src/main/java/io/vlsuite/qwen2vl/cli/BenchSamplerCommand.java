package io.vlsuite.qwen2vl.cli;

import io.vlsuite.qwen2vl.sampling.Sampler;
import io.vlsuite.qwen2vl.sampling.SamplingParams;
import io.vlsuite.qwen2vl.sampling.TokenHistory;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * {@code bench-sampler [--vocab 151936] [--spread 3.0] [--tokens 500]}: milliseconds the sampler spends per
 * generated token for common settings, on a Qwen2-VL-sized vocabulary of Gaussian logits with standard deviation
 * {@code --spread} (wider spreads leave more candidates for top-p), with a 600-token history for the penalties.
 */
final class BenchSamplerCommand implements CliCommand {

    private record History(int[] tokens, int promptLength) implements TokenHistory {
        @Override
        public int length() {
            return tokens.length;
        }

        @Override
        public int tokenAt(int index) {
            return tokens[index];
        }
    }

    @Override
    public String name() {
        return "bench-sampler";
    }

    @Override
    public String summary() {
        return "sampling cost per token (greedy, penalties, top-k/top-p, logprobs) on a 152k vocabulary";
    }

    @Override
    public int run(String[] args, InputStream in, PrintStream out) {
        FlagArgs flags = FlagArgs.parse(args, Set.of("vocab", "spread", "tokens"), Set.of());
        int vocab = (int) positive(flags, "vocab", 151_936);
        double spread = positive(flags, "spread", 3.0);
        int tokens = (int) positive(flags, "tokens", 500);
        SplittableRandom random = new SplittableRandom(1);
        float[] logits = new float[vocab];
        for (int i = 0; i < vocab; i++) {
            logits[i] = (float) (random.nextGaussian() * spread);
        }
        History history = new History(random.ints(600, 0, vocab).toArray(), 500);
        Sampler sampler = new Sampler(vocab, Set.of(151_645, 151_643));

        Map<String, SamplingParams> settings = new LinkedHashMap<>();
        settings.put("greedy", SamplingParams.greedy(16));
        settings.put("greedy, repetition_penalty 1.05", SamplingParams.builder().temperature(0)
                .repetitionPenalty(1.05).build());
        settings.put("Qwen2-VL generation_config (top_k 1)", SamplingParams.builder().temperature(0.1).topK(1)
                .topP(0.001).repetitionPenalty(1.05).build());
        settings.put("temperature 0.7, top_p 0.9", SamplingParams.builder().temperature(0.7).topP(0.9).build());
        settings.put("temperature 0.7, top_k 50, top_p 0.9", SamplingParams.builder().temperature(0.7).topK(50)
                .topP(0.9).build());
        settings.put("temperature 1, min_p 0.05", SamplingParams.builder().minP(0.05).build());
        settings.put("temperature 1, logprobs 5", SamplingParams.builder().logprobs(5).build());
        out.printf("vocabulary %d, logits ~ N(0, %.1f^2), %d tokens per setting%n", vocab, spread, tokens);
        for (Map.Entry<String, SamplingParams> e : settings.entrySet()) {
            SplittableRandom rng = new SplittableRandom(2);
            for (int i = 0; i < Math.max(50, tokens / 5); i++) {
                sampler.sample(logits, e.getValue(), history, rng);
            }
            long start = System.nanoTime();
            for (int i = 0; i < tokens; i++) {
                sampler.sample(logits, e.getValue(), history, rng);
            }
            out.printf("%-42s %7.3f ms/token%n", e.getKey(), (System.nanoTime() - start) / 1e6 / tokens);
        }
        return 0;
    }

    private static double positive(FlagArgs flags, String name, double fallback) {
        double v = flags.getDouble(name, fallback);
        if (!(v > 0)) {
            throw new CliUsageException("--" + name + " must be positive");
        }
        return v;
    }
}
