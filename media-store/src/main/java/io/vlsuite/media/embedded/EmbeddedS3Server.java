package io.vlsuite.media.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An S3-compatible server (S3Proxy) running in this JVM, for the standalone mode and for tests.
 *
 * <p>Production code never depends on this class: services only talk S3 to an endpoint (MinIO, AWS S3, or this
 * server), configured through {@code vlsuite.media-store.endpoint}. The server signs with one access key pair,
 * has no TLS and binds loopback by default, so it is not meant to be exposed.
 */
public final class EmbeddedS3Server implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedS3Server.class);
    private static final long START_TIMEOUT_MS = TimeUnit.SECONDS.toMillis(30);

    private final S3Proxy proxy;
    private final EmbeddedS3Config config;
    private final URI endpoint;
    private boolean stopped;

    private EmbeddedS3Server(S3Proxy proxy, EmbeddedS3Config config, URI endpoint) {
        this.proxy = proxy;
        this.config = config;
        this.endpoint = endpoint;
    }

    /**
     * Starts S3Proxy on {@code cfg.host():cfg.port()} and waits until it accepts requests.
     *
     * @throws IllegalStateException when the port is taken or the server does not start
     */
    public static EmbeddedS3Server start(EmbeddedS3Config cfg) {
        BlobStore store = blobStore(cfg);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://" + hostForUri(cfg.host()) + ":" + cfg.port()))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, cfg.accessKey(), cfg.secretKey())
                // Stopping must not wait for the default 30 s drain: tests stop servers to simulate outages.
                .stopTimeout(0)
                .build();
        long t0 = System.nanoTime();
        try {
            proxy.start();
            awaitStarted(proxy);
        } catch (Exception e) {
            stopQuietly(proxy);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (hasCause(e, BindException.class)) {
                throw new IllegalStateException("S3 port " + cfg.port() + " is already in use on " + cfg.host()
                        + "; configure another port for the embedded S3 server (0 picks a random free port)"
                        + " or stop the process that holds it");
            }
            throw new IllegalStateException("embedded S3 server did not start on " + cfg.host() + ":" + cfg.port()
                    + ": " + e.getMessage(), e);
        }
        // Bound to every interface: local clients still reach it on loopback.
        String clientHost = isWildcard(cfg.host()) ? "127.0.0.1" : hostForUri(cfg.host());
        URI endpoint = URI.create("http://" + clientHost + ":" + proxy.getPort());
        log.info("embedded S3 server started at {} ({}) in {} ms", endpoint,
                cfg.dataDir() == null ? "in-memory store" : "filesystem store " + cfg.dataDir(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        return new EmbeddedS3Server(proxy, cfg, endpoint);
    }

    /** Base URI clients use, e.g. {@code http://127.0.0.1:9000}. */
    public URI endpoint() {
        return endpoint;
    }

    public String accessKey() {
        return config.accessKey();
    }

    public String secretKey() {
        return config.secretKey();
    }

    public EmbeddedS3Config config() {
        return config;
    }

    public synchronized boolean isRunning() {
        return !stopped;
    }

    /** Stops the server; calling it again does nothing. Objects in a filesystem store stay on disk. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        stopQuietly(proxy);
        log.info("embedded S3 server at {} stopped", endpoint);
    }

    @Override
    public void close() {
        stop();
    }

    private static BlobStore blobStore(EmbeddedS3Config cfg) {
        if (cfg.dataDir() == null) {
            return new SerializedWritesBlobStore(new TransientNio2BlobStore());
        }
        try {
            Files.createDirectories(cfg.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create S3 data folder " + cfg.dataDir(), e);
        }
        return new SerializedWritesBlobStore(new FilesystemNio2BlobStore(cfg.dataDir().toAbsolutePath().toString()));
    }

    private static void awaitStarted(S3Proxy proxy) throws InterruptedException {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (!"STARTED".equals(proxy.getState())) {
            if ("FAILED".equals(proxy.getState()) || System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("S3Proxy state is " + proxy.getState());
            }
            Thread.sleep(5);
        }
    }

    private static void stopQuietly(S3Proxy proxy) {
        try {
            proxy.stop();
        } catch (Exception e) {
            log.debug("stopping S3Proxy failed", e);
        }
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }

    private static boolean isWildcard(String host) {
        return "0.0.0.0".equals(host) || "::".equals(host) || "[::]".equals(host);
    }

    private static String hostForUri(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
