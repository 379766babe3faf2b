package io.vlsuite.preprocess.media;

import io.vlsuite.contracts.job.MediaRef;
import io.vlsuite.media.ContentHash;
import io.vlsuite.media.Grid;
import io.vlsuite.media.MediaKeys;
import io.vlsuite.media.MediaStore;
import io.vlsuite.media.StoredVideo;
import io.vlsuite.media.VideoManifest;
import io.vlsuite.qwen2vl.image.RgbImage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/**
 * Videos to stored frame sets ({@code video/{sha256}/frame-NNNNN.png} + {@code manifest.json}).
 *
 * <p>Dedup: the id is the SHA-256 of the source bytes plus the sampling settings (fps, frame cap, pixel budget,
 * model bounds), so the same video sampled the same way is decoded once; a re-send finds the manifest and
 * answers from it without decoding. A frame list's id is the hash of its frames' PNG hashes.
 */
final class VideoPipeline {

    private final FfmpegVideoSampler sampler;
    private final ImagePipeline images;
    private final MediaStore store;
    private final BoundedWork work;
    private final MediaIntakeProperties.Video limits;
    private final String samplingSignature;

    VideoPipeline(FfmpegVideoSampler sampler, ImagePipeline images, MediaStore store, BoundedWork work,
                  MediaIntakeProperties.Video limits, String modelSignature) {
        this.sampler = sampler;
        this.images = images;
        this.store = store;
        this.work = work;
        this.limits = limits;
        this.samplingSignature = "v1|maxFrames=" + limits.maxFrames() + "|total=" + limits.totalPixels() + "|" + modelSignature;
    }

    MediaRef ingest(byte[] bytes, MediaOptions options, String sourceType) {
        SniffedType type = SniffedType.of(bytes);
        if (type == SniffedType.PLAYLIST) {
            throw new MediaIntakeException("unsupported_media_type", 415, "playlists are not accepted as videos");
        }
        if (!type.isVideo()) {
            throw new MediaIntakeException("unsupported_media_type", 415,
                    type == SniffedType.IMAGE ? "expected a video but got an image" : "not an MP4, MOV, MKV or WebM video");
        }
        double fps = fps(options);
        String id = sha256(bytes, samplingSignature + "|fps=" + fps);
        var existing = store.findVideoManifest(id);
        if (existing.isPresent()) {
            return ref(id, existing.get());
        }
        Path file = writeTemp(bytes);
        try {
            long deadline = System.nanoTime() + limits.decodeTimeout().toNanos();
            FfmpegVideoSampler.Sampled s = work.run(() -> sampler.sample(file, type, fps, deadline),
                    limits.decodeTimeout(), "video_decode_timeout", "decoding the video");
            Grid grid = grid(s.framePngs().size(), s.size().width(), s.size().height());
            VideoManifest manifest = new VideoManifest(s.sampleFps(), s.timestampsSeconds(), grid, s.originalWidth(),
                    s.originalHeight(), s.size().width(), s.size().height(), sourceType);
            StoredVideo stored = store.putVideo(id, manifest, s.framePngs());
            return ref(id, stored.manifest());
        } finally {
            deleteQuietly(file);
        }
    }

    /**
     * A video given as separate pictures (vLLM's list-of-frames form): each is taken in like an image (the
     * qwen-vl-utils list path sizes frames with the image rules), all must end up the same size, and an odd count is
     * padded by repeating the last frame, as the processor does.
     */
    MediaRef ingestFrames(List<String> frameUrls, Function<String, byte[]> fetch, MediaOptions options,
                          String sourceType) {
        if (frameUrls.isEmpty()) {
            throw new MediaIntakeException("video_too_short", 422, "a frame list needs at least one frame");
        }
        if (frameUrls.size() > limits.maxFrames()) {
            throw new MediaIntakeException("too_many_frames", 422,
                    frameUrls.size() + " frames given, limit " + limits.maxFrames());
        }
        List<byte[]> pngs = new ArrayList<>();
        RgbImage first = null;
        int originalWidth = 0;
        int originalHeight = 0;
        long totalPixels = 0;
        for (String url : frameUrls) {
            ImagePipeline.Prepared p = images.prepare(fetch.apply(url), options);
            if (first == null) {
                first = p.resized();
                originalWidth = p.originalWidth();
                originalHeight = p.originalHeight();
            } else if (p.resized().width() != first.width() || p.resized().height() != first.height()) {
                throw new MediaIntakeException("frame_size_mismatch", 400, "all frames of a video must have the "
                        + "same size after resizing: " + first.width() + "x" + first.height() + " vs "
                        + p.resized().width() + "x" + p.resized().height());
            }
            totalPixels += p.resized().pixelCount();
            if (totalPixels > limits.totalPixels() * 4) {
                throw new MediaIntakeException("video_too_large", 422, "the frames exceed the video pixel budget");
            }
            pngs.add(p.png());
        }
        if (pngs.size() % 2 == 1) {
            pngs.add(pngs.getLast());
        }
        double fps = fps(options);
        List<Double> timestamps = new ArrayList<>(pngs.size());
        StringBuilder hashes = new StringBuilder(samplingSignature).append("|frames");
        for (int i = 0; i < pngs.size(); i++) {
            timestamps.add(i / fps);
            hashes.append('|').append(ContentHash.sha256Hex(pngs.get(i)));
        }
        String id = sha256(new byte[0], hashes + "|fps=" + fps);
        Grid grid = grid(pngs.size(), first.width(), first.height());
        VideoManifest manifest = new VideoManifest(fps, timestamps, grid, originalWidth, originalHeight,
                first.width(), first.height(), sourceType);
        return ref(id, store.putVideo(id, manifest, pngs).manifest());
    }

    private double fps(MediaOptions options) {
        if (options.fps() == null) {
            return limits.defaultFps();
        }
        double fps = options.fps();
        if (!(fps > 0) || !Double.isFinite(fps)) {
            throw new MediaIntakeException("invalid_video_options", 400, "fps must be positive");
        }
        return Math.min(fps, limits.maxFps());
    }

    private static Grid grid(int frames, int width, int height) {
        return new Grid(frames / 2, height / ImagePipeline.PATCH, width / ImagePipeline.PATCH);
    }

    private static MediaRef ref(String id, VideoManifest m) {
        List<String> keys = new ArrayList<>(m.frameCount());
        for (int i = 0; i < m.frameCount(); i++) {
            keys.add(MediaKeys.videoFrame(id, i));
        }
        return new MediaRef(MediaRef.VIDEO, keys, m.resizedWidth(), m.resizedHeight(),
                List.of(m.grid().t(), m.grid().h(), m.grid().w()), m.fps());
    }

    private static String sha256(byte[] bytes, String settings) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes);
            digest.update((byte) 0);
            digest.update(settings.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path writeTemp(byte[] bytes) {
        try {
            Path file = Files.createTempFile("vlsuite-video-", ".bin");
            Files.write(file, bytes);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the video to a temporary file", e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // The OS temp cleaner removes it; nothing the request can do.
        }
    }
}
