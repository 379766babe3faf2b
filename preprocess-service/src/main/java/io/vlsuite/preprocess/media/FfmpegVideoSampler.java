package io.vlsuite.preprocess.media;

import io.vlsuite.qwen2vl.image.ImageProcessor;
import io.vlsuite.qwen2vl.image.PixelBounds;
import io.vlsuite.qwen2vl.image.ResizedSize;
import io.vlsuite.qwen2vl.image.RgbImage;
import io.vlsuite.qwen2vl.video.VideoFramePlan;
import io.vlsuite.qwen2vl.video.VideoSamplingOptions;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegLogCallback;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Samples a local video file with FFmpeg following Qwen2-VL's rules (qwen2vl-core's {@link VideoFramePlan}: fps
 * 2.0 by default, even frame count within [4, maxFrames], per-frame pixel budget from the total budget).
 *
 * <p>Safety: FFmpeg only ever sees a local file with the demuxer forced from the sniffed container and
 * {@code protocol_whitelist=file}, so no playlist, {@code concat:} or network protocol can be opened; after opening,
 * the demuxer's name is checked again. Size and duration come from the container and are checked before any frame
 * is decoded; while decoding, a frame counter, the declared duration and a deadline still bound the work in case
 * the metadata lied.
 *
 * <p>Memory: frames are decoded one at a time and dropped unless sampled; a sampled frame is resized and kept only
 * as its PNG. What is held is bounded by the frame budget (sampled frames x resized size), not by the video length.
 */
final class FfmpegVideoSampler {

    private static final List<String> ALLOWED_DEMUXERS = List.of("mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm");

    static {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        FFmpegLogCallback.setLevel(avutil.AV_LOG_ERROR);
    }

    private final ImageProcessor processor;
    private final PngEncoder png;
    private final MediaIntakeProperties.Video limits;

    FfmpegVideoSampler(ImageProcessor processor, PngEncoder png, MediaIntakeProperties.Video limits) {
        this.processor = processor;
        this.png = png;
        this.limits = limits;
    }

    /**
     * The sampled frames.
     *
     * @param decodedFrames frames decoded from the stream (sampled or not) in the pass that produced the result
     */
    record Sampled(List<byte[]> framePngs, List<Double> timestampsSeconds, int originalWidth, int originalHeight,
                   ResizedSize size, double sampleFps, int decodedFrames) {
    }

    Sampled sample(Path file, SniffedType container, double fps, long deadlineNanos) {
        return sample(file, container, fps, deadlineNanos, -1);
    }

