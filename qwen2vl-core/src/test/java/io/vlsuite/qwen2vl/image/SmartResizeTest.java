package io.vlsuite.qwen2vl.image;

import io.vlsuite.qwen2vl.Qwen2VlException;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SmartResizeTest {

    private static final int F = 28;
    private static final long MIN = 3136;
    private static final long MAX = 12845056;

    /** Test vectors of qwen2vl-spec section 2.2, computed with the Python rule. */
    @ParameterizedTest(name = "{0}x{1} max {2} -> {3}x{4}")
    @CsvSource({
            "1080, 1920, 12845056, 1092, 1932",
            "1080, 1920, 1003520, 728, 1316",
            "480, 640, 12845056, 476, 644",
            "70, 70, 12845056, 56, 56",       // 2.5 rounds half-to-even to 2 (Math.round would give 84)
            "98, 126, 12845056, 112, 112",    // 3.5 -> 4, 4.5 -> 4
            "4000, 6000, 12845056, 2912, 4368",
            "10, 1000, 12845056, 28, 560",
            "3024, 4032, 12845056, 3024, 4032",
            "3024, 4032, 1003520, 840, 1148",
    })
    void matchesReferenceVectors(int h, int w, long max, int eh, int ew) {
        assertThat(SmartResize.compute(h, w, F, MIN, max)).isEqualTo(new ResizedSize(eh, ew));
    }

    @Test
    void tinyImagesAreUpscaledNotRejected() {
        assertThat(SmartResize.compute(1, 1, F, MIN, MAX)).isEqualTo(new ResizedSize(56, 56));
    }

    @Test
    void rejectsAspectRatioAbove200() {
        assertThatThrownBy(() -> SmartResize.compute(10, 2001, F, MIN, MAX))
                .isInstanceOfSatisfying(Qwen2VlException.class, e -> assertThat(e.code()).isEqualTo("aspect_ratio_too_large"));
        assertThat(SmartResize.compute(10, 2000, F, MIN, MAX).width() % F).isZero();
    }

    @Test
    void rejectsEmptyImages() {
        assertThatThrownBy(() -> SmartResize.compute(0, 10, F, MIN, MAX))
                .isInstanceOfSatisfying(Qwen2VlException.class, e -> assertThat(e.code()).isEqualTo("image_too_small"));
    }

    @Property(tries = 2000)
    void resultIsMultipleOfFactorWithinBounds(@ForAll @IntRange(min = 1, max = 20000) int h,
                                              @ForAll @IntRange(min = 1, max = 20000) int w) {
        Assume.that((double) Math.max(h, w) / Math.min(h, w) <= 200);
        ResizedSize s = SmartResize.compute(h, w, F, MIN, MAX);
        assertThat(s.height() % F).isZero();
        assertThat(s.width() % F).isZero();
        assertThat(s.height()).isPositive();
        assertThat(s.width()).isPositive();
        // Feasible bounds (max >> 28*28*200): floor branch stays under max, ceil branch reaches min.
        assertThat(s.pixels()).isLessThanOrEqualTo(MAX);
        assertThat(s.pixels()).isGreaterThanOrEqualTo(MIN);
    }

    @Property(tries = 2000)
    void aspectRatioIsApproximatelyKept(@ForAll @IntRange(min = 28, max = 8000) int h,
                                        @ForAll @IntRange(min = 28, max = 8000) int w) {
        Assume.that((double) Math.max(h, w) / Math.min(h, w) <= 20);
        ResizedSize s = SmartResize.compute(h, w, F, MIN, MAX);
        double original = Math.log((double) w / h);
        double resized = Math.log((double) s.width() / s.height());
        // Each side moves by less than one factor step of 28 relative to the exact scaled size.
        double tolerance = Math.log1p(F / (double) Math.min(s.height(), s.width())) * 2;
        assertThat(Math.abs(original - resized)).isLessThanOrEqualTo(tolerance);
    }

    @Property(tries = 1000)
    void isIdempotentOnValidSizes(@ForAll @IntRange(min = 2, max = 120) int hBlocks,
                                  @ForAll @IntRange(min = 2, max = 120) int wBlocks) {
        int h = hBlocks * F;
        int w = wBlocks * F;
        ResizedSize s = SmartResize.compute(h, w, F, MIN, MAX);
        assertThat(s).isEqualTo(new ResizedSize(h, w));
        assertThat(SmartResize.compute(s.height(), s.width(), F, MIN, MAX)).isEqualTo(s);
    }
}
