package io.vlsuite.qwen2vl.video;

import io.vlsuite.qwen2vl.Qwen2VlException;
import io.vlsuite.qwen2vl.image.GoldenFiles;
import io.vlsuite.qwen2vl.image.ImageDecoder;
import io.vlsuite.qwen2vl.image.ImageProcessor;
import io.vlsuite.qwen2vl.image.MediaKind;
import io.vlsuite.qwen2vl.image.PreprocessorConfig;
import io.vlsuite.qwen2vl.image.ResizedSize;
import io.vlsuite.qwen2vl.image.RgbImage;
import io.vlsuite.qwen2vl.image.SmartResize;
import io.vlsuite.qwen2vl.image.VisionInput;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VideoProcessorTest {

    private static final long VIDEO_PAD = 1037;

    private final ImageProcessor tinyRandom = ImageProcessor.forModel(GoldenFiles.TINY_RANDOM);
    private final ImageProcessor qwen2Vl = new ImageProcessor(PreprocessorConfig.qwen2VlDefaults());

    @Test
    void goldenVideoFramesUsedAsGivenMatchReference() throws IOException {
        ImageDecoder decoder = new ImageDecoder();
        List<RgbImage> frames = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            frames.add(decoder.decode(GoldenFiles.GOLDEN.resolve("video-video0-frame" + i + ".png")));
        }
        VisionInput input = new VideoProcessor(tinyRandom).processFrames(frames);

        var golden = GoldenFiles.caseTensors("video");
        assertThat(input.gridThw()).containsExactly(2, 10, 12);
        assertThat(input.kind()).isEqualTo(MediaKind.VIDEO);
        assertThat(GoldenFiles.maxAbsDiff(input.pixelValues(), golden.get("video0.pixel_values").floats()))
                .isLessThanOrEqualTo(1e-5f);
        long pads = Arrays.stream(golden.get("input_ids").longs()).filter(id -> id == VIDEO_PAD).count();
        assertThat(pads).isEqualTo(input.tokenCount());
    }

    @Test
    void oddFrameCountIsPaddedWithTheLastFrame() {
        List<RgbImage> three = List.of(random(56, 56, 1), random(56, 56, 2), random(56, 56, 3));
        VisionInput odd = new VideoProcessor(tinyRandom).processFrames(three);
        VisionInput even = new VideoProcessor(tinyRandom).processFrames(List.of(three.get(0), three.get(1), three.get(2), three.get(2)));
        assertThat(odd.gridThw()).containsExactly(2, 4, 4);
        assertThat(odd.pixelValues()).isEqualTo(even.pixelValues());
    }

    @Test
    void sampledVideoEqualsResizingTheSampledFramesByHand() {
        // 60 frames of 320x240 at 30 fps: 2 s -> 4 frames at indices round(linspace(0, 59, 4)) = 0, 20, 39, 59.
        List<RgbImage> frames = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            frames.add(random(320, 240, i));
        }
        List<Integer> decoded = new ArrayList<>();
        InMemoryFrameSource all = new InMemoryFrameSource(frames, 30);
        VideoFrameSource source = new VideoFrameSource() {
            public int frameCount() { return all.frameCount(); }
            public double fps() { return all.fps(); }
            public int width() { return all.width(); }
            public int height() { return all.height(); }
            public void read(int[] indices, FrameSink sink) {
                Arrays.stream(indices).forEach(decoded::add);
                all.read(indices, sink);
            }
        };
        VisionInput input = new VideoProcessor(qwen2Vl).process(source, VideoSamplingOptions.DEFAULTS);

        assertThat(decoded).containsExactly(0, 20, 39, 59);
        // Budget: max(min(602112, 19267584/4*2), int(100352*1.05)) = 602112. 240x320 rounds to 252x308 = 77616
        // pixels, under min 100352, so smart_resize grows it: beta = sqrt(100352/76800), ceil -> 280x392.
        ResizedSize expected = SmartResize.compute(240, 320, 28, 100352, 602112, SmartResize.Variant.QWEN_VL_UTILS);
        assertThat(expected).isEqualTo(new ResizedSize(280, 392));
        assertThat(input.gridThw()).containsExactly(2, 20, 28);
        List<RgbImage> byHand = List.of(0, 20, 39, 59).stream().map(i -> qwen2Vl.resize(frames.get(i), expected)).toList();
        assertThat(input.pixelValues()).isEqualTo(qwen2Vl.flatten(byHand, MediaKind.VIDEO).pixelValues());
    }

    @Test
    void perFrameBudgetShrinksWithManyFrames() {
        // 768 frames: total budget 19267584/768*2 = 50176 < int(100352*1.05) = 105369, so the floor wins.
        VideoFramePlan plan = VideoFramePlan.plan(100_000, 30, 1920, 1080, VideoSamplingOptions.DEFAULTS);
        assertThat(plan.frames()).isEqualTo(768);
        assertThat(plan.maxPixels()).isEqualTo(105369.0);
        assertThat(plan.size().pixels()).isLessThanOrEqualTo(105369);
        VideoFramePlan few = VideoFramePlan.plan(300, 30, 1920, 1080, VideoSamplingOptions.DEFAULTS);
        assertThat(few.maxPixels()).isEqualTo(602112.0);
    }

    @Test
    void limitsAreCheckedBeforeAnyFrameIsDecoded() {
        VideoFrameSource huge = new VideoFrameSource() {
            public int frameCount() { return 100_000; }
            public double fps() { return 30; }
            public int width() { return 1920; }
            public int height() { return 1080; }
            public void read(int[] indices, FrameSink sink) { throw new AssertionError("must not decode"); }
        };
        var strict = new VideoProcessor(qwen2Vl, new VideoLimits(64, 40_000_000, 81_000_000));
        assertCode(() -> strict.process(huge, VideoSamplingOptions.DEFAULTS), "too_many_frames");
        assertCode(() -> strict.process(huge, VideoSamplingOptions.withFrameCount(1000)), "too_many_frames");
        var tinyBudget = new VideoProcessor(qwen2Vl, new VideoLimits(768, 40_000_000, 1_000_000));
        assertCode(() -> tinyBudget.process(huge, VideoSamplingOptions.withFrameCount(64)), "video_too_large");
        var smallFrames = new VideoProcessor(qwen2Vl, new VideoLimits(768, 1_000_000, 81_000_000));
        assertCode(() -> smallFrames.process(huge, VideoSamplingOptions.DEFAULTS), "video_too_large");
    }

    @Test
    void imageSequenceResizesEveryFrameLikeFetchImageAndPadsToEven() {
        // qwen-vl-utils list-of-images video: each 150x100 frame -> smart_resize(100, 150) with image bounds = 112x140.
        List<RgbImage> frames = List.of(random(150, 100, 1), random(150, 100, 2), random(150, 100, 3));
        VisionInput input = new VideoProcessor(qwen2Vl).processImageSequence(frames, VideoSamplingOptions.DEFAULTS);
        ResizedSize size = new ResizedSize(112, 140);
        List<RgbImage> byHand = frames.stream().map(f -> qwen2Vl.resize(f, size)).toList();
        assertThat(input.gridThw()).containsExactly(2, 8, 10);
        assertThat(input.pixelValues()).isEqualTo(qwen2Vl.flatten(byHand, MediaKind.VIDEO).pixelValues());
    }

    @Test
    void imageSequenceHonoursPerRequestPixelBoundsAndTotalLimit() {
        List<RgbImage> frames = List.of(random(150, 100, 1), random(150, 100, 2));
        // max 6272: beta = sqrt(15000/6272) = 1.55, floor(100/1.55/28) = 2, floor(150/1.55/28) = 3 -> 56x84.
        var small = new VideoSamplingOptions(null, null, null, null, null, 6272L, null);
        assertThat(new VideoProcessor(qwen2Vl).processImageSequence(frames, small).gridThw()).containsExactly(1, 4, 6);
        // max 3136 gives 28x56 in qwen-vl-utils, which the processor's own min_pixels (3136) then grows to 56x84.
        var tiny = new VideoSamplingOptions(null, null, null, null, null, 3136L, null);
        assertThat(new VideoProcessor(qwen2Vl).processImageSequence(frames, tiny).gridThw()).containsExactly(1, 4, 6);
        var tight = new VideoProcessor(qwen2Vl, new VideoLimits(768, 40_000_000, 10_000));
        assertCode(() -> tight.processImageSequence(frames, VideoSamplingOptions.DEFAULTS), "video_too_large");
        assertCode(() -> new VideoProcessor(qwen2Vl).processImageSequence(List.of(random(150, 100, 1), random(300, 100, 2)),
                VideoSamplingOptions.DEFAULTS), "frame_size_mismatch");
    }

    @Test
    void framesOfDifferentSizesAreRejected() {
        assertCode(() -> new VideoProcessor(tinyRandom).processFrames(List.of(random(56, 56, 1), random(84, 56, 2))),
                "frame_size_mismatch");
    }

    private static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(Qwen2VlException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    private static RgbImage random(int w, int h, long seed) {
        byte[] rgb = new byte[w * h * 3];
        new Random(seed).nextBytes(rgb);
        return new RgbImage(w, h, rgb);
    }
}
