package io.vlsuite.qwen2vl.image;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Behaviour of the Pillow-exact resizer beyond the golden parity (which covers PIL's exact bytes for downscale,
 * mixed up/down and grey/RGBA-derived inputs in {@link ImageGoldenParityTest}).
 */
class PillowBicubicResizerTest {

    @Test
    void sameSizeIsACopyOfTheInput() {
        RgbImage img = random(31, 17, 1);
        assertThat(new PillowBicubicResizer().resize(img, 31, 17)).isSameAs(img);
    }

    @Test
    void uniformImageStaysUniformInBothDirections() {
        byte[] rgb = new byte[50 * 40 * 3];
        for (int i = 0; i < rgb.length; i += 3) {
            rgb[i] = (byte) 200;
            rgb[i + 1] = 17;
            rgb[i + 2] = (byte) 255;
        }
        RgbImage img = new RgbImage(50, 40, rgb);
        for (int[] size : new int[][] {{112, 84}, {28, 28}, {50, 13}, {7, 40}}) {
            RgbImage out = new PillowBicubicResizer().resize(img, size[0], size[1]);
            for (int i = 0; i < out.rgb().length; i += 3) {
                assertThat(new int[] {out.rgb()[i] & 0xFF, out.rgb()[i + 1] & 0xFF, out.rgb()[i + 2] & 0xFF})
                        .containsExactly(200, 17, 255);
            }
        }
    }

    @Test
    void parallelAndSerialGiveIdenticalBytes() {
        RgbImage img = random(1000, 700, 7);
        RgbImage serial = new PillowBicubicResizer(false).resize(img, 644, 476);
        RgbImage parallel = new PillowBicubicResizer(true).resize(img, 644, 476);
        assertThat(parallel.rgb()).isEqualTo(serial.rgb());
    }

    @Test
    void coefficientsMatchPillowWindowForDownscale() {
        // 640 -> 252 (golden big-image): scale 2.539..., support 5.079, so up to 11 taps per output pixel.
        PillowBicubicResizer.Coefficients c = PillowBicubicResizer.Coefficients.compute(640, 252);
        assertThat(c.ksize).isEqualTo(2 * 6 + 1);
        assertThat(c.bounds[0]).isZero();
        int lastStart = c.bounds[2 * 251];
        int lastTaps = c.bounds[2 * 251 + 1];
        assertThat(lastStart + lastTaps).isEqualTo(640);
        // Fixed-point weights of one output pixel sum to 2^22 up to rounding of each tap.
        int sum = 0;
        for (int t = 0; t < c.bounds[2 * 100 + 1]; t++) {
            sum += c.fixed[100 * c.ksize + t];
        }
        assertThat(Math.abs(sum - (1 << 22))).isLessThanOrEqualTo(c.ksize);
    }

    static RgbImage random(int w, int h, long seed) {
        byte[] rgb = new byte[w * h * 3];
        new Random(seed).nextBytes(rgb);
        return new RgbImage(w, h, rgb);
    }
}
