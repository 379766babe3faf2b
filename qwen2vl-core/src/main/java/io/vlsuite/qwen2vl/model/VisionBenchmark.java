package io.vlsuite.qwen2vl.model;

import io.vlsuite.qwen2vl.config.Qwen2VlConfig;
import io.vlsuite.qwen2vl.config.TextConfig;
import io.vlsuite.qwen2vl.config.VisionConfig;
import io.vlsuite.qwen2vl.image.MediaKind;
import io.vlsuite.qwen2vl.image.VisionInput;

import java.util.Random;

/**
 * Images per second of the Qwen2-VL vision tower (random BF16 weights of the 2B shape unless a smaller depth is
 * asked for) on one square image, and the floating-point work that implies, so it can be set against the FMA peak.
 */
public final class VisionBenchmark {

    /** Figures of one run. */
    public record Report(int imageSide, int depth, int patches, int mergedTokens, double secondsPerImage,
                         double flopsPerImage) {
        public double imagesPerSecond() {
            return 1 / secondsPerImage;
        }

        /** Blocks are identical, so a run at reduced depth extrapolates linearly (patch embed/merger are ~1%). */
        public double imagesPerSecondAtDepth(int fullDepth) {
            return depth / (secondsPerImage * fullDepth);
        }

        public double flopsPerSecond() {
            return flopsPerImage / secondsPerImage;
        }
    }

    private final VisionConfig vision;
    private final Qwen2VlModel model;

    /** A model whose language part is a single tiny layer: only the vision tower is measured. */
    public VisionBenchmark(int depth) {
        VisionConfig v = Qwen2VlConfig.qwen2Vl2B().vision();
        this.vision = new VisionConfig(depth, v.embedDim(), v.hiddenSize(), v.numHeads(), v.mlpHiddenSize(),
                v.inChannels(), v.patchSize(), v.spatialMergeSize(), v.temporalPatchSize(), v.ropeTheta());
        Qwen2VlConfig full = Qwen2VlConfig.qwen2Vl2B();
        Qwen2VlConfig config = new Qwen2VlConfig(
                new TextConfig(1024, v.hiddenSize(), 256, 1, 12, 2, 1e-6f, 1_000_000.0, new int[] {16, 24, 24}),
                vision, full.imageTokenId(), full.videoTokenId(), full.visionStartTokenId(),
                full.visionEndTokenId(), true, full.eosTokenIds());
        this.model = Qwen2VlModel.fromCheckpoint(config, RandomCheckpoint.create(config, 3));
    }

    /** Median of {@code runs} encodes of a {@code side}x{@code side} image after one warm-up encode. */
    public Report run(int side, int runs) {
        int grid = side / vision.patchSize();
        int patches = grid * grid;
        float[] pixels = new float[patches * vision.patchInputSize()];
        Random random = new Random(11);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextFloat() * 2 - 1;
        }
        VisionInput input = new VisionInput(pixels, patches, new int[] {1, grid, grid}, MediaKind.IMAGE);
        int merged = model.encodeVision(input).mergedTokens();
        double[] seconds = new double[runs];
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            model.encodeVision(input);
            seconds[r] = (System.nanoTime() - t0) / 1e9;
        }
        java.util.Arrays.sort(seconds);
        return new Report(side, vision.depth(), patches, merged, seconds[runs / 2], flops(patches));
    }

    /** Multiply-adds x 2 of the patch embed, every block (qkv, attention, proj, MLP) and the merger. */
    double flops(long n) {
        long e = vision.embedDim();
        long mlp = vision.mlpHiddenSize();
        long perBlock = n * (3 * e * e + e * e + 2 * e * mlp) + 2 * n * n * e;
        long mergedDim = e * vision.mergeUnit();
        long merger = (n / vision.mergeUnit()) * (mergedDim * mergedDim + mergedDim * vision.hiddenSize());
        return 2.0 * (n * vision.patchInputSize() * e + vision.depth() * perBlock + merger);
    }
}
