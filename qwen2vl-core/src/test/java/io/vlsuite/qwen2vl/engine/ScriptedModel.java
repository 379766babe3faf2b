package io.vlsuite.qwen2vl.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * A model that "says" a fixed script: after a prompt of {@code promptLength} tokens, the k-th generated token
 * is {@code script[k]} (logit 10, every other token 0), and {@code <|im_end|>} once the script is over. Used to
 * test what the engine does with given tokens: detokenization, stop handling, min_tokens.
 */
final class ScriptedModel implements ModelRunner {

    private final int promptLength;
    private final int[] script;

    ScriptedModel(int promptLength, int... script) {
        this.promptLength = promptLength;
        this.script = script;
    }

    @Override
    public int vocabSize() {
        return ToyVocabulary.VOCAB_SIZE;
    }

    @Override
    public long kvBytesPerToken() {
        return 8;
    }

    @Override
    public void allocateKvCache(int numBlocks, int blockSize) {
    }

    @Override
    public float[][] forward(List<SequenceChunk> chunks) {
        List<float[]> rows = new ArrayList<>();
        for (SequenceChunk chunk : chunks) {
            if (chunk.computeLogits()) {
                int k = chunk.cacheStart() + chunk.length() - promptLength;
                float[] row = new float[vocabSize()];
                row[k < script.length ? script[k] : ToyVocabulary.IM_END] = 10f;
                rows.add(row);
            }
        }
        return rows.toArray(float[][]::new);
    }
}
