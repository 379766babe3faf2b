package io.vlsuite.media.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedS3ServerTest {

    @Test
    void servesS3OnARandomLoopbackPortWithTheConfiguredCredentials() throws Exception {
        try (EmbeddedS3Server server = EmbeddedS3Server.start(EmbeddedS3Config.transientOnRandomPort())) {
            assertThat(server.endpoint().getHost()).isEqualTo("127.0.0.1");
            assertThat(server.endpoint().getPort()).isPositive();
            MinioClient client = client(server);
            client.makeBucket(MakeBucketArgs.builder().bucket("bucket-one").build());
            put(client, "bucket-one", "k", "hello");
            assertThat(get(client, "bucket-one", "k")).isEqualTo("hello");
        }
    }

    @Test
    void filesystemStoreKeepsObjectsAcrossRestarts(@TempDir Path dir) throws Exception {
        int port;
        try (EmbeddedS3Server server = EmbeddedS3Server.start(EmbeddedS3Config.filesystem(dir, 0))) {
            port = server.endpoint().getPort();
            MinioClient client = client(server);
            client.makeBucket(MakeBucketArgs.builder().bucket("persist").build());
            put(client, "persist", "a/b.txt", "kept");
        }
        try (EmbeddedS3Server server = EmbeddedS3Server.start(EmbeddedS3Config.filesystem(dir, 0))) {
            MinioClient client = client(server);
            assertThat(client.bucketExists(BucketExistsArgs.builder().bucket("persist").build())).isTrue();
            assertThat(get(client, "persist", "a/b.txt")).isEqualTo("kept");
        }
        assertThat(port).isPositive();
    }

    @Test
    void aPortInUseGivesAClearMessage() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            EmbeddedS3Config cfg = new EmbeddedS3Config("127.0.0.1", port, null, "a", "b");
            assertThatThrownBy(() -> EmbeddedS3Server.start(cfg))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("S3 port " + port + " is already in use on 127.0.0.1")
                    .hasNoCause();
        }
    }

    @Test
    void stopIsIdempotentAndFreesThePort() throws Exception {
        EmbeddedS3Server server = EmbeddedS3Server.start(EmbeddedS3Config.transientOnRandomPort());
        int port = server.endpoint().getPort();
        server.stop();
        server.close();
        assertThat(server.isRunning()).isFalse();
        try (ServerSocket again = new ServerSocket(port, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void rejectsInvalidConfiguration() {
        assertThatThrownBy(() -> new EmbeddedS3Config("127.0.0.1", 70_000, null, "a", "b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("70000");
        assertThatThrownBy(() -> new EmbeddedS3Config("127.0.0.1", 0, null, " ", "b"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static MinioClient client(EmbeddedS3Server server) {
        return MinioClient.builder().endpoint(server.endpoint().toString())
                .credentials(server.accessKey(), server.secretKey()).region("us-east-1").build();
    }

    private static void put(MinioClient client, String bucket, String key, String text) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        client.putObject(PutObjectArgs.builder().bucket(bucket).object(key).data(bytes, bytes.length).build());
    }

    private static String get(MinioClient client, String bucket, String key) throws Exception {
        try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
