package io.vlsuite.qwen2vl.model;

import io.vlsuite.qwen2vl.engine.SequenceChunk;
import io.vlsuite.qwen2vl.kernel.Parallel;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Throughput of the language model on one machine: prefill tokens/s, decode tokens/s at several batch sizes, and
 * the memory-bandwidth bound on batch-1 decoding (every decoded token streams all LM weights once).
 */
public final class ModelBenchmark {

    private static final int BLOCK_SIZE = 16;

    /** Figures of one run; rates in tokens per second, bandwidth in bytes per second. */
    public record Report(int prefillTokens, double prefillTokensPerSecond, int[] batchSizes,
                         double[] decodeTokensPerSecond, double bandwidthBytesPerSecond, long weightBytesPerToken) {

        /** The batch-1 decode rate if weights were streamed at the measured bandwidth and nothing else cost time. */
        public double decodeBoundTokensPerSecond() {
            return bandwidthBytesPerSecond / weightBytesPerToken;
        }
    }

    private final Qwen2VlModel model;

    public ModelBenchmark(Qwen2VlModel model) {
        this.model = model;
    }

    public Report run(int prefillTokens, int[] batchSizes, int decodeSteps, int contextTokens) {
        int maxBatch = IntStream.of(batchSizes).max().orElse(1);
        int perSequence = Math.max(prefillTokens, contextTokens + decodeSteps + 2);
        int blocksPerSequence = (perSequence + BLOCK_SIZE - 1) / BLOCK_SIZE;
        model.allocateKvCache(blocksPerSequence * maxBatch, BLOCK_SIZE);
        Random random = new Random(7);

        // Warm-up (JIT) on a short prompt, then the timed prefill.
        prefill(0, randomIds(random, 16), blocksPerSequence);
        long t0 = System.nanoTime();
        prefill(0, randomIds(random, prefillTokens), blocksPerSequence);
        double prefillRate = prefillTokens / seconds(t0);

        double[] decodeRates = new double[batchSizes.length];
        for (int b = 0; b < batchSizes.length; b++) {
            int batch = batchSizes[b];
            for (int s = 0; s < batch; s++) {
                prefill(s, randomIds(random, contextTokens), blocksPerSequence);
            }
            decodeSteps(batch, 1, contextTokens, blocksPerSequence); // warm-up step
            long start = System.nanoTime();
            decodeSteps(batch, decodeSteps, contextTokens + 1, blocksPerSequence);
            decodeRates[b] = (double) batch * decodeSteps / seconds(start);
        }
        return new Report(prefillTokens, prefillRate, batchSizes.clone(), decodeRates, measureBandwidth(),
                model.decodeBytesPerToken());
    }

    private void prefill(int sequence, int[] ids, int blocksPerSequence) {
        int[][] pos = new int[3][ids.length];
        for (int a = 0; a < 3; a++) {
            pos[a] = IntStream.range(0, ids.length).toArray();
        }
        model.forward(List.of(new SequenceChunk(sequence, ids, pos, null, 0, blocks(sequence, blocksPerSequence),
                true)));
    }

    private void decodeSteps(int batch, int steps, int cacheStart, int blocksPerSequence) {
        for (int step = 0; step < steps; step++) {
            List<SequenceChunk> chunks = new ArrayList<>();
            int p = cacheStart + step;
            for (int s = 0; s < batch; s++) {
                chunks.add(new SequenceChunk(s, new int[] {100 + s + step}, new int[][] {{p}, {p}, {p}}, null, p,
                        blocks(s, blocksPerSequence), true));
            }
            model.forward(chunks);
        }
    }

    private static int[] blocks(int sequence, int blocksPerSequence) {
        return IntStream.range(sequence * blocksPerSequence, (sequence + 1) * blocksPerSequence).toArray();
    }

    private int[] randomIds(Random random, int n) {
        return random.ints(n, 0, Math.min(150_000, model.vocabSize())).toArray();
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /**
     * Read bandwidth: all threads sum disjoint parts of a 1 GiB array (far larger than any cache); best of 3.
     */
    public static double measureBandwidth() {
        long[] data = new long[1 << 27];
        java.util.Arrays.parallelSetAll(data, i -> i);
        int threads = Parallel.threads();
        double best = 0;
        for (int rep = 0; rep < 3; rep++) {
            long start = System.nanoTime();
            long sum = IntStream.range(0, threads).parallel().mapToLong(t -> {
                int from = (int) ((long) data.length * t / threads);
                int to = (int) ((long) data.length * (t + 1) / threads);
                long s = 0;
                for (int i = from; i < to; i++) {
                    s += data[i];
                }
                return s;
            }).sum();
            double rate = data.length * 8.0 / seconds(start);
            if (sum == 42) {
                System.out.print(""); // keeps the sum alive
            }
            best = Math.max(best, rate);
        }
        return best;
    }
}
