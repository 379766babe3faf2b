package io.vlsuite.media.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.vlsuite.media.BucketLayout;
import io.vlsuite.media.Grid;
import io.vlsuite.media.MediaMetadata;
import io.vlsuite.media.MediaStore;
import io.vlsuite.media.StoredMedia;
import io.vlsuite.media.embedded.EmbeddedS3Config;
import io.vlsuite.media.embedded.EmbeddedS3Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PresignedUrlTest {

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    private static EmbeddedS3Server server;
    private static S3ObjectStorage storage;
    private static MediaStore media;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void start() {
        server = EmbeddedS3Server.start(EmbeddedS3Config.transientOnRandomPort());
        storage = S3ObjectStorage.create(StorageSettings.of(server.endpoint(), server.accessKey(), server.secretKey())
                .withPresignMaxTtl(Duration.ofMinutes(10)), OperationObserver.NOOP);
        storage.ensureBucket(BucketLayout.DEFAULTS.mediaBucket());
        media = new MediaStore(storage, BucketLayout.DEFAULTS);
    }

    @AfterAll
    static void stop() {
        storage.close();
        server.close();
    }

    private static StoredMedia stored() {
        return media.putImage(PNG, new MediaMetadata("upload", 1, 1, 28, 28, new Grid(1, 2, 2)));
    }

    private static HttpResponse<byte[]> fetch(URI url) throws Exception {
        return http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aPresignedUrlFetchesTheObjectWithoutCredentials() throws Exception {
        URI url = media.presignGet(stored().key(), Duration.ofMinutes(5));

        assertThat(url.getQuery()).contains("X-Amz-Expires=300").contains("X-Amz-Signature=");
        HttpResponse<byte[]> response = fetch(url);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(PNG);
    }

    @Test
    void aTamperedUrlIsRefused() throws Exception {
        URI url = media.presignGet(stored().key(), Duration.ofMinutes(5));
        URI tampered = URI.create(url.toString().replace("/media/", "/media/0"));
        assertThat(fetch(tampered).statusCode()).isEqualTo(403);
    }

    @Test
    void aShortLivedUrlStopsWorkingAfterItExpires() throws Exception {
        // SigV4 dates have whole seconds, so a 2 s URL is valid for between 1 and 2 s after signing.
        URI url = media.presignGet(stored().key(), Duration.ofSeconds(2));
        assertThat(fetch(url).statusCode()).isEqualTo(200);

        Thread.sleep(Duration.ofMillis(3_500));
        assertThat(fetch(url).statusCode()).isEqualTo(403);
    }

    @Test
    void lifetimesAboveTheConfiguredMaximumAreRejected() {
        String key = stored().key();
        assertThatThrownBy(() -> media.presignGet(key, Duration.ofMinutes(11)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds the configured maximum");
        assertThatThrownBy(() -> media.presignGet(key, Duration.ofMillis(500)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyImagesAndFramesCanBeShared() {
        assertThatThrownBy(() -> media.presignGet("jobs/acme/1.json", Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> media.presignGet("tmp/whatever", Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theMaximumItselfCannotExceedWhatSigV4Allows() {
        assertThatThrownBy(() -> StorageSettings.of(server.endpoint(), "a", "b").withPresignMaxTtl(Duration.ofDays(8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("7 days");
    }
}
