package io.vlsuite.preprocess.media;

import io.vlsuite.contracts.job.MediaRef;
import io.vlsuite.media.Grid;
import io.vlsuite.media.MediaMetadata;
import io.vlsuite.media.MediaStore;
import io.vlsuite.media.StoredMedia;
import io.vlsuite.qwen2vl.image.ImageDecoder;
import io.vlsuite.qwen2vl.image.ImageProcessor;
import io.vlsuite.qwen2vl.image.PixelBounds;
import io.vlsuite.qwen2vl.image.ResizedSize;
import io.vlsuite.qwen2vl.image.RgbImage;

import java.time.Duration;
import java.util.List;

/**
 * Encoded image bytes to a stored, resized PNG: sniff, header-first pixel budget, bounded decode, RGB,
 * {@code smart_resize}, Pillow-exact bicubic, PNG, content-addressed store.
 *
 * <p>Dedup: the key is the SHA-256 of the <em>resized PNG</em>. The same picture sent twice with the same pixel
 * bounds gives the same key and one object, whatever the source encoding (a PNG and a lossless WebP of the same
 * pixels meet); the price is that each request still decodes and resizes before the store sees the duplicate.
 */
final class ImagePipeline {

    static final int PATCH = 14;

    private final ImageDecoder decoder;
    private final ImageProcessor processor;
    private final PngEncoder png;
    private final MediaStore store;
    private final BoundedWork work;
    private final MediaIntakeProperties.Image limits;

    ImagePipeline(ImageDecoder decoder, ImageProcessor processor, PngEncoder png, MediaStore store, BoundedWork work,
                  MediaIntakeProperties.Image limits) {
        this.decoder = decoder;
        this.processor = processor;
        this.png = png;
        this.store = store;
        this.work = work;
        this.limits = limits;
    }

    /** Decoded, resized and encoded, not yet stored. */
    record Prepared(int originalWidth, int originalHeight, RgbImage resized, byte[] png) {
    }

    MediaRef ingest(byte[] bytes, MediaOptions options, String sourceType) {
        Prepared prepared = prepare(bytes, options);
        RgbImage r = prepared.resized();
        Grid grid = new Grid(1, r.height() / PATCH, r.width() / PATCH);
        StoredMedia stored = store.putImage(prepared.png(), new MediaMetadata(sourceType, prepared.originalWidth(),
                prepared.originalHeight(), r.width(), r.height(), grid));
        return new MediaRef(MediaRef.IMAGE, List.of(stored.key()), r.width(), r.height(),
                List.of(grid.t(), grid.h(), grid.w()), null);
    }

    Prepared prepare(byte[] bytes, MediaOptions options) {
        SniffedType type = SniffedType.of(bytes);
        if (type != SniffedType.IMAGE) {
            throw new MediaIntakeException("unsupported_media_type", 415, type.isVideo()
                    ? "expected an image but got a video" : "not a PNG, JPEG, GIF, BMP or WebP image");
        }
        PixelBounds bounds = bounds(options);
        // Header first: a 1 KB file claiming 100000x100000 is refused here, before any raster is allocated.
        decoder.readHeader(bytes);
        return work.run(() -> {
            RgbImage rgb = decoder.decode(bytes);
            ResizedSize size = processor.targetSize(rgb.height(), rgb.width(), bounds);
            RgbImage resized = processor.resize(rgb, size);
            return new Prepared(rgb.width(), rgb.height(), resized, png.encode(resized));
        }, limits.decodeTimeout(), "image_decode_timeout", "decoding the image");
    }

    /** Request bounds clamped into the server's range (the processor also caps them at the model's max_pixels). */
    PixelBounds bounds(MediaOptions options) {
        Long min = options.minPixels() == null ? null : Math.max(options.minPixels(), limits.minPixels());
        Long max = options.maxPixels() == null ? null : Math.min(options.maxPixels(), limits.maxPixelsLimit());
        if (max != null && max < limits.minPixels()) {
            max = limits.minPixels();
        }
        if (min != null && min > limits.maxPixelsLimit()) {
            min = limits.maxPixelsLimit();
        }
        return new PixelBounds(min, max);
    }

    Duration decodeTimeout() {
        return limits.decodeTimeout();
    }
}
