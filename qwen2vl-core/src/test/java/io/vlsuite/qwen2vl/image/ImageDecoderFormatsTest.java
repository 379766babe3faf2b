package io.vlsuite.qwen2vl.image;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Decoding of every supported format and pixel layout against Pillow's {@code convert("RGB")} of the same file
 * (fixtures and expectations made by {@code src/test/resources/image-formats/generate.py} with Pillow 12).
 * Everything matches Pillow exactly (JPEG too: the JDK decoder under TwelveMonkeys and Pillow's libjpeg-turbo
 * agree on these files, CMYK included) except lossy WebP: TwelveMonkeys' VP8 decoder upsamples chroma differently
 * from libwebp, measured max 62 / mean 4.6 levels on this noisy 23x17 fixture, so it gets a tolerance.
 */
class ImageDecoderFormatsTest {

    static final Path DIR = Path.of("src/test/resources/image-formats").toAbsolutePath();

    private final ImageDecoder decoder = new ImageDecoder();

    @ParameterizedTest(name = "{0} (max diff {1}, mean {2})")
    @CsvSource({
            "rgba.png, 0, 0",            // alpha dropped, colour kept
            "gray.png, 0, 0",
            "gray-alpha.png, 0, 0",
            "palette.png, 0, 0",
            "bilevel.png, 0, 0",
            "gray16.png, 0, 0",          // Pillow clips 16-bit grey at 255
            "gray16-trns.png, 0, 0",     // ... also when a tRNS chunk makes Java add an alpha band
            "rgb16.png, 0, 0",           // high byte
            "palette.gif, 0, 0",
            "gray-trns.png, 0, 0",       // tRNS chunks: Java adds alpha, Pillow keeps L/RGB; both end up the same
            "rgb-trns.png, 0, 0",
            "palette2bit.png, 0, 0",
            "gray4.png, 0, 0",           // 4-bit grey scaled by 17
            "rgba32.bmp, 0, 0",
            "rgb24.bmp, 0, 0",
            "palette.bmp, 0, 0",
            "lossless.webp, 0, 0",
            "gray.jpg, 0, 0",
            "progressive.jpg, 0, 0",
            "exif-2.jpg, 0, 0",          // EXIF orientations 2..8 applied like ImageOps.exif_transpose
            "exif-3.jpg, 0, 0",
            "exif-4.jpg, 0, 0",
            "exif-5.jpg, 0, 0",
            "exif-6.jpg, 0, 0",
            "exif-7.jpg, 0, 0",
            "exif-8.jpg, 0, 0",
            "lossy.webp, 64, 6",
            "cmyk.jpg, 0, 0",
    })
    void decodesLikePillowConvertRgb(String file, int maxDiff, double maxMeanDiff) {
        RgbImage actual = decoder.decode(DIR.resolve(file));
        RgbImage expected = decoder.decode(DIR.resolve(file + ".expected.png"));
        assertThat(actual.width()).isEqualTo(expected.width());
        assertThat(actual.height()).isEqualTo(expected.height());
        int max = 0;
        long sum = 0;
        for (int i = 0; i < actual.rgb().length; i++) {
            int d = Math.abs((actual.rgb()[i] & 0xFF) - (expected.rgb()[i] & 0xFF));
            max = Math.max(max, d);
            sum += d;
        }
        double mean = (double) sum / actual.rgb().length;
        assertThat(max).as("max diff").isLessThanOrEqualTo(maxDiff);
        assertThat(mean).as("mean diff").isLessThanOrEqualTo(maxMeanDiff);
    }
}
