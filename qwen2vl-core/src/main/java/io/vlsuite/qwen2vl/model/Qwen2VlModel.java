package io.vlsuite.qwen2vl.model;

import io.vlsuite.qwen2vl.image.MediaKind;
import io.vlsuite.qwen2vl.image.VisionInput;
import io.vlsuite.qwen2vl.Qwen2VlException;
import io.vlsuite.qwen2vl.config.Qwen2VlConfig;
import io.vlsuite.qwen2vl.config.TextConfig;
import io.vlsuite.qwen2vl.engine.ModelRunner;
import io.vlsuite.qwen2vl.engine.PreparedPrompt;
import io.vlsuite.qwen2vl.engine.SequenceChunk;
import io.vlsuite.qwen2vl.kernel.Activations;
import io.vlsuite.qwen2vl.kernel.Blas;
import io.vlsuite.qwen2vl.kernel.MatMul;
import io.vlsuite.qwen2vl.kernel.Norms;
import io.vlsuite.qwen2vl.kernel.Parallel;
import io.vlsuite.qwen2vl.kernel.Rope;
import io.vlsuite.qwen2vl.kernel.WeightMatrix;
import io.vlsuite.qwen2vl.safetensors.SafeTensorsCheckpoint;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Qwen2-VL: the vision tower feeding a Qwen2 decoder with multimodal rotary positions.
 *
 * <p>{@link #prepare} turns an expanded prompt and its images/videos into a {@link PreparedPrompt} (vision
 * embeddings at the pad tokens, M-RoPE positions, rope delta). {@link #forward} runs one engine step: the tokens
 * of all chunks go through every linear layer together as one matrix product; attention runs per sequence over
 * the paged KV cache, whose storage this class owns (the engine hands out the block ids).
 *
 * <p>Threading: {@link #prepare} only reads the weights and may run on any thread, also while a step runs;
 * {@link #forward} and {@link #allocateKvCache} mutate the KV cache and must come from one thread at a time (the
 * engine's step loop). Matrix products inside a step fan out over the common fork-join pool.
 */
public final class Qwen2VlModel implements ModelRunner {

    private final Qwen2VlConfig config;
    private final TextConfig text;
    private final Qwen2VlWeights weights;
    private final VisionTower visionTower;
    private final float[] invFreq;
    /** Frequency pair j rotates with axis {@code ropeAxis[j]} (0 temporal, 1 height, 2 width). */
    private final int[] ropeAxis;

    /** Per layer, {@code [block * blockSize + offset][kvHeads][headDim]}. */
    private float[][] keyCache;
    private float[][] valueCache;
    private int blockSize;
    private int numBlocks;

    Qwen2VlModel(Qwen2VlConfig config, Qwen2VlWeights weights) {
        this.config = config;
        this.text = config.text();
        this.weights = weights;
        this.visionTower = new VisionTower(config.vision(), weights.vision());
        this.invFreq = Rope.inverseFrequencies(text.ropeTheta(), text.headDim());
        this.ropeAxis = new int[text.headDim() / 2];
        int[] section = text.mropeSection();
        for (int j = 0; j < ropeAxis.length; j++) {
            ropeAxis[j] = j < section[0] ? 0 : j < section[0] + section[1] ? 1 : 2;
        }
    }

    /** Loads {@code config.json} and the safetensors weights of a model folder (weights stay mapped). */
    public static Qwen2VlModel load(Path modelDir) {
        Qwen2VlConfig config = Qwen2VlConfig.load(modelDir);
        return fromCheckpoint(config, SafeTensorsCheckpoint.open(modelDir));
    }

    public static Qwen2VlModel fromCheckpoint(Qwen2VlConfig config, SafeTensorsCheckpoint checkpoint) {
        return new Qwen2VlModel(config, WeightLoader.load(checkpoint, config));
    }

    public Qwen2VlConfig config() {
        return config;
    }

    /** Bytes of weights streamed per decoded token (the decode roofline's numerator). */
    public long decodeBytesPerToken() {
        return weights.decodeBytesPerToken();
    }

    // ------------------------------------------------------------------------------------------------ prompt

    /**
     * Runs the vision tower on every image/video (in prompt order), computes M-RoPE positions and places the merged
     * vision embeddings at the {@code <|image_pad|>}/{@code <|video_pad|>} tokens.
     */
    public PreparedPrompt prepare(int[] expandedInputIds, List<VisionInput> inputs) {
        checkPadCounts(expandedInputIds, inputs);
        MropePositions rope = MropePositions.compute(expandedInputIds, inputs, config.imageTokenId(),
                config.videoTokenId(), config.vision().spatialMergeSize());
        float[][] overrides = null;
        if (!inputs.isEmpty()) {
            overrides = new float[expandedInputIds.length][];
            int h = text.hiddenSize();
            int nextImage = 0;
            int nextVideo = 0;
            for (VisionInput input : inputs) {
                boolean video = input.kind() == MediaKind.VIDEO;
                int pad = video ? config.videoTokenId() : config.imageTokenId();
                float[] merged = visionTower.encode(input).merged();
                int cursor = video ? nextVideo : nextImage;
                for (int row = 0; row < input.tokenCount(); row++) {
                    while (expandedInputIds[cursor] != pad) {
                        cursor++;
                    }
                    overrides[cursor] = java.util.Arrays.copyOfRange(merged, row * h, (row + 1) * h);
                    cursor++;
                }
                if (video) {
                    nextVideo = cursor;
                } else {
                    nextImage = cursor;
                }
            }
        }
        return new PreparedPrompt(expandedInputIds, rope.positions(), rope.ropeDelta(), overrides);
    }

    /** Vision tower outputs of one input (for tests and tools). */
    VisionTower.Output encodeVision(VisionInput input) {
        return visionTower.encode(input);
    }

    private void checkPadCounts(int[] ids, List<VisionInput> inputs) {
        int imagePads = 0;
        int videoPads = 0;
        for (int id : ids) {
            if (id == config.imageTokenId()) {
                imagePads++;
            } else if (id == config.videoTokenId()) {
                videoPads++;
            }
        }
        int imageTokens = 0;
        int videoTokens = 0;
        for (VisionInput input : inputs) {
            if (input.kind() == MediaKind.VIDEO) {
                videoTokens += input.tokenCount();
            } else {
                imageTokens += input.tokenCount();
            }
        }
        if (imagePads != imageTokens || videoPads != videoTokens) {
            throw new Qwen2VlException("vision_token_mismatch", "prompt has " + imagePads + " image and " + videoPads
                    + " video pad tokens but the inputs produce " + imageTokens + " and " + videoTokens);
        }
    }

    // ------------------------------------------------------------------------------------------------ KV cache

    @Override
    public int vocabSize() {
        return text.vocabSize();
    }

    @Override
    public long kvBytesPerToken() {
        return 2L * text.numLayers() * text.kvDim() * Float.BYTES;
    }

    @Override
    public void allocateKvCache(int numBlocks, int blockSize) {
        long floats = (long) numBlocks * blockSize * text.kvDim();
        if (floats > Integer.MAX_VALUE - 16) {
            throw new Qwen2VlException("kv_cache_too_large", numBlocks + " blocks of " + blockSize
                    + " tokens exceed one array per layer; use fewer blocks");
        }
        this.numBlocks = numBlocks;
        this.blockSize = blockSize;
        this.keyCache = new float[text.numLayers()][(int) floats];
        this.valueCache = new float[text.numLayers()][(int) floats];
    }

    // ------------------------------------------------------------------------------------------------ forward

    @Override
    public float[][] forward(List<SequenceChunk> chunks) {
        return run(chunks, false);
    }

    /** Like {@link #forward} but returns the logits of every token of every chunk, in order (parity tests). */
    public float[][] forwardAllLogits(List<SequenceChunk> chunks) {
        return run(chunks, true);
    }

    private float[][] run(List<SequenceChunk> chunks, boolean everyToken) {
        if (keyCache == null) {
            throw new IllegalStateException("allocateKvCache must be called before forward");
        }
        int h = text.hiddenSize();
        int kvDim = text.kvDim();
        int inter = text.intermediateSize();
        int half = text.headDim() / 2;
        int[] chunkStart = new int[chunks.size() + 1];
        for (int c = 0; c < chunks.size(); c++) {
            SequenceChunk chunk = chunks.get(c);
            chunkStart[c + 1] = chunkStart[c] + chunk.length();
            int needed = (chunk.cacheStart() + chunk.length() + blockSize - 1) / blockSize;
            if (chunk.blockTable().length < needed) {
                throw new IllegalArgumentException("sequence " + chunk.sequenceId() + " needs " + needed
                        + " blocks, block table has " + chunk.blockTable().length);
            }
        }
        int n = chunkStart[chunks.size()];

        // Embeddings, with vision rows replacing the pad tokens.
        float[] x = new float[n * h];
        for (int c = 0; c < chunks.size(); c++) {
            SequenceChunk chunk = chunks.get(c);
            for (int i = 0; i < chunk.length(); i++) {
                int row = chunkStart[c] + i;
                float[] override = chunk.embeddingOverrides() == null ? null : chunk.embeddingOverrides()[i];
                if (override != null) {
                    System.arraycopy(override, 0, x, row * h, h);
                } else {
                    int id = chunk.tokenIds()[i];
                    if (id < 0 || id >= text.vocabSize()) {
                        throw new Qwen2VlException("invalid_token_id", "token id " + id + " outside vocabulary");
                    }
                    weights.embedTokens().readRow(id, x, row * h);
                }
            }
        }

        // M-RoPE angles per token: pair j uses the position on its section's axis.
        float[] cos = new float[n * half];
        float[] sin = new float[n * half];
        for (int c = 0; c < chunks.size(); c++) {
            int[][] pos = chunks.get(c).positions();
            for (int i = 0; i < chunks.get(c).length(); i++) {
                int row = chunkStart[c] + i;
                for (int j = 0; j < half; j++) {
                    float angle = (float) pos[ropeAxis[j]][i] * invFreq[j];
                    cos[row * half + j] = (float) Math.cos(angle);
                    sin[row * half + j] = (float) Math.sin(angle);
                }
            }
        }

        float[] xb = new float[n * h];
        float[] q = new float[n * h];
        float[] k = new float[n * kvDim];
        float[] v = new float[n * kvDim];
        float[] att = new float[n * h];
        float[] o = new float[n * h];
        float[] gate = new float[n * inter];
        float[] up = new float[n * inter];
        for (int l = 0; l < text.numLayers(); l++) {
            LayerWeights w = weights.layers().get(l);

            // Self-attention block.
            Norms.rmsNorm(xb, x, w.inputNorm(), n, h, text.rmsNormEps());
            MatMul.matmulGroup(xb, n, new WeightMatrix[] {w.q(), w.k(), w.v()},
                    new float[][] {w.qBias(), w.kBias(), w.vBias()}, new float[][] {q, k, v});
            for (int t = 0; t < n; t++) {
                Rope.rotate(q, t * h, text.numHeads(), text.headDim(), cos, sin, t * half);
                Rope.rotate(k, t * kvDim, text.numKvHeads(), text.headDim(), cos, sin, t * half);
            }
            storeKv(l, chunks, chunkStart, k, v);
            attention(l, chunks, chunkStart, q, att);
            MatMul.matmul(att, n, w.o(), o);
            add(x, o, n * h);

            // SwiGLU MLP block.
            Norms.rmsNorm(xb, x, w.postAttentionNorm(), n, h, text.rmsNormEps());
            MatMul.matmulGroup(xb, n, new WeightMatrix[] {w.gate(), w.up()}, new float[2][], new float[][] {gate, up});
            Activations.siluMul(gate, up, n * inter);
            MatMul.matmul(gate, n, w.down(), o);
            add(x, o, n * h);
        }

        // Final norm and head, only on the rows whose logits are wanted.
        List<Integer> rows = new ArrayList<>();
        for (int c = 0; c < chunks.size(); c++) {
            if (everyToken) {
                for (int r = chunkStart[c]; r < chunkStart[c + 1]; r++) {
                    rows.add(r);
                }
            } else if (chunks.get(c).computeLogits()) {
                rows.add(chunkStart[c + 1] - 1);
            }
        }
        int m = rows.size();
        float[] last = new float[m * h];
        for (int r = 0; r < m; r++) {
            System.arraycopy(x, rows.get(r) * h, last, r * h, h);
        }
        Norms.rmsNorm(last, last, weights.finalNorm(), m, h, text.rmsNormEps());
        int vocab = text.vocabSize();
        float[] logits = new float[m * vocab];
        MatMul.matmul(last, m, weights.lmHead(), logits);
        float[][] out = new float[m][];
        for (int r = 0; r < m; r++) {
            out[r] = java.util.Arrays.copyOfRange(logits, r * vocab, (r + 1) * vocab);
        }
        return out;
    }

    /** Writes each chunk's new keys and values at cache positions {@code cacheStart..} of its block table. */
    private void storeKv(int layer, List<SequenceChunk> chunks, int[] chunkStart, float[] k, float[] v) {
        int kvDim = text.kvDim();
        for (int c = 0; c < chunks.size(); c++) {
            SequenceChunk chunk = chunks.get(c);
            for (int i = 0; i < chunk.length(); i++) {
                int slot = slot(chunk.blockTable(), chunk.cacheStart() + i);
                System.arraycopy(k, (chunkStart[c] + i) * kvDim, keyCache[layer], slot * kvDim, kvDim);
                System.arraycopy(v, (chunkStart[c] + i) * kvDim, valueCache[layer], slot * kvDim, kvDim);
            }
        }
    }

    private int slot(int[] blockTable, int position) {
        int block = blockTable[position / blockSize];
        if (block < 0 || block >= numBlocks) {
            throw new IllegalArgumentException("block id " + block + " outside the " + numBlocks + " allocated");
        }
        return block * blockSize + position % blockSize;
    }

    /**
     * Causal attention of each chunk's queries over its sequence's cached keys (earlier steps and this chunk).
     * Query head j reads KV head {@code j / (heads / kvHeads)}. One task per (chunk, query head).
     */
    private void attention(int layer, List<SequenceChunk> chunks, int[] chunkStart, float[] q, float[] out) {
        int h = text.hiddenSize();
        int hd = text.headDim();
        int kvDim = text.kvDim();
        int heads = text.numHeads();
        int group = heads / text.numKvHeads();
        float scale = (float) (1.0 / Math.sqrt(hd));
        float[] keys = keyCache[layer];
        float[] values = valueCache[layer];
        long work = 0;
        for (SequenceChunk chunk : chunks) {
            work += (long) chunk.length() * (chunk.cacheStart() + chunk.length()) * h * 2;
        }
        java.util.Arrays.fill(out, 0f);
        Parallel.forEach(chunks.size() * heads, work, task -> {
            SequenceChunk chunk = chunks.get(task / heads);
            int head = task % heads;
            int kvOff = (head / group) * hd;
            int context = chunk.cacheStart() + chunk.length();
            int[] slots = new int[context];
            for (int p = 0; p < context; p++) {
                slots[p] = slot(chunk.blockTable(), p) * kvDim + kvOff;
            }
            float[] scores = new float[context];
            for (int i = 0; i < chunk.length(); i++) {
                int row = chunkStart[task / heads] + i;
                int qOff = row * h + head * hd;
                int visible = chunk.cacheStart() + i + 1;
                for (int p = 0; p < visible; p++) {
                    scores[p] = Blas.dot(q, qOff, keys, slots[p], hd) * scale;
                }
                Activations.softmax(scores, 0, visible);
                for (int p = 0; p < visible; p++) {
                    Blas.axpy(out, qOff, scores[p], values, slots[p], hd);
                }
            }
        });
    }

    private static void add(float[] x, float[] y, int length) {
        for (int i = 0; i < length; i++) {
            x[i] += y[i];
        }
    }
}