    private Sampled sample(Path file, SniffedType container, double fps, long deadlineNanos, int knownTotal) {
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile())) {
            grabber.setFormat(container.demuxer());
            grabber.setOption("protocol_whitelist", "file");
            grabber.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
            try {
                grabber.start();
            } catch (FrameGrabber.Exception e) {
                throw new MediaIntakeException("video_undecodable", 422, "the video cannot be opened");
            }
            String demuxer = String.valueOf(grabber.getFormat()).toLowerCase(Locale.ROOT);
            if (!ALLOWED_DEMUXERS.contains(demuxer)) {
                throw new MediaIntakeException("unsupported_media_type", 415, "video container '" + demuxer
                        + "' is not accepted");
            }
            int width = grabber.getImageWidth();
            int height = grabber.getImageHeight();
            if (width <= 0 || height <= 0 || !grabber.hasVideo()) {
                throw new MediaIntakeException("video_undecodable", 422, "the file has no video stream");
            }
            if ((long) width * height > limits.maxSourcePixels()) {
                throw new MediaIntakeException("video_too_large", 422, "video frames of " + width + "x" + height
                        + " exceed " + limits.maxSourcePixels() + " pixels");
            }
            long durationMicros = grabber.getLengthInTime();
            if (durationMicros > limits.maxDuration().toNanos() / 1000) {
                throw new MediaIntakeException("video_too_long", 422, "the video lasts " + durationMicros / 1_000_000
                        + " s, limit " + limits.maxDuration().toSeconds() + " s");
            }
            double videoFps = grabber.getFrameRate();
            if (!(videoFps > 0) || !Double.isFinite(videoFps) || videoFps > 1000) {
                throw new MediaIntakeException("video_undecodable", 422, "the video's frame rate is unusable: " + videoFps);
            }
            int total = knownTotal > 0 ? knownTotal : grabber.getLengthInVideoFrames();
            if (total <= 0) {
                total = (int) Math.min(Integer.MAX_VALUE, Math.round(durationMicros / 1e6 * videoFps));
            }
            // The hard cap on decoded frames: what the declared duration allows at the declared rate, plus slack.
            long maxDecodable = (long) (limits.maxDuration().toSeconds() * videoFps) + 16;
            if (total > maxDecodable) {
                throw new MediaIntakeException("video_too_long", 422, "the video has " + total + " frames");
            }
            VideoFramePlan plan = VideoFramePlan.plan(total, videoFps, width, height, new VideoSamplingOptions(
                    fps, null, null, Math.min(limits.maxFrames(), total), null, null, limits.totalPixels()));
            ResizedSize sampledSize = plan.size();
            ResizedSize target = processor.targetSize(sampledSize.height(), sampledSize.width(), PixelBounds.NONE);
            if ((long) plan.frames() * target.pixels() > limits.totalPixels()) {
                throw new MediaIntakeException("video_too_large", 422, "the sampled frames exceed the pixel budget");
            }

            int[] indices = plan.indices();
            List<byte[]> pngs = new ArrayList<>(indices.length);
            List<Double> timestamps = new ArrayList<>(indices.length);
            int next = 0;
            int frameNo = 0;
            Frame frame;
            while (next < indices.length && (frame = grabber.grabImage()) != null) {
                if (System.nanoTime() > deadlineNanos || Thread.currentThread().isInterrupted()) {
                    throw new MediaIntakeException("video_decode_timeout", 422, "decoding the video took too long");
                }
                if (frameNo >= maxDecodable) {
                    throw new MediaIntakeException("video_too_long", 422, "the video has more frames than it declares");
                }
                byte[] encoded = null;
                while (next < indices.length && indices[next] == frameNo) {
                    if (encoded == null) {
                        RgbImage rgb = toRgb(frame);
                        RgbImage resized = processor.resize(rgb, sampledSize);
                        if (!target.equals(sampledSize)) {
                            resized = processor.resize(resized, target);
                        }
                        encoded = png.encode(resized);
                    }
                    pngs.add(encoded);
                    timestamps.add(frame.timestamp / 1e6);
                    next++;
                }
                frameNo++;
            }
            if (next < indices.length) {
                // The container over-declared its frame count: sample again over the frames that really exist.
                if (knownTotal > 0 || frameNo < 2) {
                    throw new MediaIntakeException("video_undecodable", 422, "the video ended after " + frameNo
                            + " frames, before the sampled ones");
                }
                return sample(file, container, fps, deadlineNanos, frameNo);
            }
            double sampleFps = plan.frames() / (double) total * videoFps;
            return new Sampled(pngs, timestamps, width, height, target, sampleFps, frameNo);
        } catch (FrameGrabber.Exception e) {
            throw new MediaIntakeException("video_undecodable", 422, "the video cannot be decoded");
        }
    }

    /**
     * Copies an RGB24 frame into a tight {@link RgbImage}. Rows may be padded for alignment; JavaCV then reports
     * a misleading {@code imageChannels} (a 32-pixel row padded to 192 bytes reads as 6 channels), so only the byte
     * pitch ({@code imageStride}) is used: the pixel format is known to be RGB24.
     */
    static RgbImage toRgb(Frame frame) {
        int w = frame.imageWidth;
        int h = frame.imageHeight;
        if (frame.image == null || !(frame.image[0] instanceof ByteBuffer buffer) || h <= 0 || w <= 0) {
            throw new MediaIntakeException("video_undecodable", 422, "the video decoder returned no picture");
        }
        ByteBuffer b = buffer.duplicate();
        b.clear();
        int pitch = frame.imageStride;
        if (pitch < w * 3 || (long) pitch * (h - 1) + w * 3L > b.capacity()) {
            throw new MediaIntakeException("video_undecodable", 422, "unexpected decoded frame layout");
        }
        byte[] rgb = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
        for (int y = 0; y < h; y++) {
            b.position(y * pitch);
            b.get(rgb, y * w * 3, w * 3);
        }
        return new RgbImage(w, h, rgb);
    }
}
