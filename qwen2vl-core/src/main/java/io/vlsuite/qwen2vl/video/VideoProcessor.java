package io.vlsuite.qwen2vl.video;

import io.vlsuite.qwen2vl.Qwen2VlException;
import io.vlsuite.qwen2vl.image.ImageProcessor;
import io.vlsuite.qwen2vl.image.MediaKind;
import io.vlsuite.qwen2vl.image.PatchFlattener;
import io.vlsuite.qwen2vl.image.PixelBounds;
import io.vlsuite.qwen2vl.image.ResizedSize;
import io.vlsuite.qwen2vl.image.RgbImage;
import io.vlsuite.qwen2vl.image.SmartResize;
import io.vlsuite.qwen2vl.image.VisionInput;

import java.util.ArrayList;
import java.util.List;

/**
 * Qwen2-VL video preprocessing: qwen-vl-utils v0.0.8 frame sampling and sizing, followed by the Hugging Face
 * processor's normalisation and temporal patching (two consecutive frames per patch row, {@code grid_t = T/2}).
 *
 * <p>Three entry points:
 * <ul>
 *   <li>{@link #process(VideoFrameSource, VideoSamplingOptions)}: a decoded video. Frames are sampled with the fps
 *       rule, resized to the per-frame budget, and flattened as they stream in; limits are checked from metadata
 *       before decoding.</li>
 *   <li>{@link #processImageSequence(List, VideoSamplingOptions)}: a video given as a list of images, each sized
 *       like a qwen-vl-utils {@code fetch_image}.</li>
 *   <li>{@link #processFrames(List)}: frames used as given (already sampled), as the golden {@code video} case and
 *       the processor's own path do; an odd count is padded by repeating the last frame.</li>
 * </ul>
 * In all three, frames then pass the processor's own {@code smart_resize} with the model's {@code preprocessor_config}
 * bounds, which is an identity for sizes already inside them (always, for the published checkpoints).
 *
 * <p>Resizing uses the Pillow-exact bicubic. The reference resizes decoded video files with torchvision's uint8
 * antialiased bicubic instead, which differs from Pillow by at most about one level per sample.
 */
public final class VideoProcessor {

    /** qwen-vl-utils image bounds, used for list-of-images videos without their own bounds. */
    static final long IMAGE_MIN_PIXELS = 4L * 28 * 28;
    static final long IMAGE_MAX_PIXELS = 16384L * 28 * 28;

    private final ImageProcessor images;
    private final VideoLimits limits;

    public VideoProcessor(ImageProcessor images) {
        this(images, VideoLimits.DEFAULT);
    }

    public VideoProcessor(ImageProcessor images, VideoLimits limits) {
        this.images = images;
        this.limits = limits;
    }

    /** Samples, resizes and flattens a decoded video. */
    public VisionInput process(VideoFrameSource source, VideoSamplingOptions options) {
        limits.checkSource(source.width(), source.height());
        if (options.nframes() != null) {
            limits.checkFrames(options.nframes());
        }
        VideoFramePlan plan = VideoFramePlan.plan(source.frameCount(), source.fps(), source.width(), source.height(), options);
        limits.checkFrames(plan.frames());
        ResizedSize sampled = plan.size();
        ResizedSize target = images.targetSize(sampled.height(), sampled.width(), PixelBounds.NONE);
        limits.checkTotal((long) plan.frames() * target.pixels());

        int gridT = plan.frames() / PatchFlattener.TEMPORAL;
        int patchesPerSlice = (target.height() / PatchFlattener.PATCH) * (target.width() / PatchFlattener.PATCH);
        int patches = Math.multiplyExact(gridT, patchesPerSlice);
        float[] out = new float[Math.multiplyExact(patches, VisionInput.PATCH_DIM)];
        PatchFlattener flattener = images.flattener();
        RgbImage[] pending = new RgbImage[1];
        int[] received = {0};
        source.read(plan.indices(), (position, frame) -> {
            if (frame.width() != source.width() || frame.height() != source.height()) {
                throw new Qwen2VlException("frame_size_mismatch", "frame " + position + " is " + frame.width() + "x"
                        + frame.height() + ", stream declares " + source.width() + "x" + source.height());
            }
            if (position != received[0]) {
                throw new IllegalStateException("frame source delivered position " + position + ", expected " + received[0]);
            }
            RgbImage resized = images.resize(images.resize(frame, sampled), target);
            if (position % 2 == 0) {
                pending[0] = resized;
            } else {
                flattener.writeTemporalSlice(out, position / 2, pending[0], resized);
                pending[0] = null;
            }
            received[0]++;
        });
        if (received[0] != plan.frames()) {
            throw new Qwen2VlException("video_undecodable",
                    "video source delivered " + received[0] + " of " + plan.frames() + " sampled frames");
        }
        return new VisionInput(out, patches, new int[] {gridT, target.height() / PatchFlattener.PATCH,
                target.width() / PatchFlattener.PATCH}, MediaKind.VIDEO);
    }

