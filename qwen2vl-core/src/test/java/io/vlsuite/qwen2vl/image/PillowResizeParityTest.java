package io.vlsuite.qwen2vl.image;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Byte-for-byte equality with Pillow 12's {@code Image.resize((w, h), BICUBIC)} over strong and mild down- and
 * upscaling, single-axis resizes and extreme aspect ratios (expectations made by
 * {@code src/test/resources/resize-parity/generate.py}).
 */
class PillowResizeParityTest {

    private static final Path DIR = Path.of("src/test/resources/resize-parity").toAbsolutePath();
    private static final Pattern EXPECTED = Pattern.compile("(.+)\\.(\\d+)x(\\d+)\\.png");

    static Stream<Arguments> cases() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.map(p -> EXPECTED.matcher(p.getFileName().toString()))
                    .filter(Matcher::matches)
                    .map(m -> Arguments.of(m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))))
                    .sorted(java.util.Comparator.comparing(Arguments::toString))
                    .toList().stream();
        }
    }

    @ParameterizedTest(name = "{0} -> {1}x{2}")
    @MethodSource("cases")
    void matchesPillowExactly(String input, int width, int height) {
        ImageDecoder decoder = new ImageDecoder();
        RgbImage source = decoder.decode(DIR.resolve(input + ".png"));
        RgbImage expected = decoder.decode(DIR.resolve(input + "." + width + "x" + height + ".png"));
        RgbImage actual = new PillowBicubicResizer().resize(source, width, height);
        assertThat(actual.width()).isEqualTo(width);
        assertThat(actual.height()).isEqualTo(height);
        assertThat(actual.rgb()).isEqualTo(expected.rgb());
    }

    @org.junit.jupiter.api.Test
    void fixturesArePresent() throws IOException {
        assertThat(cases().count()).isEqualTo(18);
    }
}
