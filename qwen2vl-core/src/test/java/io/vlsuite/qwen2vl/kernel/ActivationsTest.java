package io.vlsuite.qwen2vl.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ActivationsTest {

    /** Reference values from mpmath (50 digits). */
    @ParameterizedTest
    @CsvSource({"0.0,0.0", "0.1,0.1124629160182849", "0.5,0.5204998778130465", "1.0,0.8427007929497149",
            "2.0,0.9953222650189527", "2.9,0.9999589021219005", "3.0,0.9999779095030014",
            "3.5,0.9999992569016276", "-1.5,-0.9661051464753108", "6.0,1.0"})
    void erfMatchesReference(double x, double expected) {
        assertThat(Activations.erf(x)).isCloseTo(expected, within(1e-9));
    }

    @Test
    void softmaxIsNormalisedAndShiftInvariant() {
        float[] a = {1f, 2f, 3f, 1000f, -5f};
        float[] b = {-999f, -998f, -997f, 0f, -1005f};
        Activations.softmax(a, 0, 5);
        Activations.softmax(b, 0, 5);
        double sum = 0;
        for (int i = 0; i < 5; i++) {
            sum += a[i];
            assertThat(a[i]).isCloseTo(b[i], within(1e-6f));
        }
        assertThat(sum).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void ropeRotationPreservesPairNorms() {
        float[] x = {1f, 2f, 3f, 4f};
        float[] cos = {(float) Math.cos(0.3), (float) Math.cos(1.1)};
        float[] sin = {(float) Math.sin(0.3), (float) Math.sin(1.1)};
        Rope.rotate(x, 0, 1, 4, cos, sin, 0);
        // pairs are (0,2) and (1,3)
        assertThat(x[0] * x[0] + x[2] * x[2]).isCloseTo(10f, within(1e-5f));
        assertThat(x[1] * x[1] + x[3] * x[3]).isCloseTo(20f, within(1e-5f));
        assertThat(x[0]).isCloseTo((float) (Math.cos(0.3) - 3 * Math.sin(0.3)), within(1e-6f));
    }
}
