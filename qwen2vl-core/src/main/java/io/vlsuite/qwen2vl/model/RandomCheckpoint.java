package io.vlsuite.qwen2vl.model;

import io.vlsuite.qwen2vl.config.Qwen2VlConfig;
import io.vlsuite.qwen2vl.config.TextConfig;
import io.vlsuite.qwen2vl.config.VisionConfig;
import io.vlsuite.qwen2vl.safetensors.DType;
import io.vlsuite.qwen2vl.safetensors.SafeTensorsCheckpoint;
import io.vlsuite.qwen2vl.safetensors.TensorView;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A checkpoint of random BF16 weights with the published tensor names, built in memory (for benchmarks of
 * real-sized shapes without downloading anything). Norm weights are 1, everything else is uniform in
 * {@code ±scale} so activations stay finite through many layers.
 */
public final class RandomCheckpoint {

    private static final ValueLayout.OfShort SHORT_LE =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Map<String, TensorView> tensors = new LinkedHashMap<>();
    private final long seed;
    private final Arena arena = Arena.ofAuto();

    private RandomCheckpoint(long seed) {
        this.seed = seed;
    }

    public static SafeTensorsCheckpoint create(Qwen2VlConfig config, long seed) {
        RandomCheckpoint r = new RandomCheckpoint(seed);
        TextConfig t = config.text();
        int h = t.hiddenSize();
        r.random("model.embed_tokens.weight", 0.02f, t.vocabSize(), h);
        for (int i = 0; i < t.numLayers(); i++) {
            String p = "model.layers." + i + ".";
            r.ones(p + "input_layernorm.weight", h);
            r.ones(p + "post_attention_layernorm.weight", h);
            r.random(p + "self_attn.q_proj.weight", 0.02f, h, h);
            r.random(p + "self_attn.q_proj.bias", 0.02f, h);
            r.random(p + "self_attn.k_proj.weight", 0.02f, t.kvDim(), h);
            r.random(p + "self_attn.k_proj.bias", 0.02f, t.kvDim());
            r.random(p + "self_attn.v_proj.weight", 0.02f, t.kvDim(), h);
            r.random(p + "self_attn.v_proj.bias", 0.02f, t.kvDim());
            r.random(p + "self_attn.o_proj.weight", 0.02f, h, h);
            r.random(p + "mlp.gate_proj.weight", 0.02f, t.intermediateSize(), h);
            r.random(p + "mlp.up_proj.weight", 0.02f, t.intermediateSize(), h);
            r.random(p + "mlp.down_proj.weight", 0.02f, h, t.intermediateSize());
        }
        r.ones("model.norm.weight", h);
        if (!config.tieWordEmbeddings()) {
            r.random("lm_head.weight", 0.02f, t.vocabSize(), h);
        }
        VisionConfig v = config.vision();
        int e = v.embedDim();
        r.random("visual.patch_embed.proj.weight", 0.02f, e, v.inChannels(), v.temporalPatchSize(), v.patchSize(),
                v.patchSize());
        for (int i = 0; i < v.depth(); i++) {
            String p = "visual.blocks." + i + ".";
            r.ones(p + "norm1.weight", e);
            r.random(p + "norm1.bias", 0.02f, e);
            r.ones(p + "norm2.weight", e);
            r.random(p + "norm2.bias", 0.02f, e);
            r.random(p + "attn.qkv.weight", 0.02f, 3 * e, e);
            r.random(p + "attn.qkv.bias", 0.02f, 3 * e);
            r.random(p + "attn.proj.weight", 0.02f, e, e);
            r.random(p + "attn.proj.bias", 0.02f, e);
            r.random(p + "mlp.fc1.weight", 0.02f, v.mlpHiddenSize(), e);
            r.random(p + "mlp.fc1.bias", 0.02f, v.mlpHiddenSize());
            r.random(p + "mlp.fc2.weight", 0.02f, e, v.mlpHiddenSize());
            r.random(p + "mlp.fc2.bias", 0.02f, e);
        }
        int merged = e * v.mergeUnit();
        r.ones("visual.merger.ln_q.weight", e);
        r.random("visual.merger.ln_q.bias", 0.02f, e);
        r.random("visual.merger.mlp.0.weight", 0.02f, merged, merged);
        r.random("visual.merger.mlp.0.bias", 0.02f, merged);
        r.random("visual.merger.mlp.2.weight", 0.02f, v.hiddenSize(), merged);
        r.random("visual.merger.mlp.2.bias", 0.02f, v.hiddenSize());
        return SafeTensorsCheckpoint.of(r.tensors);
    }

    private void ones(String name, long size) {
        MemorySegment seg = arena.allocate(size * 2, 64);
        short one = (short) (Float.floatToIntBits(1f) >>> 16);
        for (long i = 0; i < size; i++) {
            seg.setAtIndex(SHORT_LE, i, one);
        }
        tensors.put(name, new TensorView(name, DType.BF16, new long[] {size}, seg));
    }

    private void random(String name, float scale, long... shape) {
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        MemorySegment seg = arena.allocate(count * 2, 64);
        long salt = seed * 0x9E3779B97F4A7C15L + name.hashCode();
        int chunks = (int) Math.max(1, count >> 20);
        long total = count;
        // Filled in parallel: a 2B model is 2.2 billion values.
        IntStream.range(0, chunks).parallel().forEach(c -> {
            long from = total * c / chunks;
            long to = total * (c + 1) / chunks;
            for (long i = from; i < to; i++) {
                long z = mix(salt + i);
                float u = ((z >>> 40) * 0x1.0p-24f) * 2f - 1f;
                seg.setAtIndex(SHORT_LE, i, (short) (Float.floatToIntBits(u * scale) >>> 16));
            }
        });
        tensors.put(name, new TensorView(name, DType.BF16, shape, seg));
    }

    /** SplitMix64 finaliser: a counter-based generator, so chunks can be filled independently. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
