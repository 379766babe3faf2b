package io.vlsuite.qwen2vl.cli;

import io.vlsuite.qwen2vl.engine.ModelRunner;
import io.vlsuite.qwen2vl.engine.SequenceChunk;

import java.util.ArrayList;
import java.util.List;

/**
 * Passes every call to the model and keeps the logits rows it returns. With a single request in the engine each
 * row is one generation step (prefill's last token, then one per decoded token), which is what
 * {@code --dump-logits} writes.
 */
final class LogitsRecordingRunner implements ModelRunner {

    private final ModelRunner delegate;
    private final List<float[]> rows = new ArrayList<>();

    LogitsRecordingRunner(ModelRunner delegate) {
        this.delegate = delegate;
    }

    @Override
    public int vocabSize() {
        return delegate.vocabSize();
    }

    @Override
    public long kvBytesPerToken() {
        return delegate.kvBytesPerToken();
    }

    @Override
    public void allocateKvCache(int numBlocks, int blockSize) {
        delegate.allocateKvCache(numBlocks, blockSize);
    }

    @Override
    public float[][] forward(List<SequenceChunk> chunks) {
        float[][] logits = delegate.forward(chunks);
        synchronized (rows) {
            for (float[] row : logits) {
                rows.add(row.clone());
            }
        }
        return logits;
    }

    List<float[]> rows() {
        synchronized (rows) {
            return List.copyOf(rows);
        }
    }
}
