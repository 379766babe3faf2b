package io.vlsuite.qwen2vl.kernel;

import io.vlsuite.qwen2vl.safetensors.DType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class MatMulTest {

    private static final ValueLayout.OfShort SHORT_LE =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Shapes with tails in every direction: tokens not a multiple of 4, k not a multiple of the lane count. */
    @ParameterizedTest
    @CsvSource({"1,7,5", "3,33,17", "4,64,64", "5,100,129", "70,1176,48", "130,40,300"})
    void bf16MatchesDoubleReference(int n, int k, int m) {
        Random random = new Random(n * 31L + k * 7L + m);
        float[] x = randomFloats(random, n * k);
        MemorySegment seg = Arena.ofAuto().allocate((long) m * k * 2);
        float[] wf = new float[m * k];
        for (int i = 0; i < m * k; i++) {
            short bits = (short) (Float.floatToIntBits((float) random.nextGaussian()) >>> 16);
            seg.setAtIndex(SHORT_LE, i, bits);
            wf[i] = Float.intBitsToFloat(bits << 16);
        }
        float[] bias = randomFloats(random, m);
        float[] out = new float[n * m];
        MatMul.matmul(x, n, new WeightMatrix(seg, DType.BF16, m, k), bias, out);
        assertClose(out, reference(x, wf, bias, n, k, m), k);
    }

    @ParameterizedTest
    @CsvSource({"1,9,3", "6,64,31", "17,257,65"})
    void f32MatchesDoubleReference(int n, int k, int m) {
        Random random = new Random(k);
        float[] x = randomFloats(random, n * k);
        float[] w = randomFloats(random, m * k);
        float[] out = new float[n * m];
        MatMul.matmul(x, n, WeightMatrix.ofFloats(w, m, k), out);
        assertClose(out, reference(x, w, null, n, k, m), k);
    }

    @org.junit.jupiter.api.Test
    void groupedProductsEqualSeparateOnes() {
        Random random = new Random(11);
        int n = 6, k = 70;
        float[] x = randomFloats(random, n * k);
        WeightMatrix a = WeightMatrix.ofFloats(randomFloats(random, 40 * k), 40, k);
        WeightMatrix b = WeightMatrix.ofFloats(randomFloats(random, 8 * k), 8, k);
        float[] biasB = randomFloats(random, 8);
        float[] outA = new float[n * 40], outB = new float[n * 8];
        MatMul.matmulGroup(x, n, new WeightMatrix[] {a, b}, new float[][] {null, biasB}, new float[][] {outA, outB});
        float[] soloA = new float[n * 40], soloB = new float[n * 8];
        MatMul.matmul(x, n, a, soloA);
        MatMul.matmul(x, n, b, biasB, soloB);
        assertThat(outA).containsExactly(soloA);
        assertThat(outB).containsExactly(soloB);
    }

    /** The fallback used without the Vector API computes the same products as the vector kernel. */
    @ParameterizedTest
    @CsvSource({"1,40,9", "9,300,13"})
    void scalarFallbackAgreesWithVectorKernel(int n, int k, int m) {
        Random random = new Random(3);
        float[] x = randomFloats(random, n * k);
        WeightMatrix w = WeightMatrix.ofFloats(randomFloats(random, m * k), m, k);
        float[] scalar = new float[n * m];
        float[] vector = new float[n * m];
        ScalarMatMul.tile(x, k, w, scalar, m, 0, n, 0, m);
        VectorMatMul.tile(x, k, w, vector, m, 0, n, 0, m);
        for (int i = 0; i < scalar.length; i++) {
            assertThat(vector[i]).isCloseTo(scalar[i], org.assertj.core.data.Offset.offset(1e-4f));
        }
    }

    private static void assertClose(float[] actual, double[] expected, int k) {
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).as("element %d", i).isCloseTo(expected[i],
                    org.assertj.core.data.Offset.offset(1e-5 * Math.sqrt(k) * 4));
        }
    }

    private static double[] reference(float[] x, float[] w, float[] bias, int n, int k, int m) {
        double[] out = new double[n * m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double s = bias == null ? 0 : bias[j];
                for (int c = 0; c < k; c++) {
                    s += (double) x[i * k + c] * w[j * k + c];
                }
                out[i * m + j] = s;
            }
        }
        return out;
    }

    private static float[] randomFloats(Random random, int count) {
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
