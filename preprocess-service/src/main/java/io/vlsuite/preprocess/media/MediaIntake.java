package io.vlsuite.preprocess.media;

import io.vlsuite.contracts.job.MediaRef;

/**
 * Turns one media part of a request into stored media: fetch or decode (data URL, http(s) URL behind the SSRF
 * guard, uploaded file), check the pixel budget from the header, decode, resize with the exact Qwen2-VL math, and
 * store losslessly in the media bucket (content-addressed, so the same picture is stored once).
 *
 * <p>This is the seam between the API layer (which validates requests and publishes jobs) and the media pipeline.
 * Failures are {@link io.vlsuite.qwen2vl.Qwen2VlException}s or {@link MediaIntakeException}s with stable codes,
 * which the API layer maps to problem+json.
 */
public interface MediaIntake {

    /**
     * Ingests one media part.
     *
     * @param source  where the bytes come from
     * @param options per-request processing options (already checked against server limits by the caller)
     * @param tenant  the tenant (uploads are tenant-scoped)
     * @return the stored media with its resized size and vision grid
     */
    MediaRef ingest(MediaSource source, MediaOptions options, String tenant);
}
