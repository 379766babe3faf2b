package io.vlsuite.preprocess.media;

import io.vlsuite.contracts.job.MediaRef;
import io.vlsuite.media.BucketLayout;
import io.vlsuite.media.MediaStore;
import io.vlsuite.media.embedded.EmbeddedS3Server;
import io.vlsuite.media.s3.S3ObjectStorage;
import io.vlsuite.qwen2vl.image.ImageDecoder;
import io.vlsuite.qwen2vl.image.PreprocessorConfig;
import io.vlsuite.qwen2vl.image.RgbImage;
import io.vlsuite.qwen2vl.image.SmartResize;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.vlsuite.preprocess.media.IntakeFixtures.dataUrl;
import static io.vlsuite.preprocess.media.IntakeFixtures.encode;
import static io.vlsuite.preprocess.media.IntakeFixtures.picture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Images, uploads and errors end to end, with the real embedded S3 server and real HTTP on loopback. */
class DefaultMediaIntakeTest {

    private static EmbeddedS3Server s3;
    private static S3ObjectStorage storage;
    private static MediaStore store;
    private static UploadedFiles uploads;
    private static DefaultMediaIntake intake;
    private static LoopbackServer web;
    private static final byte[] PNG_500x300 = encode(picture(500, 300, 1), "png");

    @BeforeAll
    static void start() {
        s3 = IntakeFixtures.startS3();
        storage = IntakeFixtures.storage(s3);
        store = IntakeFixtures.mediaStore(storage);
        uploads = IntakeFixtures.uploads(storage);
        intake = new DefaultMediaIntake(IntakeFixtures.properties(), store, uploads);
        web = LoopbackServer.start("127.0.0.1")
                .route("/png-as-html", ex -> LoopbackServer.respond(ex, 200, "text/html", PNG_500x300))
                .route("/html-as-png", ex -> LoopbackServer.respond(ex, 200, "image/png",
                        "<html><body>hi</body></html>".getBytes(StandardCharsets.UTF_8)));
    }

    @AfterAll
    static void stop() {
        intake.close();
        web.close();
        storage.close();
        s3.close();
    }

    @Test
    void dataUrlImageIsResizedWithTheModelBoundsAndStoredAsPng() {
        MediaRef ref = intake.ingest(new MediaSource.Url("image", dataUrl("image/png", PNG_500x300)),
                MediaOptions.DEFAULTS, "t1");
        // tiny-trained's preprocessor_config: max_pixels 28224, so smart_resize shrinks 500x300.
        PreprocessorConfig config = PreprocessorConfig.fromModelDir(IntakeFixtures.MODEL_DIR);
        var expected = SmartResize.compute(300, 500, 28, config.minPixels(), config.maxPixels());
        assertThat(ref.kind()).isEqualTo(MediaRef.IMAGE);
        assertThat(ref.width()).isEqualTo(expected.width());
        assertThat(ref.height()).isEqualTo(expected.height());
        assertThat(ref.gridThw()).containsExactly(1, expected.height() / 14, expected.width() / 14);
        assertThat(ref.keys()).singleElement().asString().matches("media/[0-9a-f]{64}\\.png");
        RgbImage stored = new ImageDecoder().decode(storage.getBytes(store.bucket(), ref.keys().getFirst()).bytes());
        assertThat(stored.width()).isEqualTo(expected.width());
        assertThat(stored.height()).isEqualTo(expected.height());
        String sha = ref.keys().getFirst().substring(6, 70);
        assertThat(store.stat(sha).orElseThrow().metadata().sourceType()).isEqualTo("data_url");
        assertThat(store.stat(sha).orElseThrow().metadata().originalWidth()).isEqualTo(500);
    }

