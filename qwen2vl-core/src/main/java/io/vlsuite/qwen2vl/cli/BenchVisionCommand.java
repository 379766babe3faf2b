package io.vlsuite.qwen2vl.cli;

import io.vlsuite.qwen2vl.kernel.FmaPeak;
import io.vlsuite.qwen2vl.kernel.Parallel;
import io.vlsuite.qwen2vl.kernel.VectorSupport;
import io.vlsuite.qwen2vl.model.VisionBenchmark;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.OptionalInt;

/**
 * {@code bench-vision [--side 448] [--depth 32] [--runs 3]}: the Qwen2-VL-2B vision tower (embed 1280, 16 heads,
 * MLP 5120, merger to 1536) with random BF16 weights on one square image: images/s and GFLOP/s, set against the
 * machine's FMA peak measured in the same run.
 */
final class BenchVisionCommand implements CliCommand {

    @Override
    public String name() {
        return "bench-vision";
    }

    @Override
    public String summary() {
        return "vision tower images/s (2B shape, random weights) and the machine's FMA peak: [--side 448 --depth 32 --runs 3]";
    }

    @Override
    public int run(String[] args, InputStream in, PrintStream out) {
        PreprocessOptions options = PreprocessOptions.parse(args, java.util.Set.of("side", "depth", "runs"));
        int side = options.intOr("side", 448);
        int depth = options.intOr("depth", 32);
        int runs = Math.max(1, options.intOr("runs", 3));
        if (side <= 0 || side % 28 != 0 || depth <= 0) {
            throw new CliUsageException("--side must be a positive multiple of 28 and --depth positive");
        }
        OptionalInt relaunched = VectorModuleRelauncher.relaunchIfNeeded(name(), args, in, System.err);
        if (relaunched.isPresent()) {
            return relaunched.getAsInt();
        }
        double peak = VectorSupport.AVAILABLE ? FmaPeak.flopsPerSecond(200_000_000L / Parallel.threads(), 3) : Double.NaN;
        if (VectorSupport.AVAILABLE) {
            out.printf("fma peak: %.1f GFLOP/s (%d threads, %d float lanes)%n", peak / 1e9, Parallel.threads(),
                    FmaPeak.lanes());
        }
        VisionBenchmark.Report r = new VisionBenchmark(depth).run(side, runs);
        out.printf("vision: %dx%d image, %d patches -> %d merged tokens, depth %d: %.3f images/s (%.2f s/image), "
                        + "%.1f GFLOP/image, %.1f GFLOP/s = %.0f%% of fma peak%n",
                side, side, r.patches(), r.mergedTokens(), r.depth(), r.imagesPerSecond(), r.secondsPerImage(),
                r.flopsPerImage() / 1e9, r.flopsPerSecond() / 1e9, 100 * r.flopsPerSecond() / peak);
        if (depth != 32) {
            out.printf("vision depth 32 (extrapolated from depth %d): %.4f images/s%n", depth, r.imagesPerSecondAtDepth(32));
        }
        return 0;
    }
}
