package io.vlsuite.qwen2vl.model;

import io.vlsuite.qwen2vl.Qwen2VlException;
import io.vlsuite.qwen2vl.config.Qwen2VlConfig;
import io.vlsuite.qwen2vl.config.TextConfig;
import io.vlsuite.qwen2vl.config.VisionConfig;
import io.vlsuite.qwen2vl.kernel.WeightMatrix;
import io.vlsuite.qwen2vl.safetensors.DType;
import io.vlsuite.qwen2vl.safetensors.SafeTensorsCheckpoint;
import io.vlsuite.qwen2vl.safetensors.TensorView;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Binds checkpoint tensors to the model's weight records, checking every name and shape against the config.
 *
 * <p>Two naming schemes exist: the published one ({@code model.layers.*}, {@code model.embed_tokens},
 * {@code visual.*}) and the one transformers &ge; 4.52 writes ({@code model.language_model.*},
 * {@code model.visual.*}); {@code lm_head.weight} is the same in both and absent when the head is tied to
 * the embedding. BF16 and F32 matrices are used in place; F16 ones are widened once to F32.
 */
final class WeightLoader {

    private static final ValueLayout.OfFloat FLOAT_LE =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final SafeTensorsCheckpoint checkpoint;
    private final Qwen2VlConfig config;
    private final String lm;
    private final String visual;

    private WeightLoader(SafeTensorsCheckpoint checkpoint, Qwen2VlConfig config) {
        this.checkpoint = checkpoint;
        this.config = config;
        boolean newNames = checkpoint.contains("model.language_model.embed_tokens.weight");
        this.lm = newNames ? "model.language_model." : "model.";
        this.visual = newNames || checkpoint.contains("model.visual.patch_embed.proj.weight") ? "model.visual."
                : "visual.";
    }

    static Qwen2VlWeights load(SafeTensorsCheckpoint checkpoint, Qwen2VlConfig config) {
        return new WeightLoader(checkpoint, config).load();
    }

    private Qwen2VlWeights load() {
        TextConfig t = config.text();
        int h = t.hiddenSize();
        WeightMatrix embed = matrix(lm + "embed_tokens.weight", t.vocabSize(), h);
        List<LayerWeights> layers = new ArrayList<>();
        for (int i = 0; i < t.numLayers(); i++) {
            String p = lm + "layers." + i + ".";
            layers.add(new LayerWeights(
                    vector(p + "input_layernorm.weight", h),
                    matrix(p + "self_attn.q_proj.weight", h, h), vector(p + "self_attn.q_proj.bias", h),
                    matrix(p + "self_attn.k_proj.weight", t.kvDim(), h),
                    vector(p + "self_attn.k_proj.bias", t.kvDim()),
                    matrix(p + "self_attn.v_proj.weight", t.kvDim(), h),
                    vector(p + "self_attn.v_proj.bias", t.kvDim()),
                    matrix(p + "self_attn.o_proj.weight", h, h),
                    vector(p + "post_attention_layernorm.weight", h),
                    matrix(p + "mlp.gate_proj.weight", t.intermediateSize(), h),
                    matrix(p + "mlp.up_proj.weight", t.intermediateSize(), h),
                    matrix(p + "mlp.down_proj.weight", h, t.intermediateSize())));
        }
        float[] finalNorm = vector(lm + "norm.weight", h);
        // Tied head (Qwen2-VL-2B ships no lm_head.weight): the embedding doubles as the output projection.
        WeightMatrix head = checkpoint.contains("lm_head.weight") && !config.tieWordEmbeddings()
                ? matrix("lm_head.weight", t.vocabSize(), h)
                : embed;
        return new Qwen2VlWeights(embed, layers, finalNorm, head, loadVision());
    }

    private VisionWeights loadVision() {
        VisionConfig v = config.vision();
        int e = v.embedDim();
        TensorView patch = tensor(visual + "patch_embed.proj.weight");
        long[] expectedPatch = {e, v.inChannels(), v.temporalPatchSize(), v.patchSize(), v.patchSize()};
        if (!Arrays.equals(patch.shape(), expectedPatch)
                && !Arrays.equals(patch.shape(), new long[] {e, v.patchInputSize()})) {
            patch.requireShape(expectedPatch);
        }
        List<VisionBlockWeights> blocks = new ArrayList<>();
        for (int i = 0; i < v.depth(); i++) {
            String p = visual + "blocks." + i + ".";
            blocks.add(new VisionBlockWeights(
                    vector(p + "norm1.weight", e), vector(p + "norm1.bias", e),
                    matrix(p + "attn.qkv.weight", 3 * e, e), vector(p + "attn.qkv.bias", 3 * e),
                    matrix(p + "attn.proj.weight", e, e), vector(p + "attn.proj.bias", e),
                    vector(p + "norm2.weight", e), vector(p + "norm2.bias", e),
                    matrix(p + "mlp.fc1.weight", v.mlpHiddenSize(), e), vector(p + "mlp.fc1.bias", v.mlpHiddenSize()),
                    matrix(p + "mlp.fc2.weight", e, v.mlpHiddenSize()), vector(p + "mlp.fc2.bias", e)));
        }
        int merged = e * v.mergeUnit();
        String m = visual + "merger.";
        return new VisionWeights(
                toMatrix(patch, e, v.patchInputSize()),
                blocks,
                vector(m + "ln_q.weight", e), vector(m + "ln_q.bias", e),
                matrix(m + "mlp.0.weight", merged, merged), vector(m + "mlp.0.bias", merged),
                matrix(m + "mlp.2.weight", v.hiddenSize(), merged), vector(m + "mlp.2.bias", v.hiddenSize()));
    }

    private TensorView tensor(String name) {
        return checkpoint.find(name).orElseThrow(() -> missing(name));
    }

    private Qwen2VlException missing(String name) {
        return new Qwen2VlException("missing_tensor", "checkpoint has no tensor '" + name + "' (names use the '"
                + lm + "' / '" + visual + "' prefixes)");
    }

    private WeightMatrix matrix(String name, int rows, int cols) {
        return toMatrix(tensor(name).requireShape(rows, cols), rows, cols);
    }

    private float[] vector(String name, int size) {
        return tensor(name).requireShape(size).toFloatArray();
    }

    private static WeightMatrix toMatrix(TensorView t, int rows, int cols) {
        return switch (t.dtype()) {
            case BF16, F32 -> new WeightMatrix(t.data(), t.dtype(), rows, cols);
            case F16, F64 -> {
                long count = (long) rows * cols;
                MemorySegment f32 = Arena.ofAuto().allocate(count * 4, 64);
                for (long i = 0; i < count; i++) {
                    f32.setAtIndex(FLOAT_LE, i, t.getFloat(i));
                }
                yield new WeightMatrix(f32, DType.F32, rows, cols);
            }
            default -> throw new Qwen2VlException("unsupported_dtype",
                    "tensor '" + t.name() + "' has dtype " + t.dtype() + "; weights must be BF16, F16 or F32");
        };
    }
}
