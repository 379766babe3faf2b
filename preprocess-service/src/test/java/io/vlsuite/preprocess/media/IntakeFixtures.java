package io.vlsuite.preprocess.media;



import io.vlsuite.media.BucketLayout;
import io.vlsuite.media.MediaStore;
import io.vlsuite.media.embedded.EmbeddedS3Config;
import io.vlsuite.media.embedded.EmbeddedS3Server;
import io.vlsuite.media.s3.OperationObserver;
import io.vlsuite.media.s3.RetryPolicy;
import io.vlsuite.media.s3.S3ObjectStorage;
import io.vlsuite.media.s3.StorageSettings;
import io.vlsuite.media.s3.Timeouts;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/** Builders shared by the media tests: settings, an S3-backed store, pictures and videos made on the fly. */
final class IntakeFixtures {

    static final Path MODEL_DIR = Path.of(System.getProperty("user.dir")).resolve("../models/tiny-trained");

    private IntakeFixtures() {
    }

    static MediaIntakeProperties.Fetch fetch(boolean allowLoopback, List<String> allowCidrs, int maxRedirects,
                                             Duration timeout) {
        return new MediaIntakeProperties.Fetch(allowLoopback, false, allowCidrs, maxRedirects, Duration.ofSeconds(2),
                timeout, timeout, "vlsuite-test");
    }

    static MediaIntakeProperties.Image image() {
        return new MediaIntakeProperties.Image(20L << 20, 40_000_000L, 20_000, Duration.ofSeconds(20), 784,
                12_845_056L, true, 1);
    }

    static MediaIntakeProperties.Video video(int maxFrames) {
        return new MediaIntakeProperties.Video(64L << 20, Duration.ofHours(2), maxFrames, 2.0, 2.0, 8_294_400L,
                19_267_584L, Duration.ofSeconds(120));
    }

    static MediaIntakeProperties properties(MediaIntakeProperties.Fetch fetch, MediaIntakeProperties.Video video) {
        return new MediaIntakeProperties(MODEL_DIR, fetch, image(), video,
                new MediaIntakeProperties.Uploads(64L << 20), 2);
    }

    static MediaIntakeProperties properties() {
        return properties(fetch(true, List.of(), 3, Duration.ofSeconds(5)), video(768));
    }

    static EmbeddedS3Server startS3() {
        return EmbeddedS3Server.start(EmbeddedS3Config.transientOnRandomPort());
    }

    static S3ObjectStorage storage(EmbeddedS3Server server) {
        S3ObjectStorage storage = S3ObjectStorage.create(StorageSettings.of(server.endpoint(), server.accessKey(),
                        server.secretKey())
                .withTimeouts(new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(10),
                        Duration.ofSeconds(20)))
                .withRetry(new RetryPolicy(2, Duration.ofMillis(20), Duration.ofMillis(100), 2.0)),
                OperationObserver.NOOP);
        for (String bucket : BucketLayout.DEFAULTS.buckets()) {
            storage.ensureBucket(bucket);
        }
        return storage;
    }

    static MediaStore mediaStore(S3ObjectStorage storage) {
        return new MediaStore(storage, BucketLayout.DEFAULTS);
    }

    static UploadedFiles uploads(S3ObjectStorage storage) {
        return new UploadedFiles(storage, BucketLayout.DEFAULTS.mediaBucket(), 64L << 20);
    }

    /** A picture with structure (gradients and a block), so resizing and compression do real work. */
    static BufferedImage picture(int width, int height, int seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = (x * 255 / Math.max(1, width - 1) + seed * 37) & 0xFF;
                int g = (y * 255 / Math.max(1, height - 1) + seed * 11) & 0xFF;
                int b = ((x / 8 + y / 8) % 2 == 0 ? 200 : 40) ^ (seed & 0x3F);
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return image;
    }

    static byte[] encode(BufferedImage image, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String dataUrl(String mime, byte[] bytes) {
        return "data:" + mime + ";base64," + Base64.getEncoder().encodeToString(bytes);
    }

    /** A PNG whose header claims {@code width x height} but that holds almost no data (a "pixel bomb"). */
    static byte[] pngHeaderOnly(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        out.writeBytes(ByteBuffer.allocate(4).putInt(13).array());
        byte[] type = {'I', 'H', 'D', 'R'};
        out.writeBytes(type);
        out.writeBytes(ihdr.array());
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(type);
        crc.update(ihdr.array());
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        return out.toByteArray();
    }

    /**
     * An MP4 (MPEG-4 part 2) of {@code frames} frames at {@code fps}; frame {@code i} is filled with grey level
     * {@code (i * 7) % 256} so sampled frames can be told apart.
     */
    static byte[] mp4(int width, int height, int frames, double fps) {
        try {
            Path file = Files.createTempFile("vlsuite-test-", ".mp4");
            try {
                try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), width, height, 0)) {
                    recorder.setFormat("mp4");
                    recorder.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
                    recorder.setFrameRate(fps);
                    recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
                    recorder.setVideoQuality(4);
                    recorder.start();
                    Frame frame = new Frame(width, height, Frame.DEPTH_UBYTE, 3);
                    ByteBuffer buffer = (ByteBuffer) frame.image[0];
                    for (int i = 0; i < frames; i++) {
                        byte level = (byte) ((i * 7) % 256);
                        buffer.clear();
                        for (int p = 0; p < buffer.capacity(); p++) {
                            buffer.put(p, level);
                        }
                        recorder.record(frame, avutil.AV_PIX_FMT_BGR24);
                    }
                }
                return Files.readAllBytes(file);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
