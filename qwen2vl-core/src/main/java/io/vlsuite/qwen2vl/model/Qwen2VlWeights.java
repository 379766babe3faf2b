package io.vlsuite.qwen2vl.model;

import io.vlsuite.qwen2vl.kernel.WeightMatrix;

import java.util.List;

/** All weights of a Qwen2-VL checkpoint, ready for the kernels. */
record Qwen2VlWeights(
        WeightMatrix embedTokens,
        List<LayerWeights> layers,
        float[] finalNorm,
        WeightMatrix lmHead,
        VisionWeights vision) {

    /** Bytes read from the weights for one decoded token (the language model and its head). */
    long decodeBytesPerToken() {
        long bytes = lmHead.byteSize() + (long) embedTokens.cols() * 2;
        for (LayerWeights l : layers) {
            bytes += l.q().byteSize() + l.k().byteSize() + l.v().byteSize() + l.o().byteSize()
                    + l.gate().byteSize() + l.up().byteSize() + l.down().byteSize();
        }
        return bytes;
    }
}