    @Test
    void sameImageTwiceIsStoredOnce() {
        byte[] jpeg = encode(picture(640, 480, 7), "jpeg");
        MediaRef a = intake.ingest(new MediaSource.Url("image", dataUrl("image/jpeg", jpeg)), MediaOptions.DEFAULTS, "t1");
        MediaRef b = intake.ingest(new MediaSource.Url("image", dataUrl("image/jpeg", jpeg)), MediaOptions.DEFAULTS, "t2");
        assertThat(b.keys()).isEqualTo(a.keys());
        long objects = storage.list(store.bucket(), "media/", null, 1000).objects().stream()
                .filter(o -> o.key().equals(a.keys().getFirst())).count();
        assertThat(objects).isEqualTo(1);
    }

    @Test
    void requestPixelBoundsLowerTheSizeButCannotRaiseItAboveTheModel() {
        String url = dataUrl("image/png", PNG_500x300);
        MediaRef small = intake.ingest(new MediaSource.Url("image", url), new MediaOptions(null, 784 * 4, null), "t1");
        assertThat((long) small.width() * small.height()).isLessThanOrEqualTo(784 * 4);
        MediaRef greedy = intake.ingest(new MediaSource.Url("image", url),
                new MediaOptions(1_000_000_000, 1_000_000_000, null), "t1");
        assertThat((long) greedy.width() * greedy.height()).isLessThanOrEqualTo(28224);
    }

    @Test
    void contentIsSniffedNotTakenFromContentType() {
        MediaRef ref = intake.ingest(new MediaSource.Url("image", web.url("/png-as-html")), MediaOptions.DEFAULTS, "t1");
        assertThat(ref.keys()).hasSize(1);
        assertThatThrownBy(() -> intake.ingest(new MediaSource.Url("image", web.url("/html-as-png")),
                MediaOptions.DEFAULTS, "t1"))
                .isInstanceOfSatisfying(MediaIntakeException.class, e -> {
                    assertThat(e.code()).isEqualTo("unsupported_media_type");
                    assertThat(e.status()).isEqualTo(415);
                });
    }

    @Test
    void pixelBombIsRefusedFromItsHeaderAlone() {
        byte[] bomb = IntakeFixtures.pngHeaderOnly(100_000, 100_000);
        assertThat(bomb.length).isLessThan(100);
        long start = System.nanoTime();
        assertThatThrownBy(() -> intake.ingest(new MediaSource.Url("image", dataUrl("image/png", bomb)),
                MediaOptions.DEFAULTS, "t1"))
                .isInstanceOfSatisfying(MediaIntakeException.class, e -> {
                    assertThat(e.code()).isEqualTo("image_too_large");
                    assertThat(e.status()).isEqualTo(422);
                });
        assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
    }

    @Test
    void brokenAndOddImagesGetStableCodes() {
        byte[] truncated = java.util.Arrays.copyOf(PNG_500x300, PNG_500x300.length / 2);
        assertThatThrownBy(() -> intake.ingest(new MediaSource.Url("image", dataUrl("image/png", truncated)),
                MediaOptions.DEFAULTS, "t1")).hasFieldOrPropertyWithValue("code", "image_undecodable");
        byte[] thin = encode(picture(1000, 4, 0), "png");
        assertThatThrownBy(() -> intake.ingest(new MediaSource.Url("image", dataUrl("image/png", thin)),
                MediaOptions.DEFAULTS, "t1")).hasFieldOrPropertyWithValue("code", "aspect_ratio_too_large");
        // 1x1 is upscaled to the minimum, not rejected (the vLLM 1x1 crash class).
        MediaRef tiny = intake.ingest(new MediaSource.Url("image", dataUrl("image/png", encode(picture(1, 1, 0), "png"))),
                MediaOptions.DEFAULTS, "t1");
        assertThat(tiny.width()).isGreaterThanOrEqualTo(28);
        assertThatThrownBy(() -> intake.ingest(new MediaSource.Url("audio", dataUrl("image/png", PNG_500x300)),
                MediaOptions.DEFAULTS, "t1")).hasFieldOrPropertyWithValue("status", 415);
    }

