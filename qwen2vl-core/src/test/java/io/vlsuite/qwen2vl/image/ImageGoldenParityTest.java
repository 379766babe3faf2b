package io.vlsuite.qwen2vl.image;

import com.fasterxml.jackson.databind.JsonNode;
import io.vlsuite.qwen2vl.image.GoldenFiles.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every image of the tiny-random golden cases, decoded and preprocessed in Java, against the transformers (PIL
 * backend) reference: resized uint8 bytes identical for PNG, pixel values within 1e-5, grids identical and
 * consistent with the number of {@code <|image_pad|>} tokens in {@code input_ids}.
 */
class ImageGoldenParityTest {

    private static final long IMAGE_PAD = 1036;
    /**
     * JPEG decoders may differ (Pillow's libjpeg-turbo vs the JDK's libjpeg 6b under TwelveMonkeys), so the fixtures
     * README asks for a tolerance. Measured on the golden {@code jpeg} case (4:2:0, 150x100): max diff 0, i.e. the
     * resized bytes and pixel values are identical; the allowance of 2 levels covers other encoders' files.
     */
    static final int JPEG_MAX_U8_DIFF = 2;

    private final ImageDecoder decoder = new ImageDecoder();
    private final ImageProcessor processor = ImageProcessor.forModel(GoldenFiles.TINY_RANDOM);

    static Stream<Arguments> pngImages() throws IOException {
        List<Arguments> args = new ArrayList<>();
        for (JsonNode c : GoldenFiles.index().get("cases")) {
            int i = 0;
            for (JsonNode media : c.get("media")) {
                if (media.has("file") && media.get("file").asText().endsWith(".png")) {
                    args.add(Arguments.of(c.get("name").asText(), i, media.get("file").asText()));
                }
                if (media.has("file")) {
                    i++;
                }
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0} image{1} ({2})")
    @MethodSource("pngImages")
    void pngImagesMatchReferenceExactly(String caseName, int index, String file) throws IOException {
        Map<String, Tensor> golden = GoldenFiles.caseTensors(caseName);
        RgbImage decoded = decoder.decode(GoldenFiles.GOLDEN.resolve(file));
        ProcessedImage result = processor.processWithResized(decoded, PixelBounds.NONE);

        Tensor resized = golden.get("image" + index + ".resized_rgb_u8");
        assertThat(new long[] {result.resized().height(), result.resized().width(), 3}).isEqualTo(resized.shape());
        assertThat(result.resized().rgb()).isEqualTo(resized.bytes());

        Tensor pixels = golden.get("image" + index + ".pixel_values");
        assertThat(new long[] {result.input().patches(), VisionInput.PATCH_DIM}).isEqualTo(pixels.shape());
        assertThat(GoldenFiles.maxAbsDiff(result.input().pixelValues(), pixels.floats())).isLessThanOrEqualTo(1e-5f);

        int[] expectedGrid = gridOf(caseName, index);
        assertThat(result.input().gridThw()).isEqualTo(expectedGrid);
        assertThat(result.input().kind()).isEqualTo(MediaKind.IMAGE);
    }

    @Test
    void gridsAccountForEveryImagePadToken() throws IOException {
        for (JsonNode c : GoldenFiles.index().get("cases")) {
            long pads = Arrays.stream(GoldenFiles.caseTensors(c.get("name").asText()).get("input_ids").longs())
                    .filter(id -> id == IMAGE_PAD).count();
            long expected = 0;
            for (JsonNode media : c.get("media")) {
                if (media.has("file")) {
                    RgbImage img = decoder.decode(GoldenFiles.GOLDEN.resolve(media.get("file").asText()));
                    ResizedSize size = processor.targetSize(img.height(), img.width(), PixelBounds.NONE);
                    expected += size.pixels() / (28 * 28);
                }
            }
            assertThat(pads).as(c.get("name").asText()).isEqualTo(expected);
        }
    }

    @Test
    void jpegCaseMatchesWithinDocumentedTolerance() throws IOException {
        Map<String, Tensor> golden = GoldenFiles.caseTensors("jpeg");
        RgbImage decoded = decoder.decode(GoldenFiles.GOLDEN.resolve("jpeg-image0.jpg"));
        ProcessedImage result = processor.processWithResized(decoded, PixelBounds.NONE);

        byte[] expected = golden.get("image0.resized_rgb_u8").bytes();
        byte[] actual = result.resized().rgb();
        assertThat(actual).hasSameSizeAs(expected);
        int maxDiff = 0;
        int differing = 0;
        for (int i = 0; i < actual.length; i++) {
            int d = Math.abs((actual[i] & 0xFF) - (expected[i] & 0xFF));
            maxDiff = Math.max(maxDiff, d);
            differing += d == 0 ? 0 : 1;
        }
        System.out.printf("jpeg golden: max u8 diff %d, %d of %d samples differ, pixel_values max diff %.6f%n",
                maxDiff, differing, actual.length,
                GoldenFiles.maxAbsDiff(result.input().pixelValues(), golden.get("image0.pixel_values").floats()));
        assertThat(maxDiff).isLessThanOrEqualTo(JPEG_MAX_U8_DIFF);
        assertThat(result.input().gridThw()).isEqualTo(gridOf("jpeg", 0));
    }

    private static int[] gridOf(String caseName, int index) throws IOException {
        JsonNode media = GoldenFiles.goldenCase(caseName).get("media").get(index);
        int[] grid = new int[3];
        for (int i = 0; i < 3; i++) {
            grid[i] = media.get("grid_thw").get(i).asInt();
        }
        return grid;
    }
}
