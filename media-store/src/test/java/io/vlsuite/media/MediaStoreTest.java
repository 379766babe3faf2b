package io.vlsuite.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.vlsuite.media.embedded.EmbeddedS3Server;
import io.vlsuite.media.s3.S3ObjectStorage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MediaStoreTest {

    private static EmbeddedS3Server server;
    private static S3ObjectStorage storage;
    private static MediaStore media;

    @BeforeAll
    static void start() {
        server = S3TestServer.start();
        storage = S3TestServer.storageWithBuckets(server, BucketLayout.DEFAULTS);
        media = new MediaStore(storage, BucketLayout.DEFAULTS);
    }

    @AfterAll
    static void stop() {
        storage.close();
        server.close();
    }

    @Test
    void identicalImagesAreStoredOnceUnderTheirHash() {
        byte[] png = TestPngs.png(1);
        StoredMedia first = media.putImage(png, TestPngs.metadata());
        StoredMedia second = media.putImage(png.clone(), TestPngs.metadata());

        assertThat(first.created()).isTrue();
        assertThat(second.created()).isFalse();
        assertThat(first.sha256()).isEqualTo(ContentHash.sha256Hex(png)).isEqualTo(second.sha256());
        assertThat(first.key()).isEqualTo("media/" + first.sha256() + ".png");
        assertThat(storage.list(media.bucket(), "media/", null, 100).objects())
                .filteredOn(o -> o.key().equals(first.key())).hasSize(1);
    }

    @Test
    void concurrentSendersOfTheSameImageCreateItExactlyOnce() throws Exception {
        byte[] png = TestPngs.png(2);
        int writers = 6;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<StoredMedia>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
            for (int i = 0; i < writers; i++) {
                results.add(pool.submit((Callable<StoredMedia>) () -> {
                    go.await();
                    return media.putImage(png, TestPngs.metadata());
                }));
            }
            go.countDown();
            int created = 0;
            for (Future<StoredMedia> f : results) {
                created += f.get().created() ? 1 : 0;
            }
            assertThat(created).isEqualTo(1);
        }
        assertThat(media.getImage(ContentHash.sha256Hex(png))).isEqualTo(png);
    }

    @Test
    void metadataTravelsWithTheObject() {
        byte[] png = TestPngs.png(3);
        String sha = media.putImage(png, TestPngs.metadata()).sha256();

        MediaInfo info = media.stat(sha).orElseThrow();
        assertThat(info.size()).isEqualTo(png.length);
        assertThat(info.metadata()).isEqualTo(TestPngs.metadata());
    }

    @Test
    void readsBytesAndStreams() throws Exception {
        byte[] png = TestPngs.png(4);
        String sha = media.putImage(png, TestPngs.metadata()).sha256();

        assertThat(media.exists(sha)).isTrue();
        assertThat(media.getImage(sha)).isEqualTo(png);
        try (InputStream in = media.openImage(sha)) {
            assertThat(in.readAllBytes()).isEqualTo(png);
        }
    }

    @Test
    void missingMediaIsATypedNotFound() {
        String absent = ContentHash.sha256Hex(new byte[] {42});
        assertThat(media.exists(absent)).isFalse();
        assertThat(media.stat(absent)).isEmpty();
        assertThatThrownBy(() -> media.getImage(absent))
                .isInstanceOf(MediaStoreException.NotFound.class)
                .extracting(e -> ((MediaStoreException) e).code()).isEqualTo("object_not_found");
    }

    @Test
    void rejectsBytesThatAreNotPngAndHashesThatAreNotHashes() {
        assertThatThrownBy(() -> media.putImage("GIF89a....".getBytes(), TestPngs.metadata()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PNG");
        assertThatThrownBy(() -> media.getImage("../jobs/t/x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void videoFramesAndManifestAreStoredOnceAndRepairedWhenAFrameIsMissing() {
        List<byte[]> frames = List.of(TestPngs.png(10), TestPngs.png(11), TestPngs.png(12));
        String videoSha = ContentHash.sha256Hex("video-bytes".getBytes());
        VideoManifest manifest = new VideoManifest(2.0, List.of(0.0, 0.5, 1.0), new Grid(2, 4, 6), 1280, 720, 168, 112,
                "upload");

        StoredVideo first = media.putVideo(videoSha, manifest, frames);
        assertThat(first.created()).isTrue();
        assertThat(media.videoExists(videoSha)).isTrue();
        assertThat(media.getVideoManifest(videoSha)).isEqualTo(manifest);
        assertThat(media.getFrame(videoSha, 1)).isEqualTo(frames.get(1));
        assertThat(storage.list(media.bucket(), "video/" + videoSha + "/", null, 100).objects())
                .extracting(o -> o.key().substring(("video/" + videoSha + "/").length()))
                .containsExactly("frame-00000.png", "frame-00001.png", "frame-00002.png", "manifest.json");

        storage.delete(media.bucket(), first.frameKey(2));
        StoredVideo again = media.putVideo(videoSha, manifest, frames);
        assertThat(again.created()).isFalse();
        assertThat(media.getFrame(videoSha, 2)).isEqualTo(frames.get(2));
    }

    @Test
    void videoNeedsOneFramePerTimestamp() {
        String videoSha = ContentHash.sha256Hex("other".getBytes());
        VideoManifest manifest = new VideoManifest(1.0, List.of(0.0, 1.0), new Grid(1, 2, 2), 56, 56, 56, 56, "upload");
        assertThatThrownBy(() -> media.putVideo(videoSha, manifest, List.of(TestPngs.png(1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 frame timestamps");
    }

    @Test
    void temporaryUploadsLiveUnderTmp() {
        String key = media.putTemporary("raw upload".getBytes(), "application/octet-stream");
        assertThat(key).startsWith("tmp/");
        assertThat(media.getTemporary(key)).isEqualTo("raw upload".getBytes());
        media.deleteTemporary(key);
        assertThatThrownBy(() -> media.getTemporary(key)).isInstanceOf(MediaStoreException.NotFound.class);
        assertThatThrownBy(() -> media.getTemporary("media/x.png")).isInstanceOf(IllegalArgumentException.class);
    }
}