    @Test
    void decodingIsBoundedInTime() {
        MediaIntakeProperties base = IntakeFixtures.properties();
        MediaIntakeProperties.Image i = base.image();
        MediaIntakeProperties.Image impatient = new MediaIntakeProperties.Image(i.maxBytes(), i.maxPixels(), i.maxSide(),
                java.time.Duration.ofMillis(1), i.minPixels(), i.maxPixelsLimit(), i.exifOrientation(), i.pngCompression());
        byte[] big = encode(picture(3000, 2000, 5), "jpeg");
        try (DefaultMediaIntake slow = new DefaultMediaIntake(new MediaIntakeProperties(base.modelDir(), base.fetch(),
                impatient, base.video(), base.uploads(), 1), store, uploads)) {
            assertThatThrownBy(() -> slow.ingest(new MediaSource.Url("image", dataUrl("image/jpeg", big)),
                    MediaOptions.DEFAULTS, "t1"))
                    .isInstanceOfSatisfying(MediaIntakeException.class, e -> {
                        assertThat(e.code()).isEqualTo("image_decode_timeout");
                        assertThat(e.status()).isEqualTo(422);
                    });
        }
    }

    @Test
    void uploadsAreTenantScoped() {
        String id = uploads.store("tenant-a", "cat picture.png", new ByteArrayInputStream(PNG_500x300),
                PNG_500x300.length);
        assertThat(id).matches("file-[0-9a-f]{24}");
        assertThat(storage.head(BucketLayout.DEFAULTS.mediaBucket(), "tmp/uploads/tenant-a/" + id)).isPresent();
        MediaRef ref = intake.ingest(new MediaSource.Upload("image", id), MediaOptions.DEFAULTS, "tenant-a");
        assertThat(ref.keys()).hasSize(1);
        for (String[] probe : List.of(new String[] {"tenant-b", id}, new String[] {"tenant-a", "file-000000000000000000000000"},
                new String[] {"tenant-a", "../../media/x"})) {
            assertThatThrownBy(() -> intake.ingest(new MediaSource.Upload("image", probe[1]), MediaOptions.DEFAULTS, probe[0]))
                    .isInstanceOfSatisfying(MediaIntakeException.class, e -> {
                        assertThat(e.code()).isEqualTo("upload_not_found");
                        assertThat(e.status()).isEqualTo(404);
                    });
        }
    }

    @Test
    void uploadsRefuseNonMediaAndOversizedFiles() {
        byte[] playlist = "#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:0\nconcat:file:///etc/passwd\n".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> uploads.store("t1", "x.mp4", new ByteArrayInputStream(playlist), playlist.length))
                .hasFieldOrPropertyWithValue("code", "unsupported_media_type");
        UploadedFiles small = new UploadedFiles(storage, BucketLayout.DEFAULTS.mediaBucket(), 1000);
        assertThatThrownBy(() -> small.store("t1", "a.png", new ByteArrayInputStream(PNG_500x300), -1))
                .hasFieldOrPropertyWithValue("code", "media_too_large");
        assertThatThrownBy(() -> small.store("t1", "a.png", new ByteArrayInputStream(PNG_500x300), PNG_500x300.length))
                .hasFieldOrPropertyWithValue("status", 413);
    }

    @Test
    void blockedUrlsNeverReachTheNetworkThroughTheIntake() {
        DefaultMediaIntake strict = new DefaultMediaIntake(IntakeFixtures.properties(
                IntakeFixtures.fetch(false, List.of(), 3, java.time.Duration.ofSeconds(3)), IntakeFixtures.video(768)),
                store, uploads);
        try (strict) {
            int before = web.requests();
            assertThatThrownBy(() -> strict.ingest(new MediaSource.Url("image", web.url("/png-as-html")),
                    MediaOptions.DEFAULTS, "t1")).hasFieldOrPropertyWithValue("code", "media_url_blocked");
            assertThat(web.requests()).isEqualTo(before);
        }
    }
}
