package io.vlsuite.qwen2vl.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.stream.IntStream;

/**
 * The machine's float32 fused-multiply-add peak as the Vector API can reach it: every thread runs eight independent
 * FMA chains on registers (enough to hide the FMA latency of 4 cycles on 2 ports), so nothing touches memory.
 * The figure is the denominator for "prefill at x% of peak". Only call when {@link VectorSupport#AVAILABLE}.
 */
public final class FmaPeak {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private FmaPeak() {
    }

    /** Best of {@code reps} runs of all {@link Parallel#threads()} threads, in floating-point operations per second. */
    public static double flopsPerSecond(long iterationsPerThread, int reps) {
        int threads = Parallel.threads();
        double best = 0;
        for (int r = 0; r < reps + 1; r++) { // first round is JIT warm-up
            long start = System.nanoTime();
            double sink = IntStream.range(0, threads).parallel().mapToDouble(t -> chains(iterationsPerThread)).sum();
            double seconds = (System.nanoTime() - start) / 1e9;
            if (sink == 42.0) {
                System.out.print(""); // keeps the chains alive
            }
            // 8 chains x lanes x 2 flops (multiply + add) per iteration.
            double flops = (double) threads * iterationsPerThread * 8 * S.length() * 2;
            if (r > 0) {
                best = Math.max(best, flops / seconds);
            }
        }
        return best;
    }

    /** Lanes of the preferred float vector (8 on AVX2, 16 on AVX-512). */
    public static int lanes() {
        return S.length();
    }

    private static double chains(long iterations) {
        FloatVector m = FloatVector.broadcast(S, 0.999999f);
        FloatVector a = FloatVector.broadcast(S, 1e-7f);
        FloatVector c0 = FloatVector.broadcast(S, 1f);
        FloatVector c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        for (long i = 0; i < iterations; i++) {
            c0 = c0.fma(m, a);
            c1 = c1.fma(m, a);
            c2 = c2.fma(m, a);
            c3 = c3.fma(m, a);
            c4 = c4.fma(m, a);
            c5 = c5.fma(m, a);
            c6 = c6.fma(m, a);
            c7 = c7.fma(m, a);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }
}
