package io.vlsuite.qwen2vl.kernel;

import io.vlsuite.qwen2vl.safetensors.DType;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * Vector API tile of {@link MatMul}. The micro-kernel multiplies one weight row with four tokens at once: the
 * weight vector is loaded (and for BF16 widened: {@code short -> int << 16 -> float bits}) once and used for
 * four fused multiply-adds.
 */
final class VectorMatMul {

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    /** Same lane count as {@link #F}, half the bits: one BF16 per float lane. */
    static final VectorSpecies<Short> S = VectorSpecies.of(short.class,
            VectorShape.forBitSize(Math.max(64, F.vectorBitSize() / 2)));
    static final int LANES = F.length();

    private VectorMatMul() {
    }

    static FloatVector loadBf16(MemorySegment seg, long byteOffset) {
        ShortVector s = ShortVector.fromMemorySegment(S, seg, byteOffset, ByteOrder.LITTLE_ENDIAN);
        return ((IntVector) s.convertShape(VectorOperators.S2I, I, 0))
                .lanewise(VectorOperators.LSHL, 16)
                .reinterpretAsFloats();
    }

    static FloatVector loadWeight(WeightMatrix w, long elementIndex) {
        return w.dtype() == DType.BF16
                ? loadBf16(w.data(), elementIndex * 2)
                : FloatVector.fromMemorySegment(F, w.data(), elementIndex * 4, ByteOrder.LITTLE_ENDIAN);
    }

    static void tile(float[] x, int k, WeightMatrix w, float[] out, int m, int n0, int n1, int m0, int m1) {
        boolean bf16 = w.dtype() == DType.BF16;
        if (S.length() != LANES) {
            ScalarMatMul.tile(x, k, w, out, m, n0, n1, m0, m1);
            return;
        }
        int upper = F.loopBound(k);
        for (int j = m0; j < m1; j++) {
            long rowBase = (long) j * k;
            int i = n0;
            for (; i + 4 <= n1; i += 4) {
                int x0 = i * k, x1 = x0 + k, x2 = x1 + k, x3 = x2 + k;
                FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
                for (int c = 0; c < upper; c += LANES) {
                    FloatVector wv = bf16 ? loadBf16(w.data(), (rowBase + c) * 2)
                            : FloatVector.fromMemorySegment(F, w.data(), (rowBase + c) * 4, ByteOrder.LITTLE_ENDIAN);
                    a0 = FloatVector.fromArray(F, x, x0 + c).fma(wv, a0);
                    a1 = FloatVector.fromArray(F, x, x1 + c).fma(wv, a1);
                    a2 = FloatVector.fromArray(F, x, x2 + c).fma(wv, a2);
                    a3 = FloatVector.fromArray(F, x, x3 + c).fma(wv, a3);
                }
                float s0 = a0.reduceLanes(VectorOperators.ADD), s1 = a1.reduceLanes(VectorOperators.ADD);
                float s2 = a2.reduceLanes(VectorOperators.ADD), s3 = a3.reduceLanes(VectorOperators.ADD);
                for (int c = upper; c < k; c++) {
                    float wc = w.get(j, c);
                    s0 += x[x0 + c] * wc;
                    s1 += x[x1 + c] * wc;
                    s2 += x[x2 + c] * wc;
                    s3 += x[x3 + c] * wc;
                }
                out[i * m + j] = s0;
                out[(i + 1) * m + j] = s1;
                out[(i + 2) * m + j] = s2;
                out[(i + 3) * m + j] = s3;
            }
            for (; i < n1; i++) {
                int x0 = i * k;
                FloatVector a0 = FloatVector.zero(F);
                FloatVector b0 = FloatVector.zero(F);
                int c = 0;
                // Two accumulators hide the FMA latency in the single-token (decode) case.
                for (; c + 2 * LANES <= upper; c += 2 * LANES) {
                    a0 = FloatVector.fromArray(F, x, x0 + c).fma(loadWeight(w, rowBase + c), a0);
                    b0 = FloatVector.fromArray(F, x, x0 + c + LANES).fma(loadWeight(w, rowBase + c + LANES), b0);
                }
                for (; c < upper; c += LANES) {
                    a0 = FloatVector.fromArray(F, x, x0 + c).fma(loadWeight(w, rowBase + c), a0);
                }
                float s0 = a0.add(b0).reduceLanes(VectorOperators.ADD);
                for (c = upper; c < k; c++) {
                    s0 += x[x0 + c] * w.get(j, c);
                }
                out[i * m + j] = s0;
            }
        }
    }
}
