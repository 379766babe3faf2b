package io.vlsuite.qwen2vl.cli;

import io.vlsuite.qwen2vl.config.Qwen2VlConfig;
import io.vlsuite.qwen2vl.config.VisionConfig;
import io.vlsuite.qwen2vl.kernel.Parallel;
import io.vlsuite.qwen2vl.kernel.VectorSupport;
import io.vlsuite.qwen2vl.model.ModelBenchmark;
import io.vlsuite.qwen2vl.model.Qwen2VlModel;
import io.vlsuite.qwen2vl.model.RandomCheckpoint;

import io.vlsuite.qwen2vl.engine.EngineConfig;
import io.vlsuite.qwen2vl.engine.EngineRequest;
import io.vlsuite.qwen2vl.engine.GenerationResult;
import io.vlsuite.qwen2vl.engine.LLMEngine;
import io.vlsuite.qwen2vl.engine.PreparedPrompt;
import io.vlsuite.qwen2vl.sampling.SamplingParams;
import io.vlsuite.qwen2vl.tokenizer.TokenDecoder;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * {@code bench-model [--layers N] [--prefill N] [--steps N] [--context N] [--batches 1,4,16]}: builds a
 * Qwen2-VL-2B-shaped language model with random BF16 weights in memory (nothing is downloaded) and prints
 * prefill and decode throughput, the measured memory bandwidth and the decode bound it implies.
 */
final class BenchModelCommand implements CliCommand {

    @Override
    public String name() {
        return "bench-model";
    }

    @Override
    public String summary() {
        return "prefill/decode tokens/s of a 2B-shaped model with random BF16 weights";
    }

