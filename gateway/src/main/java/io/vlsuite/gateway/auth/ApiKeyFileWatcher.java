package io.vlsuite.gateway.auth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the key store in step with a mounted key file. The file is read at start (a broken file stops the
 * start) and then compared byte for byte every interval: mounted secrets change by an atomic symlink swap,
 * which neither mtime-only checks nor file watchers always see. A broken update is logged and the last good
 * keys stay in force, so a bad edit cannot lock every client out.
 */
public class ApiKeyFileWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApiKeyFileWatcher.class);

    private final Path file;
    private final ApiKeyStore store;
    private final ScheduledExecutorService scheduler;
    private byte[] lastContent;
    private String lastError;

    public ApiKeyFileWatcher(Path file, ApiKeyStore store, Duration interval) {
        this.file = file;
        this.store = store;
        reload(true);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                .name("api-key-file-watcher").daemon(true).factory());
        scheduler.scheduleWithFixedDelay(() -> reload(false), interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Reads the file if it changed; returns whether the keys were replaced. */
    synchronized boolean reload(boolean failOnError) {
        try {
            byte[] content = Files.readAllBytes(file);
            if (lastContent != null && Arrays.equals(content, lastContent)) {
                return false;
            }
            // Remembered before parsing, so a broken file is reported once, not at every check.
            lastContent = content;
            var keys = ApiKeyFileReader.parse(new String(content, StandardCharsets.UTF_8));
            store.replaceFileKeys(keys);
            lastError = null;
            log.info("loaded {} API keys from {}", keys.size(), file);
            return true;
        } catch (IOException | RuntimeException e) {
            if (failOnError) {
                throw new IllegalStateException("cannot load API keys from " + file + ": " + e.getMessage(), e);
            }
            String error = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (!error.equals(lastError)) {
                log.error("cannot reload API keys from {}; keeping the previous keys: {}", file, error);
                lastError = error;
            }
            return false;
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