    /**
     * A video given as a list of images (qwen-vl-utils' {@code "video": [image, ...]} form): every frame goes
     * through {@code fetch_image} with the element's {@code min_pixels}/{@code max_pixels} (image defaults
     * 4*28*28 / 16384*28*28 when absent), i.e. its own {@code smart_resize} and Pillow bicubic resize; an odd count is
     * padded by repeating the last frame; then the processor step of {@link #processFrames(List)} follows.
     * Frame-rate options do not apply: every image is a frame.
     */
    public VisionInput processImageSequence(List<RgbImage> frames, VideoSamplingOptions options) {
        if (frames.isEmpty()) {
            throw new Qwen2VlException("video_too_short", "video has no frames");
        }
        limits.checkFrames(frames.size() + frames.size() % PatchFlattener.TEMPORAL);
        double minPixels = options.minPixels() != null ? options.minPixels() : IMAGE_MIN_PIXELS;
        double maxPixels = options.maxPixels() != null ? options.maxPixels() : IMAGE_MAX_PIXELS;
        // Sizes and the total budget are settled before any pixel is resampled.
        ResizedSize size = null;
        for (RgbImage frame : frames) {
            limits.checkSource(frame.width(), frame.height());
            ResizedSize own = SmartResize.compute(frame.height(), frame.width(), PatchFlattener.FACTOR, minPixels, maxPixels,
                    SmartResize.Variant.QWEN_VL_UTILS);
            if (size != null && !size.equals(own)) {
                throw new Qwen2VlException("frame_size_mismatch", "frames resize to different sizes: "
                        + size.width() + "x" + size.height() + " vs " + own.width() + "x" + own.height());
            }
            size = own;
        }
        limits.checkTotal((long) (frames.size() + frames.size() % PatchFlattener.TEMPORAL) * size.pixels());
        List<RgbImage> resized = new ArrayList<>(frames.size());
        for (RgbImage frame : frames) {
            resized.add(images.resize(frame, size));
        }
        return processFrames(resized);
    }

    /** Frames used as given (already sampled): processor-level sizing, padding to an even count, flattening. */
    public VisionInput processFrames(List<RgbImage> frames) {
        if (frames.isEmpty()) {
            throw new Qwen2VlException("video_too_short", "video has no frames");
        }
        limits.checkFrames(frames.size());
        RgbImage first = frames.getFirst();
        for (RgbImage f : frames) {
            if (f.width() != first.width() || f.height() != first.height()) {
                throw new Qwen2VlException("frame_size_mismatch", "all frames must have the same size: "
                        + first.width() + "x" + first.height() + " vs " + f.width() + "x" + f.height());
            }
        }
        limits.checkSource(first.width(), first.height());
        ResizedSize target = images.targetSize(first.height(), first.width(), PixelBounds.NONE);
        int padded = frames.size() + frames.size() % PatchFlattener.TEMPORAL;
        limits.checkTotal((long) padded * target.pixels());
        List<RgbImage> resized = new ArrayList<>(frames.size());
        for (RgbImage f : frames) {
            resized.add(images.resize(f, target));
        }
        return images.flatten(resized, MediaKind.VIDEO);
    }
}