    @Override
    public int run(String[] args, InputStream in, PrintStream out) {
        int layers = 28;
        int prefill = 128;
        int steps = 8;
        int context = 64;
        int[] batches = {1, 4, 16};
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--layers" -> layers = positive(args[i], value);
                case "--prefill" -> prefill = positive(args[i], value);
                case "--steps" -> steps = positive(args[i], value);
                case "--context" -> context = positive(args[i], value);
                case "--batches" -> batches = value == null ? null
                        : Arrays.stream(value.split(",")).mapToInt(s -> positive("--batches", s)).toArray();
                default -> throw new CliUsageException("unknown option " + args[i]
                        + " (options: --layers --prefill --steps --context --batches)");
            }
            i++;
        }
        java.util.OptionalInt relaunched = VectorModuleRelauncher.relaunchIfNeeded(name(), args, in, System.err);
        if (relaunched.isPresent()) {
            return relaunched.getAsInt();
        }
        Qwen2VlConfig full = Qwen2VlConfig.qwen2Vl2B();
        VisionConfig v = full.vision();
        // The benchmark measures the language model: the vision tower is kept to its patch embed and merger.
        Qwen2VlConfig config = new Qwen2VlConfig(
                new io.vlsuite.qwen2vl.config.TextConfig(full.text().vocabSize(), full.text().hiddenSize(),
                        full.text().intermediateSize(), layers, full.text().numHeads(), full.text().numKvHeads(),
                        full.text().rmsNormEps(), full.text().ropeTheta(), full.text().mropeSection()),
                new VisionConfig(0, v.embedDim(), v.hiddenSize(), v.numHeads(), v.mlpHiddenSize(), v.inChannels(),
                        v.patchSize(), v.spatialMergeSize(), v.temporalPatchSize(), v.ropeTheta()),
                full.imageTokenId(), full.videoTokenId(), full.visionStartTokenId(), full.visionEndTokenId(),
                full.tieWordEmbeddings(), full.eosTokenIds());
        long t0 = System.nanoTime();
        Qwen2VlModel model = Qwen2VlModel.fromCheckpoint(config, RandomCheckpoint.create(config, 1));
        out.printf("model: Qwen2-VL-2B language model shape (hidden 1536, %d layers, 12/2 heads, intermediate 8960, "
                + "vocab 151936, tied head), random BF16 weights built in %.1f s; %d threads, vector API %s%n",
                layers, (System.nanoTime() - t0) / 1e9, Parallel.threads(), VectorSupport.AVAILABLE ? "on" : "off");
        ModelBenchmark.Report r = new ModelBenchmark(model).run(prefill, batches, steps, context);
        out.printf("prefill: %d tokens, %.1f tokens/s%n", r.prefillTokens(), r.prefillTokensPerSecond());
        if (VectorSupport.AVAILABLE) {
            // Matmul work of the decoder layers (the LM head runs on the last token only) plus causal attention.
            io.vlsuite.qwen2vl.config.TextConfig t = config.text();
            double perTokenLayer = 2.0 * t.hiddenSize() * (2.0 * t.hiddenSize() + 2.0 * t.kvDim()
                    + 3.0 * t.intermediateSize()) + 2.0 * t.hiddenSize() * r.prefillTokens();
            double flops = perTokenLayer * layers * r.prefillTokens() + 2.0 * t.hiddenSize() * t.vocabSize();
            double peak = io.vlsuite.qwen2vl.kernel.FmaPeak.flopsPerSecond(200_000_000L / Parallel.threads(), 3);
            double achieved = flops * r.prefillTokensPerSecond() / r.prefillTokens();
            out.printf("prefill compute: %.1f GFLOP/s; fma peak: %.1f GFLOP/s; reached: %.0f%%%n", achieved / 1e9,
                    peak / 1e9, 100 * achieved / peak);
        }
        for (int i = 0; i < r.batchSizes().length; i++) {
            out.printf("decode batch %2d: %.2f tokens/s (context %d, %d steps)%n", r.batchSizes()[i],
                    r.decodeTokensPerSecond()[i], context, steps);
        }
        for (int batch : batches) {
            out.printf("engine decode batch %2d: %.2f tokens/s (LLMEngine: scheduler, sampler, detokenizer included)%n",
                    batch, engineDecodeRate(model, batch, context, steps));
        }
        double bound = r.decodeBoundTokensPerSecond();
        out.printf("memory bandwidth: %.1f GB/s; weights per decoded token: %.2f GB; batch-1 decode bound: %.2f tokens/s;"
                + " reached: %.0f%%%n", r.bandwidthBytesPerSecond() / 1e9, r.weightBytesPerToken() / 1e9, bound,
                100 * r.decodeTokensPerSecond()[0] / bound);
        return 0;
    }

    /**
     * Decode throughput through the engine: {@code batch} requests with random {@code context}-token prompts
     * prefilled in one step, then decoded together; tokens/s = batch / mean time per output token.
     */
    private static double engineDecodeRate(Qwen2VlModel model, int batch, int context, int steps) {
        int perSequence = context + steps + 2;
        EngineConfig config = EngineConfig.builder()
                .numKvBlocks(batch * ((perSequence + 15) / 16 + 1))
                .maxNumSeqs(batch)
                .maxNumBatchedTokens(Math.max(batch * context, 512))
                .maxModelLen(perSequence)
                .enablePrefixCaching(false)
                .build();
        TokenDecoder noText = new TokenDecoder() {
            @Override
            public byte[] tokenBytes(int tokenId) {
                return new byte[0];
            }

            @Override
            public boolean isSpecial(int tokenId) {
                return false;
            }
        };
        Random random = new Random(batch);
        List<EngineRequest> requests = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            int[] ids = random.ints(context, 0, 150_000).toArray();
            PreparedPrompt prompt = model.prepare(ids, List.of());
            requests.add(new EngineRequest("bench-" + b, prompt, SamplingParams.builder().temperature(0)
                    .maxTokens(steps + 1).ignoreEos(true).build()));
        }
        try (LLMEngine engine = new LLMEngine(model, noText, config)) {
            List<GenerationResult> results = engine.generate(requests);
            double meanSecondsPerToken = results.stream()
                    .mapToDouble(g -> g.timings().timePerOutputToken().toNanos() / 1e9).average().orElseThrow();
            return batch / meanSecondsPerToken;
        }
    }

    private static int positive(String option, String value) {
        try {
            int v = Integer.parseInt(value);
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException | NullPointerException e) {
            // reported below
        }
        throw new CliUsageException(option + " needs a positive integer");
    }
}
