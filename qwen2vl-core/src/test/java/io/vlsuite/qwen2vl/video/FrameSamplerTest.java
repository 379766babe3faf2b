package io.vlsuite.qwen2vl.video;

import io.vlsuite.qwen2vl.Qwen2VlException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** qwen-vl-utils v0.0.8 {@code fetch_video} frame-count and index rules. */
class FrameSamplerTest {

    @ParameterizedTest(name = "{0} frames at {1} fps -> {2}")
    @CsvSource({
            "300, 30, 20",     // 10 s at the default 2 fps
            "100, 25, 8",
            "90, 30, 6",       // 3 s -> 6
            "75, 30, 4",       // 2.5 s -> 5.0 frames -> round(5/2) = round(2.5) = 2 (half-even) -> 4
            "3, 30, 2",        // shorter than min_frames: max_frames = floor_even(3) = 2 wins
            "100000, 30, 768", // FPS_MAX_FRAMES
    })
    void frameCountFollowsFpsRule(int total, double fps, int expected) {
        assertThat(FrameSampler.frameCount(total, fps, VideoSamplingOptions.DEFAULTS)).isEqualTo(expected);
    }

    @Test
    void explicitFrameCountRoundsHalfToEven() {
        assertThat(FrameSampler.frameCount(100, 30, VideoSamplingOptions.withFrameCount(5))).isEqualTo(4);  // 2.5 -> 2
        assertThat(FrameSampler.frameCount(100, 30, VideoSamplingOptions.withFrameCount(7))).isEqualTo(8);  // 3.5 -> 4
        assertThat(FrameSampler.frameCount(100, 30, VideoSamplingOptions.withFrameCount(10))).isEqualTo(10);
    }

    @Test
    void customFpsAndBounds() {
        assertThat(FrameSampler.frameCount(300, 30, VideoSamplingOptions.withFps(1.0))).isEqualTo(10);
        var bounded = new VideoSamplingOptions(null, null, 3, 9, null, null, null); // min ceil-even 4, max floor-even 8
        assertThat(FrameSampler.frameCount(300, 30, bounded)).isEqualTo(8);
        assertThat(FrameSampler.frameCount(30, 30, bounded)).isEqualTo(4);
    }

    @Test
    void tooShortVideosAreRejected() {
        assertCode(() -> FrameSampler.frameCount(1, 30, VideoSamplingOptions.DEFAULTS), "video_too_short");
        assertCode(() -> FrameSampler.frameCount(10, 30, VideoSamplingOptions.withFrameCount(12)), "video_too_short");
        assertCode(() -> FrameSampler.frameCount(0, 30, VideoSamplingOptions.DEFAULTS), "video_too_short");
    }

    @Test
    void fpsAndFrameCountAreExclusive() {
        assertCode(() -> new VideoSamplingOptions(2.0, 4, null, null, null, null, null), "invalid_video_options");
    }

    @Test
    void indicesAreRoundedLinspace() {
        assertThat(FrameSampler.frameIndices(100, 8)).containsExactly(0, 14, 28, 42, 57, 71, 85, 99);
        assertThat(FrameSampler.frameIndices(300, 20)).startsWith(0, 16, 31).endsWith(299);
        // Exact halves round to even, as torch.round does: linspace(0, 5, 3) = 0, 2.5, 5.
        assertThat(FrameSampler.frameIndices(6, 3)).containsExactly(0, 2, 5);
        assertThat(FrameSampler.frameIndices(4, 3)).containsExactly(0, 2, 3); // 1.5 -> 2
        assertThat(FrameSampler.frameIndices(4, 4)).containsExactly(0, 1, 2, 3);
    }

    private static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(Qwen2VlException.class, e -> assertThat(e.code()).isEqualTo(code));
    }
}
