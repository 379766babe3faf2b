package io.vlsuite.media.embedded;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Settings of the {@link EmbeddedS3Server}.
 *
 * @param host      interface to bind; loopback by default because the embedded server has no TLS and one credential
 * @param port      TCP port, {@code 0} picks a random free port (tests)
 * @param dataDir   folder for the filesystem store; {@code null} keeps objects in memory only (lost on stop)
 * @param accessKey access key clients must sign with
 * @param secretKey secret key clients must sign with
 */
public record EmbeddedS3Config(String host, int port, Path dataDir, String accessKey, String secretKey) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final String DEFAULT_ACCESS_KEY = "vlsuite";
    public static final String DEFAULT_SECRET_KEY = "vlsuite-embedded-secret";

    public EmbeddedS3Config {
        if (host == null || host.isBlank()) {
            host = DEFAULT_HOST;
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("S3 port must be within 0..65535 (0 = random free port), got " + port);
        }
        Objects.requireNonNull(accessKey, "accessKey");
        Objects.requireNonNull(secretKey, "secretKey");
        if (accessKey.isBlank() || secretKey.isBlank()) {
            throw new IllegalArgumentException("S3 access key and secret key must not be blank");
        }
    }

    /** In-memory store on a random loopback port with the default credentials: what most tests want. */
    public static EmbeddedS3Config transientOnRandomPort() {
        return new EmbeddedS3Config(DEFAULT_HOST, 0, null, DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY);
    }

    /** Filesystem store under {@code dataDir} on a fixed loopback port with the default credentials. */
    public static EmbeddedS3Config filesystem(Path dataDir, int port) {
        return new EmbeddedS3Config(DEFAULT_HOST, port, Objects.requireNonNull(dataDir, "dataDir"),
                DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY);
    }
}
