package io.vlsuite.qwen2vl.image;

import java.nio.file.Path;
import java.util.List;

/**
 * Qwen2-VL image preprocessing, equivalent to transformers' {@code Qwen2VLImageProcessorPil} (the PIL path the
 * model was trained with): {@code smart_resize} to multiples of 28, Pillow-exact bicubic resize, rescale by
 * {@code 1/255}, normalise with the model's mean/std, duplicate to two temporal slices, flatten to
 * {@code [patches][1176]}.
 *
 * <p>Thread-safe and cheap to share: configure one per model folder.
 */
public final class ImageProcessor {

    private final PreprocessorConfig config;
    private final PillowBicubicResizer resizer;
    private final PatchFlattener flattener;

    public ImageProcessor(PreprocessorConfig config) {
        this(config, new PillowBicubicResizer());
    }

    public ImageProcessor(PreprocessorConfig config, PillowBicubicResizer resizer) {
        this.config = config;
        this.resizer = resizer;
        this.flattener = new PatchFlattener(new PixelNormalizer(config.rescaleFactor(), config.imageMean(), config.imageStd()));
    }

    /** A processor configured from {@code <modelDir>/preprocessor_config.json}. */
    public static ImageProcessor forModel(Path modelDir) {
        return new ImageProcessor(PreprocessorConfig.fromModelDir(modelDir));
    }

    public PreprocessorConfig config() {
        return config;
    }

    /**
     * Effective pixel bounds for a request: overrides may lower the model's maximum but never raise it, and the
     * minimum never exceeds the effective maximum.
     */
    public long[] effectiveBounds(PixelBounds bounds) {
        long max = bounds.maxPixels() == null ? config.maxPixels() : Math.min(bounds.maxPixels(), config.maxPixels());
        long min = bounds.minPixels() == null ? config.minPixels() : bounds.minPixels();
        return new long[] {Math.min(min, max), max};
    }

    /** The size an {@code height x width} image is resized to. */
    public ResizedSize targetSize(int height, int width, PixelBounds bounds) {
        long[] b = effectiveBounds(bounds);
        return SmartResize.compute(height, width, config.factor(), b[0], b[1]);
    }

    /** Preprocesses one image with the model's configured pixel bounds. */
    public VisionInput process(RgbImage image) {
        return process(image, PixelBounds.NONE);
    }

    public VisionInput process(RgbImage image, PixelBounds bounds) {
        return processWithResized(image, bounds).input();
    }

    /** Like {@link #process(RgbImage, PixelBounds)} but also returns the resized uint8 image. */
    public ProcessedImage processWithResized(RgbImage image, PixelBounds bounds) {
        ResizedSize size = targetSize(image.height(), image.width(), bounds);
        RgbImage resized = resizer.resize(image, size.width(), size.height());
        return new ProcessedImage(resized, flattener.flatten(List.of(resized), MediaKind.IMAGE));
    }

    /** Resizes with Pillow-exact bicubic (exposed for the video path, which resizes every frame alike). */
    public RgbImage resize(RgbImage image, ResizedSize size) {
        return resizer.resize(image, size.width(), size.height());
    }

    /**
     * Normalises and flattens frames that already have their final size (multiples of 28), padding an odd count
     * by repeating the last frame.
     */
    public VisionInput flatten(List<RgbImage> frames, MediaKind kind) {
        return flattener.flatten(frames, kind);
    }

    /** The normalising patch writer configured with this model's mean/std (for streaming video frames). */
    public PatchFlattener flattener() {
        return flattener;
    }
}
