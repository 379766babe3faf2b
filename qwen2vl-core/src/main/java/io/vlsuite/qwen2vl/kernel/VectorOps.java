package io.vlsuite.qwen2vl.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Vector API bodies of {@link Blas}; only loaded when the module is present. */
final class VectorOps {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private VectorOps() {
    }

    static float dot(float[] a, int aOff, float[] b, int bOff, int length) {
        int upper = F.loopBound(length);
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (; i < upper; i += F.length()) {
            acc = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), acc);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < length; i++) {
            sum += a[aOff + i] * b[bOff + i];
        }
        return sum;
    }

    static void axpy(float[] y, int yOff, float alpha, float[] x, int xOff, int length) {
        int upper = F.loopBound(length);
        FloatVector av = FloatVector.broadcast(F, alpha);
        int i = 0;
        for (; i < upper; i += F.length()) {
            FloatVector.fromArray(F, x, xOff + i).fma(av, FloatVector.fromArray(F, y, yOff + i))
                    .intoArray(y, yOff + i);
        }
        for (; i < length; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }
}
