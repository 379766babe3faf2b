package io.vlsuite.preprocess.media;

import io.vlsuite.contracts.job.MediaRef;
import io.vlsuite.media.MediaStore;
import io.vlsuite.media.VideoManifest;
import io.vlsuite.media.embedded.EmbeddedS3Server;
import io.vlsuite.media.s3.S3ObjectStorage;
import io.vlsuite.qwen2vl.image.ImageDecoder;
import io.vlsuite.qwen2vl.image.ImageProcessor;
import io.vlsuite.qwen2vl.image.RgbImage;
import io.vlsuite.qwen2vl.video.FrameSampler;
import io.vlsuite.qwen2vl.video.VideoFramePlan;
import io.vlsuite.qwen2vl.video.VideoSamplingOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.vlsuite.preprocess.media.IntakeFixtures.dataUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Videos through FFmpeg (generated in the test with JavaCV's recorder), sampled per Qwen2-VL and stored as frames. */
class VideoIntakeTest {

    private static EmbeddedS3Server s3;
    private static S3ObjectStorage storage;
    private static MediaStore store;
    private static DefaultMediaIntake intake;

    @BeforeAll
    static void start() {
        s3 = IntakeFixtures.startS3();
        storage = IntakeFixtures.storage(s3);
        store = IntakeFixtures.mediaStore(storage);
        intake = new DefaultMediaIntake(IntakeFixtures.properties(), store, IntakeFixtures.uploads(storage));
    }

    @AfterAll
    static void stop() {
        intake.close();
        storage.close();
        s3.close();
    }

    @Test
    void mp4IsSampledPerTheQwenRulesAndEveryFrameIsStored() {
        // 40 frames at 10 fps = 4 s; at 2 fps that is 8 frames, inside [4, 40].
        byte[] mp4 = IntakeFixtures.mp4(160, 120, 40, 10);
        MediaRef ref = intake.ingest(new MediaSource.Url("video", dataUrl("video/mp4", mp4)), MediaOptions.DEFAULTS, "t1");

        VideoFramePlan plan = VideoFramePlan.plan(40, 10, 160, 120, new VideoSamplingOptions(2.0, null, null, 40,
                null, null, 19_267_584L));
        assertThat(plan.frames()).isEqualTo(8);
        var target = ImageProcessor.forModel(IntakeFixtures.MODEL_DIR)
                .targetSize(plan.size().height(), plan.size().width(), io.vlsuite.qwen2vl.image.PixelBounds.NONE);
        assertThat(ref.kind()).isEqualTo(MediaRef.VIDEO);
        assertThat(ref.keys()).hasSize(8).allMatch(k -> k.matches("video/[0-9a-f]{64}/frame-\\d{5}\\.png"));
        assertThat(ref.gridThw()).containsExactly(4, target.height() / 14, target.width() / 14);
        assertThat(ref.fps()).isEqualTo(2.0);

        // Frames are the sampled ones (grey level (i*7)%256 of source frame i), in order, at the resized size.
        int[] indices = FrameSampler.frameIndices(40, 8);
        ImageDecoder decoder = new ImageDecoder();
        for (int i = 0; i < 8; i++) {
            RgbImage frame = decoder.decode(storage.getBytes(store.bucket(), ref.keys().get(i)).bytes());
            assertThat(frame.width()).isEqualTo(ref.width());
            assertThat(frame.height()).isEqualTo(ref.height());
            assertThat(frame.sample(frame.width() / 2, frame.height() / 2, 1))
                    .as("frame %d from source %d", i, indices[i])
                    .isCloseTo((indices[i] * 7) % 256, org.assertj.core.data.Offset.offset(6));
        }
        String sha = ref.keys().getFirst().substring(6, 70);
        VideoManifest manifest = store.getVideoManifest(sha);
        assertThat(manifest.frameCount()).isEqualTo(8);
        assertThat(manifest.grid().t()).isEqualTo(4);
        assertThat(manifest.originalWidth()).isEqualTo(160);

        // The same video again is answered from the stored manifest.
        MediaRef again = intake.ingest(new MediaSource.Url("video", dataUrl("video/mp4", mp4)), MediaOptions.DEFAULTS, "t2");
        assertThat(again).isEqualTo(ref);
    }

    @Test
    void requestFpsIsCappedByTheServer() {
        byte[] mp4 = IntakeFixtures.mp4(64, 64, 40, 10);
        MediaRef ref = intake.ingest(new MediaSource.Url("video", dataUrl("video/mp4", mp4)),
                new MediaOptions(null, null, 240.0), "t1");
        // maxFps 2.0 in the fixtures: 4 s -> 8 frames, not 40.
        assertThat(ref.keys()).hasSize(8);
    }

    @Test
    void playlistsAndNonVideosAreRefusedBeforeFfmpegSeesThem() {
        byte[] playlist = "#EXTM3U\n#EXTINF:10,\nfile:///etc/passwd\n".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> intake.ingest(new MediaSource.Url("video", dataUrl("video/mp4", playlist)),
                MediaOptions.DEFAULTS, "t1"))
                .isInstanceOfSatisfying(MediaIntakeException.class, e -> {
                    assertThat(e.code()).isEqualTo("unsupported_media_type");
                    assertThat(e.status()).isEqualTo(415);
                    assertThat(e.getMessage()).contains("playlist");
                });
        byte[] concat = "ffconcat version 1.0\nfile '/etc/passwd'\n".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> intake.ingest(new MediaSource.Url("video", dataUrl("video/mp4", concat)),
                MediaOptions.DEFAULTS, "t1")).hasFieldOrPropertyWithValue("code", "unsupported_media_type");
        // An AVI (the container of the HLS-in-AVI file-read exploit) is not on the container list.
        byte[] avi = "RIFF\0\0\0\0AVI LIST".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> intake.ingest(new MediaSource.Url("video", dataUrl("video/mp4", avi)),
                MediaOptions.DEFAULTS, "t1")).hasFieldOrPropertyWithValue("code", "unsupported_media_type");
        byte[] png = IntakeFixtures.encode(IntakeFixtures.picture(32, 32, 0), "png");
        assertThatThrownBy(() -> intake.ingest(new MediaSource.Url("video", dataUrl("video/mp4", png)),
                MediaOptions.DEFAULTS, "t1")).hasFieldOrPropertyWithValue("code", "unsupported_media_type");
    }

    @Test
    void corruptVideoIsUndecodableNot500() {
        byte[] mp4 = IntakeFixtures.mp4(64, 64, 20, 10);
        byte[] broken = java.util.Arrays.copyOf(mp4, 64);
        assertThatThrownBy(() -> intake.ingest(new MediaSource.Url("video", dataUrl("video/mp4", broken)),
                MediaOptions.DEFAULTS, "t1"))
                .isInstanceOfSatisfying(MediaIntakeException.class, e -> {
                    assertThat(e.code()).isEqualTo("video_undecodable");
                    assertThat(e.status()).isEqualTo(422);
                });
    }

    @Test
    void tooLongVideosAreRefusedFromMetadata() {
        var props = IntakeFixtures.properties();
        var shortLimit = new MediaIntakeProperties.Video(64L << 20, java.time.Duration.ofSeconds(2), 768, 2.0, 2.0,
                8_294_400L, 19_267_584L, java.time.Duration.ofSeconds(60));
        try (DefaultMediaIntake strict = new DefaultMediaIntake(new MediaIntakeProperties(props.modelDir(),
                props.fetch(), props.image(), shortLimit, props.uploads(), 1), store, IntakeFixtures.uploads(storage))) {
            byte[] mp4 = IntakeFixtures.mp4(64, 64, 50, 10);
            assertThatThrownBy(() -> strict.ingest(new MediaSource.Url("video", dataUrl("video/mp4", mp4)),
                    MediaOptions.DEFAULTS, "t1")).hasFieldOrPropertyWithValue("code", "video_too_long");
        }
    }

    @Test
    void frameListIsAVideoOfItsFramesPaddedToAnEvenCount() {
        List<String> frames = List.of(
                dataUrl("image/png", IntakeFixtures.encode(IntakeFixtures.picture(200, 100, 1), "png")),
                dataUrl("image/png", IntakeFixtures.encode(IntakeFixtures.picture(200, 100, 2), "png")),
                dataUrl("image/png", IntakeFixtures.encode(IntakeFixtures.picture(200, 100, 3), "png")));
        MediaRef ref = intake.ingest(new MediaSource.Frames(frames), MediaOptions.DEFAULTS, "t1");
        assertThat(ref.keys()).hasSize(4);
        assertThat(ref.gridThw().getFirst()).isEqualTo(2);
        assertThat(storage.getBytes(store.bucket(), ref.keys().get(3)).bytes())
                .isEqualTo(storage.getBytes(store.bucket(), ref.keys().get(2)).bytes());

        List<String> mixed = List.of(frames.getFirst(),
                dataUrl("image/png", IntakeFixtures.encode(IntakeFixtures.picture(100, 200, 1), "png")));
        assertThatThrownBy(() -> intake.ingest(new MediaSource.Frames(mixed), MediaOptions.DEFAULTS, "t1"))
                .hasFieldOrPropertyWithValue("code", "frame_size_mismatch");
        List<String> tooMany = java.util.Collections.nCopies(769, frames.getFirst());
        assertThatThrownBy(() -> intake.ingest(new MediaSource.Frames(tooMany), MediaOptions.DEFAULTS, "t1"))
                .hasFieldOrPropertyWithValue("code", "too_many_frames");
    }

    /**
     * A 20-minute video (2 fps, 2400 tiny frames) with a frame cap of 16: every frame is decoded, but only the 16
     * sampled ones are kept, so memory depends on the frame budget, not on the length.
     */
    @Test
    void longVideoIsStreamedKeepingOnlyTheSampledFrames() throws Exception {
        byte[] mp4 = IntakeFixtures.mp4(32, 32, 2400, 2);
        Path file = Files.createTempFile("long-", ".mp4");
        try {
            Files.write(file, mp4);
            ImageProcessor processor = ImageProcessor.forModel(IntakeFixtures.MODEL_DIR);
            FfmpegVideoSampler sampler = new FfmpegVideoSampler(processor, new PngEncoder(1), IntakeFixtures.video(16));
            FfmpegVideoSampler.Sampled s = sampler.sample(file, SniffedType.MP4, 2.0, System.nanoTime() + 60_000_000_000L);
            assertThat(s.framePngs()).hasSize(16);
            assertThat(s.decodedFrames()).isGreaterThan(2300);
            assertThat(s.timestampsSeconds().getLast()).isGreaterThan(1190.0);
            int[] expected = FrameSampler.frameIndices(2400, 16);
            for (int i = 0; i < 16; i++) {
                assertThat(s.timestampsSeconds().get(i)).isCloseTo(expected[i] / 2.0, org.assertj.core.data.Offset.offset(0.6));
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
