package io.vlsuite.qwen2vl.model;

import io.vlsuite.qwen2vl.Qwen2VlException;
import io.vlsuite.qwen2vl.config.Qwen2VlConfig;
import io.vlsuite.qwen2vl.engine.PreparedPrompt;
import io.vlsuite.qwen2vl.engine.SequenceChunk;
import io.vlsuite.qwen2vl.safetensors.SafeTensorsCheckpoint;
import io.vlsuite.qwen2vl.safetensors.TensorView;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * What the engine relies on: several sequences in one step, chunked prefill and scattered block tables give the
 * same logits as one sequence run alone.
 */
class BatchedForwardTest {

    @Test
    void batchedChunkedPagedStepEqualsSeparateRuns() throws Exception {
        Qwen2VlModel model = Qwen2VlModel.load(GoldenCase.tinyRandomDir());
        GoldenCase image = GoldenCase.all().get(1);
        PreparedPrompt a = model.prepare(image.inputIds(), image.visionInputs());
        PreparedPrompt b = model.prepare(new int[] {10, 20, 30, 40, 50}, List.of());

        model.allocateKvCache(16, 4);
        float[] aliceAlone = model.forward(List.of(chunk(1, a, 0, a.length(), new int[] {0, 1, 2, 3, 4, 5, 6, 7})))[0];
        float[] bobAlone = model.forward(List.of(chunk(2, b, 0, 5, new int[] {8, 9})))[0];

        // Same prompts, other blocks, A split into two prefill chunks; B prefills alongside A's second chunk.
        int[] aBlocks = {15, 3, 11, 0, 7, 9, 1, 13};
        int[] bBlocks = {6, 2};
        int split = 10;
        float[][] first = model.forward(List.of(withoutLogits(chunk(1, a, 0, split, aBlocks))));
        assertThat(first).isEmpty();
        float[][] second = model.forward(List.of(chunk(1, a, split, a.length(), aBlocks), chunk(2, b, 0, 5, bBlocks)));
        assertThat(second).hasNumberOfRows(2);
        for (int i = 0; i < aliceAlone.length; i++) {
            assertThat(second[0][i]).isCloseTo(aliceAlone[i], within(1e-4f));
            assertThat(second[1][i]).isCloseTo(bobAlone[i], within(1e-4f));
        }
    }

    @Test
    void transformers5WeightNamesLoadAndAMissingTensorIsNamed() {
        Path dir = Path.of(System.getProperty("user.dir")).resolve("../models/tiny-trained");
        Qwen2VlConfig config = Qwen2VlConfig.load(dir);
        SafeTensorsCheckpoint full = SafeTensorsCheckpoint.open(dir);
        assertThat(Qwen2VlModel.fromCheckpoint(config, full).vocabSize()).isEqualTo(1088);

        Map<String, TensorView> partial = new TreeMap<>(full.tensors());
        partial.remove("model.language_model.layers.2.mlp.up_proj.weight");
        assertThatThrownBy(() -> Qwen2VlModel.fromCheckpoint(config, SafeTensorsCheckpoint.of(partial)))
                .isInstanceOf(Qwen2VlException.class)
                .hasMessageContaining("model.language_model.layers.2.mlp.up_proj.weight")
                .satisfies(e -> assertThat(((Qwen2VlException) e).code()).isEqualTo("missing_tensor"));
    }

    private static SequenceChunk withoutLogits(SequenceChunk c) {
        return new SequenceChunk(c.sequenceId(), c.tokenIds(), c.positions(), c.embeddingOverrides(),
                c.cacheStart(), c.blockTable(), false);
    }

    private static SequenceChunk chunk(long id, PreparedPrompt p, int from, int to, int[] blocks) {
        int[][] pos = new int[3][];
        for (int axis = 0; axis < 3; axis++) {
            pos[axis] = Arrays.copyOfRange(p.positions()[axis], from, to);
        }
        float[][] overrides = p.embeddingOverrides() == null ? null
                : Arrays.copyOfRange(p.embeddingOverrides(), from, to);
        return new SequenceChunk(id, Arrays.copyOfRange(p.tokenIds(), from, to), pos, overrides, from, blocks, true);
    }
}
