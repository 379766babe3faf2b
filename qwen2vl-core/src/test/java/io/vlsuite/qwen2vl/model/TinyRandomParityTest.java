package io.vlsuite.qwen2vl.model;

import io.vlsuite.qwen2vl.image.MediaKind;
import io.vlsuite.qwen2vl.image.VisionInput;
import io.vlsuite.qwen2vl.engine.PreparedPrompt;
import io.vlsuite.qwen2vl.engine.SequenceChunk;
import io.vlsuite.qwen2vl.safetensors.TensorView;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Numerical parity with transformers (float32, CPU, eager) on every tiny-random golden case: vision patch
 * embeddings, merged vision embeddings, M-RoPE positions and delta, logits and 16 greedy tokens.
 */
class TinyRandomParityTest {

    private static final double VISION_TOLERANCE = 1e-4;
    private static final double LOGITS_TOLERANCE = 1e-3;
    private static Qwen2VlModel model;

    @BeforeAll
    static void loadModel() {
        model = Qwen2VlModel.load(GoldenCase.tinyRandomDir());
    }

    static List<GoldenCase> cases() throws IOException {
        return GoldenCase.all();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void visionTowerMatchesReference(GoldenCase c) {
        List<VisionInput> inputs = c.visionInputs();
        if (inputs.isEmpty()) {
            return;
        }
        List<float[]> patchEmbeds = new ArrayList<>();
        List<float[]> merged = new ArrayList<>();
        for (VisionInput input : inputs) {
            VisionTower.Output out = model.encodeVision(input);
            patchEmbeds.add(out.patchEmbeddings());
            merged.add(out.merged());
        }
        double patchDiff = maxAbsDiff(concat(patchEmbeds), c.tensor("vision_patch_embed").orElseThrow());
        double mergedDiff = maxAbsDiff(concat(merged), c.tensor("vision_merged").orElseThrow());
        System.out.printf("PARITY %s vision_patch_embed %.3g vision_merged %.3g%n", c.name(), patchDiff, mergedDiff);
        assertThat(patchDiff).isLessThan(VISION_TOLERANCE);
        assertThat(mergedDiff).isLessThan(VISION_TOLERANCE);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void positionsMatchReference(GoldenCase c) {
        PreparedPrompt prompt = model.prepare(c.inputIds(), c.visionInputs());
        int[] expected = c.tensor("position_ids").orElseThrow().toIntArray();
        int length = prompt.length();
        int[] actual = new int[3 * length];
        for (int a = 0; a < 3; a++) {
            System.arraycopy(prompt.positions()[a], 0, actual, a * length, length);
        }
        assertThat(actual).containsExactly(expected);
        int expectedDelta = c.tensor("rope_deltas").map(t -> t.toIntArray()[0]).orElse(0);
        assertThat(prompt.ropeDelta()).isEqualTo(expectedDelta);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void logitsMatchReference(GoldenCase c) {
        PreparedPrompt prompt = model.prepare(c.inputIds(), c.visionInputs());
        model.allocateKvCache((prompt.length() + 15) / 16, 16);
        int[] blocks = java.util.stream.IntStream.range(0, (prompt.length() + 15) / 16).toArray();
        float[][] logits = model.forwardAllLogits(List.of(new SequenceChunk(1, prompt.tokenIds(),
                prompt.positions(), prompt.embeddingOverrides(), 0, blocks, true)));
        TensorView expected = c.tensor("logits").or(() -> c.tensor("logits_last8")).orElseThrow();
        int rows = expected.dim(0);
        float[] actual = concat(List.of(logits).subList(0, logits.length).stream()
                .skip(logits.length - rows).toList());
        double diff = maxAbsDiff(actual, expected);
        System.out.printf("PARITY %s %s %.3g%n", c.name(), expected.name(), diff);
        assertThat(diff).isLessThan(LOGITS_TOLERANCE);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void greedyTokensMatchReference(GoldenCase c) {
        PreparedPrompt prompt = model.prepare(c.inputIds(), c.visionInputs());
        GreedyGenerator.Result result = new GreedyGenerator(model).generate(prompt, 16, new int[0], true);
        int[] expected = c.tensor("greedy_ids").orElseThrow().toIntArray();
        TensorView stepLogits = c.tensor("greedy_step_logits").orElseThrow();
        int vocab = stepLogits.dim(1);
        float[] reference = stepLogits.toFloatArray();
        // Compare up to (and including) the first step where the reference's top-2 margin is too thin to decide.
        int comparable = expected.length;
        for (int s = 0; s < expected.length; s++) {
            if (topTwoMargin(reference, s * vocab, vocab) < 1e-3) {
                comparable = s + 1;
                break;
            }
        }
        double stepDiff = 0;
        for (int s = 0; s < comparable && s < result.stepLogits().size(); s++) {
            for (int j = 0; j < vocab; j++) {
                stepDiff = Math.max(stepDiff, Math.abs(result.stepLogits().get(s)[j] - reference[s * vocab + j]));
            }
        }
        System.out.printf("PARITY %s greedy_step_logits %.3g (steps compared %d)%n", c.name(), stepDiff, comparable);
        assertThat(java.util.Arrays.copyOf(result.tokens(), comparable))
                .containsExactly(java.util.Arrays.copyOf(expected, comparable));
    }

    private static double topTwoMargin(float[] logits, int off, int length) {
        float first = Float.NEGATIVE_INFINITY;
        float second = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < length; i++) {
            float v = logits[off + i];
            if (v > first) {
                second = first;
                first = v;
            } else if (v > second) {
                second = v;
            }
        }
        return first - second;
    }

    static float[] concat(List<float[]> parts) {
        int total = parts.stream().mapToInt(p -> p.length).sum();
        float[] out = new float[total];
        int off = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }

    static double maxAbsDiff(float[] actual, TensorView expected) {
        assertThat((long) actual.length).as(expected.name() + " size").isEqualTo(expected.elementCount());
        double max = 0;
        for (int i = 0; i < actual.length; i++) {
            max = Math.max(max, Math.abs(actual[i] - expected.getFloat(i)));
        }
        return max;
    }
}
