package io.vlsuite.qwen2vl.image;

import io.vlsuite.qwen2vl.cli.Qwen2VlCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code preprocess} CLI command: JSON summary on stdout and a safetensors dump equal to the golden tensors. */
class PreprocessCliTest {

    @Test
    void printsGridAndWritesTensorsMatchingTheReference(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("big.safetensors");
        var stdout = new ByteArrayOutputStream();
        var stderr = new ByteArrayOutputStream();
        int status = Qwen2VlCli.run(new String[] {"preprocess", "--model", GoldenFiles.TINY_RANDOM.toString(),
                        "--image", GoldenFiles.GOLDEN.resolve("big-image-image0.png").toString(), "--out", out.toString()},
                new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8));

        assertThat(status).as(stderr.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(stdout.toString(StandardCharsets.UTF_8).trim()).isEqualTo("{\"grid_thw\":[1,12,18],\"resized\":[168,252]}");
        Map<String, GoldenFiles.Tensor> written = GoldenFiles.readSafetensors(out);
        Map<String, GoldenFiles.Tensor> golden = GoldenFiles.caseTensors("big-image");
        assertThat(written.get("resized_rgb_u8").shape()).containsExactly(168, 252, 3);
        assertThat(written.get("resized_rgb_u8").bytes()).isEqualTo(golden.get("image0.resized_rgb_u8").bytes());
        assertThat(written.get("pixel_values").shape()).containsExactly(216, 1176);
        assertThat(GoldenFiles.maxAbsDiff(written.get("pixel_values").floats(), golden.get("image0.pixel_values").floats()))
                .isLessThanOrEqualTo(1e-5f);
    }

    @Test
    void maxPixelsOverrideLowersTheResolution() {
        var stdout = new ByteArrayOutputStream();
        int status = Qwen2VlCli.run(new String[] {"preprocess", "--model", GoldenFiles.TINY_RANDOM.toString(),
                        "--image", GoldenFiles.GOLDEN.resolve("big-image-image0.png").toString(), "--max-pixels", "3136"},
                new PrintStream(stdout, true, StandardCharsets.UTF_8), System.err);
        assertThat(status).isZero();
        // 640x480, max 3136: beta = sqrt(307200/3136) = 9.9; floor(480/9.9/28) = 1, floor(640/9.9/28) = 2 -> 28x56.
        assertThat(stdout.toString(StandardCharsets.UTF_8).trim()).isEqualTo("{\"grid_thw\":[1,2,4],\"resized\":[28,56]}");
    }

    @Test
    void undecodableImageIsAOneLineCodedError(@TempDir Path tmp) throws IOException {
        Path bogus = tmp.resolve("x.png");
        java.nio.file.Files.writeString(bogus, "not an image");
        var stderr = new ByteArrayOutputStream();
        int status = Qwen2VlCli.run(new String[] {"preprocess", "--model", GoldenFiles.TINY_RANDOM.toString(), "--image", bogus.toString()},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(stderr, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(1);
        assertThat(stderr.toString(StandardCharsets.UTF_8)).startsWith("error: [unsupported_image_format]");
    }
}
