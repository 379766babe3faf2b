package io.vlsuite.qwen2vl.video;

import io.vlsuite.qwen2vl.Qwen2VlException;
import io.vlsuite.qwen2vl.image.RgbImage;

import java.util.List;

/** A {@link VideoFrameSource} over frames already decoded into memory (tests, image sequences, small clips). */
public final class InMemoryFrameSource implements VideoFrameSource {

    private final List<RgbImage> frames;
    private final double fps;

    public InMemoryFrameSource(List<RgbImage> frames, double fps) {
        if (frames.isEmpty()) {
            throw new Qwen2VlException("video_too_short", "video has no frames");
        }
        this.frames = List.copyOf(frames);
        this.fps = fps;
    }

    @Override
    public int frameCount() {
        return frames.size();
    }

    @Override
    public double fps() {
        return fps;
    }

    @Override
    public int width() {
        return frames.getFirst().width();
    }

    @Override
    public int height() {
        return frames.getFirst().height();
    }

    @Override
    public void read(int[] indices, FrameSink sink) {
        for (int i = 0; i < indices.length; i++) {
            sink.accept(i, frames.get(indices[i]));
        }
    }
}
