package io.vlsuite.qwen2vl.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class VisionBenchmarkTest {

    @Test
    void encodesTheSquareImageIntoOneMergedTokenPerFourPatches() {
        VisionBenchmark.Report report = new VisionBenchmark(1).run(56, 1);

        assertThat(report.patches()).isEqualTo(16);
        assertThat(report.mergedTokens()).isEqualTo(4);
        assertThat(report.secondsPerImage()).isPositive();
    }

    @Test
    void countsTheWorkOfPatchEmbedBlocksAndMerger() {
        // 16 patches, 1 block of the 2B shape (embed 1280, MLP 5120), merger 5120 -> 5120 -> 1536.
        long n = 16, e = 1280, mlp = 5120;
        double expected = 2.0 * (n * 1176 * e + n * (4 * e * e + 2 * e * mlp) + 2 * n * n * e
                + (n / 4) * (5120L * 5120 + 5120L * 1536));

        assertThat(new VisionBenchmark(1).flops(16)).isCloseTo(expected, within(1.0));
    }

    @Test
    void extrapolatesLinearlyInDepth() {
        VisionBenchmark.Report atTwo = new VisionBenchmark.Report(448, 2, 1024, 256, 4.0, 1e9);

        assertThat(atTwo.imagesPerSecondAtDepth(32)).isCloseTo(1.0 / 64, within(1e-12));
    }
}
