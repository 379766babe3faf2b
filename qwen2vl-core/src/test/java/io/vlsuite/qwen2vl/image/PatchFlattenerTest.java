package io.vlsuite.qwen2vl.image;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The patch layout against a direct transcription of the reference formula (qwen2vl-spec section 2.5), on sizes
 * large enough for the parallel path and with two different frames (the golden cases only cover small images).
 */
class PatchFlattenerTest {

    private final PixelNormalizer normalizer = new PixelNormalizer(1.0 / 255,
            PreprocessorConfig.OPENAI_CLIP_MEAN, PreprocessorConfig.OPENAI_CLIP_STD);
    private final PatchFlattener flattener = new PatchFlattener(normalizer);

    @Test
    void largeImageMatchesReferenceFormula() {
        RgbImage img = random(1120, 700, 3);
        VisionInput input = flattener.flatten(List.of(img), MediaKind.IMAGE);
        assertThat(input.gridThw()).containsExactly(1, 50, 80);
        assertThat(input.pixelValues()).isEqualTo(reference(List.of(img, img), 50, 80));
    }

    @Test
    void twoDistinctFramesInterleaveAlongTheTemporalAxis() {
        List<RgbImage> frames = List.of(random(560, 504, 1), random(560, 504, 2), random(560, 504, 3), random(560, 504, 4));
        VisionInput input = flattener.flatten(frames, MediaKind.VIDEO);
        assertThat(input.gridThw()).containsExactly(2, 36, 40);
        assertThat(input.pixelValues()).isEqualTo(reference(frames, 36, 40));
    }

    /** {@code out[(t,bh,bw,mh,mw)][((c*2+tp)*14+py)*14+px] = norm(frame[2t+tp][c][y0+py][x0+px])}. */
    private float[] reference(List<RgbImage> frames, int gh, int gw) {
        int gt = frames.size() / 2;
        float[] out = new float[gt * gh * gw * 1176];
        int row = 0;
        for (int t = 0; t < gt; t++) {
            for (int bh = 0; bh < gh / 2; bh++) {
                for (int bw = 0; bw < gw / 2; bw++) {
                    for (int mh = 0; mh < 2; mh++) {
                        for (int mw = 0; mw < 2; mw++, row++) {
                            int y0 = (2 * bh + mh) * 14;
                            int x0 = (2 * bw + mw) * 14;
                            for (int c = 0; c < 3; c++) {
                                for (int tp = 0; tp < 2; tp++) {
                                    for (int py = 0; py < 14; py++) {
                                        for (int px = 0; px < 14; px++) {
                                            int col = ((c * 2 + tp) * 14 + py) * 14 + px;
                                            int v = frames.get(2 * t + tp).sample(x0 + px, y0 + py, c);
                                            out[row * 1176 + col] = normalizer.normalize(c, v);
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    private static RgbImage random(int w, int h, long seed) {
        byte[] rgb = new byte[w * h * 3];
        new Random(seed).nextBytes(rgb);
        return new RgbImage(w, h, rgb);
    }
}
