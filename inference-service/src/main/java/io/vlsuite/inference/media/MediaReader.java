package io.vlsuite.inference.media;

/** Reads the stored PNGs a job refers to (images and video frames), by object key. */
@FunctionalInterface
public interface MediaReader {

    /**
     * @throws io.vlsuite.inference.engine.InferenceException {@code media_not_found} or {@code invalid_media_key}
     *         (deterministic), {@code storage_unavailable} (retryable)
     */
    byte[] read(String key);
}
