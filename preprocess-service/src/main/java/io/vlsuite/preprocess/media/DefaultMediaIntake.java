package io.vlsuite.preprocess.media;

import io.vlsuite.preprocess.net.AddressPolicy;

import io.vlsuite.contracts.job.MediaRef;
import io.vlsuite.media.MediaStore;
import io.vlsuite.qwen2vl.Qwen2VlException;
import io.vlsuite.qwen2vl.image.ImageDecoder;
import io.vlsuite.qwen2vl.image.ImageLimits;
import io.vlsuite.qwen2vl.image.ImageProcessor;
import io.vlsuite.qwen2vl.image.PreprocessorConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The media pipeline behind {@link MediaIntake}: gets the bytes (data URL, guarded http(s) fetch, upload), then
 * hands them to the image or video pipeline by the part's kind. Every refusal is a {@link MediaIntakeException}
 * with a stable code and status (see {@code docs/media-intake.md}); the core's {@link Qwen2VlException}s are
 * translated here so the API answers them with the right status. Storage failures
 * ({@link io.vlsuite.media.MediaStoreException}) pass through unchanged (the API answers 503).
 */
public final class DefaultMediaIntake implements MediaIntake, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DefaultMediaIntake.class);

    private final MediaIntakeProperties properties;
    private final GuardedFetcher fetcher;
    private final UploadedFiles uploads;
    private final BoundedWork work;
    private final ImagePipeline images;
    private final VideoPipeline videos;

    public DefaultMediaIntake(MediaIntakeProperties properties, MediaStore store, UploadedFiles uploads) {
        this.properties = properties;
        this.uploads = uploads;
        MediaIntakeProperties.Fetch f = properties.fetch();
        this.fetcher = new GuardedFetcher(new AddressPolicy(f.allowLoopback(), f.allowPrivate(), f.allowCidrs()),
                f.maxRedirects(), f.connectTimeout(), f.userAgent());
        this.work = new BoundedWork(properties.maxConcurrentDecodes());
        PreprocessorConfig config = processorConfig(properties.modelDir());
        ImageProcessor processor = new ImageProcessor(config);
        MediaIntakeProperties.Image i = properties.image();
        ImageDecoder decoder = new ImageDecoder(new ImageLimits(i.maxBytes(), i.maxPixels(), i.maxSide()),
                i.exifOrientation());
        PngEncoder png = new PngEncoder(i.pngCompression());
        this.images = new ImagePipeline(decoder, processor, png, store, work, i);
        this.videos = new VideoPipeline(new FfmpegVideoSampler(processor, png, properties.video()), images, store,
                work, properties.video(), "model=" + config.minPixels() + "-" + config.maxPixels());
    }

    @Override
    public MediaRef ingest(MediaSource source, MediaOptions options, String tenant) {
        MediaOptions opts = options == null ? MediaOptions.DEFAULTS : options;
        try {
            return switch (source) {
                case MediaSource.Url url -> {
                    boolean video = isVideo(url.kind());
                    byte[] bytes = obtain(url.url(), url.kind());
                    String type = DataUrls.isDataUrl(url.url()) ? "data_url" : "http_url";
                    yield video ? videos.ingest(bytes, opts, type) : images.ingest(bytes, opts, type);
                }
                case MediaSource.Upload upload -> {
                    boolean video = isVideo(upload.kind());
                    byte[] bytes = uploads.read(tenant, upload.fileId());
                    yield video ? videos.ingest(bytes, opts, "upload") : images.ingest(bytes, opts, "upload");
                }
                case MediaSource.Frames frames -> videos.ingestFrames(frames.frameUrls(),
                        url -> obtain(url, "image"), opts, "frame_list");
            };
        } catch (Qwen2VlException e) {
            throw translate(e);
        }
    }

    private byte[] obtain(String url, String kind) {
        if (url == null || url.isBlank()) {
            throw new MediaIntakeException("invalid_media_url", 400, "the media URL is empty");
        }
        boolean video = isVideo(kind);
        long maxBytes = video ? properties.video().maxBytes() : properties.image().maxBytes();
        if (DataUrls.isDataUrl(url)) {
            return DataUrls.decode(url, kind, maxBytes);
        }
        Duration timeout = video ? properties.fetch().videoTimeout() : properties.fetch().imageTimeout();
        return fetcher.fetch(url, maxBytes, timeout).bytes();
    }

    private static boolean isVideo(String kind) {
        if ("video".equals(kind)) {
            return true;
        }
        if ("image".equals(kind)) {
            return false;
        }
        throw new MediaIntakeException("unsupported_media_type", 415, "media parts are images or videos");
    }

    /** The core's codes keep their names; the status says whose fault it is. */
    static MediaIntakeException translate(Qwen2VlException e) {
        int status = switch (e.code()) {
            case "unsupported_image_format" -> 415;
            case "invalid_pixel_bounds", "invalid_video_options", "frame_size_mismatch" -> 400;
            default -> 422;
        };
        return new MediaIntakeException(e.code(), status, e.getMessage(), e);
    }

    private static PreprocessorConfig processorConfig(Path modelDir) {
        if (modelDir != null && Files.isRegularFile(modelDir.resolve("preprocessor_config.json"))) {
            return PreprocessorConfig.fromModelDir(modelDir);
        }
        log.warn("no preprocessor_config.json in {}; using the published Qwen2-VL image settings", modelDir);
        return PreprocessorConfig.qwen2VlDefaults();
    }

    @Override
    public void close() {
        work.close();
    }
}
