package io.vlsuite.qwen2vl.cli;

import io.vlsuite.qwen2vl.engine.EngineConfig;
import io.vlsuite.qwen2vl.engine.EngineRequest;
import io.vlsuite.qwen2vl.engine.EngineStats;
import io.vlsuite.qwen2vl.engine.GenerationResult;
import io.vlsuite.qwen2vl.engine.LLMEngine;
import io.vlsuite.qwen2vl.engine.PreparedPrompt;
import io.vlsuite.qwen2vl.model.Qwen2VlModel;
import io.vlsuite.qwen2vl.sampling.SamplingParams;
import io.vlsuite.qwen2vl.tokenizer.Qwen2Tokenizer;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code bench-engine [--model models/tiny-trained] [--requests 32] [--prompt-words 40] [--max-tokens 64]
 * [--max-num-seqs 1,4,16] [--batched-tokens 512]}: submits the same set of text requests at once to the engine
 * with different {@code maxNumSeqs} (1 = one request at a time) and prints generated tokens per second, mean
 * time to first token and mean time per output token, so the gain of continuous batching is a figure.
 */
final class BenchEngineCommand implements CliCommand {

    @Override
    public String name() {
        return "bench-engine";
    }

    @Override
    public String summary() {
        return "continuous-batching throughput and latency of the engine on a model folder";
    }

    @Override
    public int run(String[] args, InputStream in, PrintStream out) {
        FlagArgs flags = FlagArgs.parse(args, Set.of("model", "requests", "prompt-words", "max-tokens",
                "max-num-seqs", "batched-tokens"), Set.of());
        OptionalInt relaunched = VectorModuleRelauncher.relaunchIfNeeded(name(), args, in, System.err);
        if (relaunched.isPresent()) {
            return relaunched.getAsInt();
        }
        Path modelDir = Path.of(flags.get("model", "models/tiny-trained"));
        int requests = positive(flags, "requests", 32);
        int promptWords = positive(flags, "prompt-words", 40);
        int maxTokens = positive(flags, "max-tokens", 64);
        int batchedTokens = positive(flags, "batched-tokens", 512);
        int[] seqLimits = Arrays.stream(flags.get("max-num-seqs", "1,4,16").split(","))
                .mapToInt(s -> parsePositive("max-num-seqs", s)).toArray();

        Qwen2VlModel model = Qwen2VlModel.load(modelDir);
        Qwen2Tokenizer tokenizer = Qwen2Tokenizer.load(modelDir);
        List<PreparedPrompt> prompts = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            String question = SyntheticEnglishText.generate(promptWords * 6, i);
            String text = "<|im_start|>user\n" + question + "<|im_end|>\n<|im_start|>assistant\n";
            prompts.add(model.prepare(tokenizer.encode(text), List.of()));
        }
        int promptTokens = prompts.stream().mapToInt(PreparedPrompt::length).sum();
        out.printf("model %s, %d requests, %d prompt tokens in all, %d generated tokens each (ignore_eos), "
                + "%d tokens per step%n", modelDir, requests, promptTokens, maxTokens, batchedTokens);

        SamplingParams params = SamplingParams.builder().temperature(0).maxTokens(maxTokens).ignoreEos(true).build();
        // One unmeasured pass first, so the first configuration does not pay for JIT compilation.
        try (LLMEngine warmup = new LLMEngine(model, tokenizer, config(model, 4, batchedTokens))) {
            warmup.generate(prompts.subList(0, Math.min(4, requests)).stream()
                    .map(p -> new EngineRequest("warmup-" + System.identityHashCode(p), p, params)).toList());
        }
        List<int[]> firstRun = null;
        for (int seqs : seqLimits) {
            EngineConfig config = config(model, seqs, batchedTokens);
            List<GenerationResult> results;
            long start = System.nanoTime();
            EngineStats stats;
            try (LLMEngine engine = new LLMEngine(model, tokenizer, config)) {
                List<EngineRequest> batch = new ArrayList<>();
                for (int i = 0; i < requests; i++) {
                    batch.add(new EngineRequest("bench-" + i, prompts.get(i), params));
                }
                results = engine.generate(batch);
                stats = engine.stats();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long generated = results.stream().mapToLong(r -> r.usage().completionTokens()).sum();
            List<int[]> outputs = results.stream().map(GenerationResult::tokenIds).toList();
            boolean same = firstRun == null || sameOutputs(firstRun, outputs);
            firstRun = firstRun == null ? outputs : firstRun;
            out.printf("max-num-seqs %3d: %8.1f generated tokens/s, wall %6.2f s, mean TTFT %7.1f ms, "
                            + "mean TPOT %6.2f ms, %d steps, %d preemptions, outputs %s%n",
                    seqs, generated / seconds, seconds, meanMillis(results, true), meanMillis(results, false),
                    stats.stepsTotal(), stats.preemptionsTotal(), same ? "identical to the first run" : "DIFFER");
        }
        return 0;
    }

    private static EngineConfig config(Qwen2VlModel model, int maxNumSeqs, int batchedTokens) {
        return EngineConfig.builder()
                .blockSize(16)
                .kvCacheBytes(Math.max(256L << 20, model.kvBytesPerToken() * 16L * 1024))
                .maxNumSeqs(maxNumSeqs)
                .maxNumBatchedTokens(batchedTokens)
                .eosTokenIds(Arrays.stream(model.config().eosTokenIds()).boxed().collect(Collectors.toSet()))
                .build();
    }

    private static boolean sameOutputs(List<int[]> a, List<int[]> b) {
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static double meanMillis(List<GenerationResult> results, boolean ttft) {
        return results.stream()
                .map(r -> ttft ? r.timings().timeToFirstToken() : r.timings().timePerOutputToken())
                .filter(Objects::nonNull)
                .mapToDouble(d -> d.toNanos() / 1e6)
                .average().orElse(Double.NaN);
    }

    private static int positive(FlagArgs flags, String name, int fallback) {
        String v = flags.get(name, null);
        return v == null ? fallback : parsePositive(name, v);
    }

    private static int parsePositive(String name, String value) {
        try {
            int v = Integer.parseInt(value.trim());
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CliUsageException("--" + name + " must be a positive integer, got '" + value + "'");
    }
}
