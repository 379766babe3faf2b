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
        if (S.length() != LANES) {
            ScalarMatMul.tile(x, k, w, out, m, n0, n1, m0, m1);
            return;
        }
        int j = m0;
        // 4 weight rows x 4 tokens: 16 accumulators, 8 vector loads per 16 FMAs.
        for (; j + 4 <= m1; j += 4) {
            int i = n0;
            for (; i + 4 <= n1; i += 4) {
                block4x4(x, k, w, out, m, i, j);
            }
            for (; i < n1; i++) {
                for (int r = j; r < j + 4; r++) {
                    out[i * m + r] = dot(x, i * k, w, r, k);
                }
            }
        }
        for (; j < m1; j++) {
            for (int i = n0; i < n1; i++) {
                out[i * m + j] = dot(x, i * k, w, j, k);
            }
        }
    }

    private static void block4x4(float[] x, int k, WeightMatrix w, float[] out, int m, int i, int j) {
        boolean bf16 = w.dtype() == DType.BF16;
        MemorySegment seg = w.data();
        int upper = F.loopBound(k);
        int x0 = i * k, x1 = x0 + k, x2 = x1 + k, x3 = x2 + k;
        long r0 = (long) j * k, r1 = r0 + k, r2 = r1 + k, r3 = r2 + k;
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        for (int c = 0; c < upper; c += LANES) {
            FloatVector w0, w1, w2, w3;
            if (bf16) {
                w0 = loadBf16(seg, (r0 + c) * 2);
                w1 = loadBf16(seg, (r1 + c) * 2);
                w2 = loadBf16(seg, (r2 + c) * 2);
                w3 = loadBf16(seg, (r3 + c) * 2);
            } else {
                w0 = FloatVector.fromMemorySegment(F, seg, (r0 + c) * 4, ByteOrder.LITTLE_ENDIAN);
                w1 = FloatVector.fromMemorySegment(F, seg, (r1 + c) * 4, ByteOrder.LITTLE_ENDIAN);
                w2 = FloatVector.fromMemorySegment(F, seg, (r2 + c) * 4, ByteOrder.LITTLE_ENDIAN);
                w3 = FloatVector.fromMemorySegment(F, seg, (r3 + c) * 4, ByteOrder.LITTLE_ENDIAN);
            }
            FloatVector v = FloatVector.fromArray(F, x, x0 + c);
            a00 = v.fma(w0, a00);
            a01 = v.fma(w1, a01);
            a02 = v.fma(w2, a02);
            a03 = v.fma(w3, a03);
            v = FloatVector.fromArray(F, x, x1 + c);
            a10 = v.fma(w0, a10);
            a11 = v.fma(w1, a11);
            a12 = v.fma(w2, a12);
            a13 = v.fma(w3, a13);
            v = FloatVector.fromArray(F, x, x2 + c);
            a20 = v.fma(w0, a20);
            a21 = v.fma(w1, a21);
            a22 = v.fma(w2, a22);
            a23 = v.fma(w3, a23);
            v = FloatVector.fromArray(F, x, x3 + c);
            a30 = v.fma(w0, a30);
            a31 = v.fma(w1, a31);
            a32 = v.fma(w2, a32);
            a33 = v.fma(w3, a33);
        }
        // Reduced one by one: putting the accumulators in an array would force C2 to box them inside the loop.
        store(out, m, i, j, a00.reduceLanes(VectorOperators.ADD), a01.reduceLanes(VectorOperators.ADD),
                a02.reduceLanes(VectorOperators.ADD), a03.reduceLanes(VectorOperators.ADD));
        store(out, m, i + 1, j, a10.reduceLanes(VectorOperators.ADD), a11.reduceLanes(VectorOperators.ADD),
                a12.reduceLanes(VectorOperators.ADD), a13.reduceLanes(VectorOperators.ADD));
        store(out, m, i + 2, j, a20.reduceLanes(VectorOperators.ADD), a21.reduceLanes(VectorOperators.ADD),
                a22.reduceLanes(VectorOperators.ADD), a23.reduceLanes(VectorOperators.ADD));
        store(out, m, i + 3, j, a30.reduceLanes(VectorOperators.ADD), a31.reduceLanes(VectorOperators.ADD),
                a32.reduceLanes(VectorOperators.ADD), a33.reduceLanes(VectorOperators.ADD));
        if (upper < k) {
            for (int t = 0; t < 4; t++) {
                int xo = (i + t) * k;
                for (int r = 0; r < 4; r++) {
                    float tail = 0f;
                    for (int c = upper; c < k; c++) {
                        tail += x[xo + c] * w.get(j + r, c);
                    }
                    out[(i + t) * m + j + r] += tail;
                }
            }
        }
    }

    private static void store(float[] out, int m, int token, int row, float s0, float s1, float s2, float s3) {
        int o = token * m + row;
        out[o] = s0;
        out[o + 1] = s1;
        out[o + 2] = s2;
        out[o + 3] = s3;
    }

    /** One token times one weight row; two accumulators hide the FMA latency (the decode case). */
    private static float dot(float[] x, int xOff, WeightMatrix w, int row, int k) {
        long rowBase = (long) row * k;
        int upper = F.loopBound(k);
        FloatVector a0 = FloatVector.zero(F);
        FloatVector b0 = FloatVector.zero(F);
        int c = 0;
        for (; c + 2 * LANES <= upper; c += 2 * LANES) {
            a0 = FloatVector.fromArray(F, x, xOff + c).fma(loadWeight(w, rowBase + c), a0);
            b0 = FloatVector.fromArray(F, x, xOff + c + LANES).fma(loadWeight(w, rowBase + c + LANES), b0);
        }
        for (; c < upper; c += LANES) {
            a0 = FloatVector.fromArray(F, x, xOff + c).fma(loadWeight(w, rowBase + c), a0);
        }
        float s = a0.add(b0).reduceLanes(VectorOperators.ADD);
        for (c = upper; c < k; c++) {
            s += x[xOff + c] * w.get(row, c);
        }
        return s;
    }
}
