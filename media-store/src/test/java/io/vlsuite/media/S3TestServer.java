package io.vlsuite.media;

import java.time.Duration;

import io.vlsuite.media.embedded.EmbeddedS3Config;
import io.vlsuite.media.embedded.EmbeddedS3Server;
import io.vlsuite.media.s3.OperationObserver;
import io.vlsuite.media.s3.RetryPolicy;
import io.vlsuite.media.s3.S3ObjectStorage;
import io.vlsuite.media.s3.StorageSettings;
import io.vlsuite.media.s3.Timeouts;

/** Starts the embedded S3 server on loopback and builds clients for it (tests only). */
final class S3TestServer {

    private S3TestServer() {
    }

    static EmbeddedS3Server start() {
        return EmbeddedS3Server.start(EmbeddedS3Config.transientOnRandomPort());
    }

    static StorageSettings settings(EmbeddedS3Server server) {
        return StorageSettings.of(server.endpoint(), server.accessKey(), server.secretKey())
                .withTimeouts(new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(5),
                        Duration.ofSeconds(10)))
                .withRetry(new RetryPolicy(3, Duration.ofMillis(20), Duration.ofMillis(200), 2.0));
    }

    static S3ObjectStorage storage(EmbeddedS3Server server) {
        return S3ObjectStorage.create(settings(server), OperationObserver.NOOP);
    }

    static S3ObjectStorage storageWithBuckets(EmbeddedS3Server server, BucketLayout layout) {
        S3ObjectStorage storage = storage(server);
        for (String bucket : layout.buckets()) {
            storage.ensureBucket(bucket);
        }
        return storage;
    }
}
