package io.vlsuite.preprocess.media;



import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Settings of the media pipeline ({@code vlsuite.preprocess.media.*}); documented in {@code docs/media-intake.md}.
 *
 * @param modelDir    folder holding the model's {@code preprocessor_config.json} (pixel bounds, factor); when the
 *                    file is missing the published Qwen2-VL defaults apply (logged once)
 * @param fetch       the http(s) fetcher and its SSRF guard
 * @param image       image limits
 * @param video       video limits
 * @param uploads     files uploaded with {@code POST /v1/files}
 * @param maxConcurrentDecodes images/videos decoded at once (each holds a decoded raster; this bounds memory)
 */
@Validated
@ConfigurationProperties("vlsuite.preprocess.media")
public record MediaIntakeProperties(
        @DefaultValue("models/tiny-trained") Path modelDir,
        @Valid @DefaultValue Fetch fetch,
        @Valid @DefaultValue Image image,
        @Valid @DefaultValue Video video,
        @Valid @DefaultValue Uploads uploads,
        @DefaultValue("2") @Min(1) @Max(256) int maxConcurrentDecodes) {

    /**
     * @param allowLoopback  fetch from loopback addresses (127/8, ::1); never in production
     * @param allowPrivate   fetch from private, link-local, ULA, CGNAT and other non-public ranges
     * @param allowCidrs     addresses allowed although they fall in a blocked range (e.g. {@code 10.1.2.0/24} for an
     *                       internal image host); checked against every resolved address
     * @param maxRedirects   redirects followed (each hop checked again); one more answers {@code too_many_redirects}
     * @param connectTimeout TCP/TLS connect limit per hop
     * @param imageTimeout   whole-fetch limit for an image (all hops, headers and body)
     * @param videoTimeout   whole-fetch limit for a video
     * @param userAgent      sent with every fetch
     */
    public record Fetch(
            @DefaultValue("false") boolean allowLoopback,
            @DefaultValue("false") boolean allowPrivate,
            @DefaultValue List<String> allowCidrs,
            @DefaultValue("3") @Min(0) @Max(10) int maxRedirects,
            @DefaultValue("3s") @NotNull Duration connectTimeout,
            @DefaultValue("10s") @NotNull Duration imageTimeout,
            @DefaultValue("60s") @NotNull Duration videoTimeout,
            @DefaultValue("vlsuite-preprocess/0.1") String userAgent) {
    }

    /**
     * @param maxBytes       largest encoded image (fetched, uploaded or in a data URL, after base64 decoding)
     * @param maxPixels      largest decoded {@code width * height}, checked from the header before decoding
     * @param maxSide        largest width or height, checked from the header
     * @param decodeTimeout  decode + resize limit per image
     * @param minPixels      smallest per-request {@code min_pixels} honoured (smaller values are raised to it)
     * @param maxPixelsLimit largest per-request {@code max_pixels} honoured (larger values are lowered to it); the
     *                       model's own {@code max_pixels} is a ceiling too
     * @param exifOrientation rotate JPEGs per EXIF like transformers' {@code load_image}
     * @param pngCompression deflate level of stored PNGs (1 fastest .. 9 smallest)
     */
    public record Image(
            @DefaultValue("20971520") @Min(1024) long maxBytes,
            @DefaultValue("40000000") @Min(784) long maxPixels,
            @DefaultValue("20000") @Min(28) int maxSide,
            @DefaultValue("10s") @NotNull Duration decodeTimeout,
            @DefaultValue("784") @Min(1) long minPixels,
            @DefaultValue("12845056") @Min(784) long maxPixelsLimit,
            @DefaultValue("true") boolean exifOrientation,
            @DefaultValue("1") @Min(1) @Max(9) int pngCompression) {
    }

    /**
     * @param maxBytes        largest video file
     * @param maxDuration     longest video (container metadata, checked before decoding)
     * @param maxFrames       most frames sampled from one video or given as a frame list
     * @param maxFps          highest sampling rate a request may ask for
     * @param defaultFps      sampling rate when the request gives none (Qwen2-VL: 2.0)
     * @param maxSourcePixels largest decoded frame ({@code width * height} of the stream)
     * @param totalPixels     pixel budget of all sampled frames together (qwen-vl-utils {@code VIDEO_TOTAL_PIXELS})
     * @param decodeTimeout   limit for decoding, sampling and resizing one video
     */
    public record Video(
            @DefaultValue("268435456") @Min(1024) long maxBytes,
            @DefaultValue("2h") @NotNull Duration maxDuration,
            @DefaultValue("768") @Min(2) @Max(100000) int maxFrames,
            @DefaultValue("2.0") @DecimalMin("0.01") @DecimalMax("60") double maxFps,
            @DefaultValue("2.0") @DecimalMin("0.01") @DecimalMax("60") double defaultFps,
            @DefaultValue("8294400") @Min(784) long maxSourcePixels,
            @DefaultValue("19267584") @Min(784) long totalPixels,
            @DefaultValue("300s") @NotNull Duration decodeTimeout) {
    }

    /** @param maxBytes largest uploaded file */
    public record Uploads(@DefaultValue("268435456") @Min(1) long maxBytes) {
    }
}
