package io.vlsuite.qwen2vl.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vlsuite.qwen2vl.engine.PreparedPrompt;
import io.vlsuite.qwen2vl.image.ImageDecoder;
import io.vlsuite.qwen2vl.image.ImageProcessor;
import io.vlsuite.qwen2vl.image.MediaKind;
import io.vlsuite.qwen2vl.image.RgbImage;
import io.vlsuite.qwen2vl.image.VisionInput;
import io.vlsuite.qwen2vl.tokenizer.Qwen2Tokenizer;
import io.vlsuite.qwen2vl.video.VideoProcessor;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bundled demo model answers the 240 evaluation questions exactly as transformers does (greedy, float32 on
 * the BF16 weights): decoded ids must equal {@code reference_ids} on at least 97% of the rows.
 */
class TinyTrainedEvalTest {

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).resolve("..");
    private static final Path MODEL = ROOT.resolve("models/tiny-trained");
    private static final Path EVAL = ROOT.resolve("testdata/tiny-trained-eval");

    @Test
    void greedyOutputsReproduceTheReference() throws Exception {
        Qwen2VlModel model = Qwen2VlModel.load(MODEL);
        Qwen2Tokenizer tokenizer = Qwen2Tokenizer.load(MODEL);
        ImageProcessor images = ImageProcessor.forModel(MODEL);
        VideoProcessor videos = new VideoProcessor(images);
        ImageDecoder decoder = new ImageDecoder();
        GreedyGenerator generator = new GreedyGenerator(model);
        JsonNode rows = new ObjectMapper().readTree(EVAL.resolve("eval.json").toFile()).get("rows");

        int matches = 0;
        List<String> mismatches = new ArrayList<>();
        long start = System.nanoTime();
        long cpuStart = processCpuNanos();
        long preprocessNanos = 0, prepareNanos = 0, generateNanos = 0;
        for (JsonNode row : rows) {
            long a = System.nanoTime();
            VisionInput vision;
            if (row.has("video_frames")) {
                List<RgbImage> frames = new ArrayList<>();
                row.get("video_frames").forEach(f -> frames.add(decoder.decode(EVAL.resolve(f.asText()))));
                vision = videos.processFrames(frames);
            } else {
                vision = images.process(decoder.decode(EVAL.resolve(row.get("image").asText())));
            }
            String pad = vision.kind() == MediaKind.VIDEO ? "<|video_pad|>" : "<|image_pad|>";
            String prompt = "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n"
                    + "<|vision_start|>" + pad.repeat(vision.tokenCount()) + "<|vision_end|>"
                    + row.get("question").asText() + "<|im_end|>\n<|im_start|>assistant\n";
            long b = System.nanoTime();
            PreparedPrompt prepared = model.prepare(tokenizer.encode(prompt), List.of(vision));
            int[] expected = new int[row.get("reference_ids").size()];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = row.get("reference_ids").get(i).asInt();
            }
            long c = System.nanoTime();
            int[] actual = generator.generate(prepared, expected.length + 8, model.config().eosTokenIds(), false)
                    .tokens();
            preprocessNanos += b - a;
            prepareNanos += c - b;
            generateNanos += System.nanoTime() - c;
            if (Arrays.equals(actual, expected)) {
                matches++;
            } else {
                mismatches.add(row.get("id").asInt() + ": " + tokenizer.decode(actual) + " vs "
                        + row.get("reference_output").asText());
            }
        }
        double rate = (double) matches / rows.size();
        System.out.printf("EVAL tiny-trained: %d/%d rows reproduce reference_ids (%.1f%%) in %.1f s (%.1f s CPU)%n",
                matches, rows.size(), 100 * rate, (System.nanoTime() - start) / 1e9,
                (processCpuNanos() - cpuStart) / 1e9);
        System.out.printf("EVAL seconds: preprocess %.1f, vision+positions %.1f, generation %.1f%n",
                preprocessNanos / 1e9, prepareNanos / 1e9, generateNanos / 1e9);
        mismatches.forEach(m -> System.out.println("EVAL mismatch " + m));
        assertThat(rate).isGreaterThanOrEqualTo(0.97);
    }

    /** CPU time of the whole JVM: wall time alone is meaningless on a shared, overloaded machine. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
