package io.vlsuite.qwen2vl.image;

import io.vlsuite.qwen2vl.Qwen2VlException;

import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Decodes PNG, JPEG (baseline, progressive, CMYK/YCCK via TwelveMonkeys), GIF (first frame), BMP and WebP into
 * {@link RgbImage}, with Pillow {@code convert("RGB")} semantics (see {@link RgbConverter}) and, for JPEG, the EXIF
 * orientation applied like transformers' {@code load_image} ({@code ImageOps.exif_transpose}).
 *
 * <p>Safety, in this order: the file size is checked, the format is sniffed from magic bytes, the reader is given
 * the stream with metadata ignored (metadata blobs have their own decompression bombs), the header's width and
 * height are checked against {@link ImageLimits} and the 200:1 aspect rule, and only then are pixels decoded.
 * Decoder failures of any kind become {@code image_undecodable}; a truncated file is rejected rather than padded
 * with grey, as Pillow does.
 *
 * <p>Thread-safe: each call uses its own {@link ImageReader}.
 */
public final class ImageDecoder {

    static {
        // No temporary files for streams: decoding works from memory only.
        ImageIO.setUseCache(false);
        registerTwelveMonkeys();
    }

    /**
     * ImageIO discovers plugins through the class loader that first touches it, which inside fat jars and servlet
     * containers may not see TwelveMonkeys; without it CMYK JPEG and WebP would fail. Registering the two readers
     * explicitly makes decoding independent of how the application was packaged.
     */
    private static void registerTwelveMonkeys() {
        IIORegistry registry = IIORegistry.getDefaultInstance();
        for (ImageReaderSpi spi : new ImageReaderSpi[] {
                new com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi(),
                new com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi()}) {
            if (registry.getServiceProviderByClass(spi.getClass()) == null) {
                registry.registerServiceProvider(spi, ImageReaderSpi.class);
            }
        }
    }

    private final ImageLimits limits;
    private final boolean applyExifOrientation;

    public ImageDecoder() {
        this(ImageLimits.DEFAULT, true);
    }

    /**
     * @param applyExifOrientation true to rotate JPEGs as transformers' {@code load_image} does; false for the
     *                             qwen-vl-utils v0.0.8 behaviour (pixels as stored)
     */
    public ImageDecoder(ImageLimits limits, boolean applyExifOrientation) {
        this.limits = limits;
        this.applyExifOrientation = applyExifOrientation;
    }

    public RgbImage decode(Path file) {
        try {
            long size = Files.size(file);
            limits.checkEncodedSize(size);
            return decode(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new Qwen2VlException("image_unreadable", "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads only the header: format and declared size, after the same limit checks as {@link #decode(byte[])}. */
    public ImageHeader readHeader(byte[] data) {
        limits.checkEncodedSize(data.length);
        ImageFormat format = ImageFormat.sniff(data);
        ImageReader reader = readerFor(format);
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(data))) {
            reader.setInput(in, true, true);
            return checkedHeader(format, reader);
        } catch (IOException | RuntimeException e) {
            throw undecodable(format, e);
        } finally {
            reader.dispose();
        }
    }

    public RgbImage decode(byte[] data) {
        limits.checkEncodedSize(data.length);
        ImageFormat format = ImageFormat.sniff(data);
        ImageReader reader = readerFor(format);
        List<String> warnings = new ArrayList<>();
        BufferedImage image;
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(data))) {
            reader.setInput(in, true, true);
            reader.addIIOReadWarningListener(collect(warnings));
            checkedHeader(format, reader);
            image = reader.read(0);
        } catch (IOException | RuntimeException e) {
            throw undecodable(format, e);
        } finally {
            reader.dispose();
        }
        for (String w : warnings) {
            String lower = w.toLowerCase(Locale.ROOT);
            if (lower.contains("premature") || lower.contains("truncat")) {
                throw new Qwen2VlException("image_undecodable", format + " image is truncated: " + w);
            }
        }
        RgbImage rgb = RgbConverter.toRgb(image, format == ImageFormat.PNG && isSixteenBitGreyPng(data));
        if (applyExifOrientation && format == ImageFormat.JPEG) {
            rgb = ExifOrientation.apply(rgb, ExifOrientation.read(data));
        }
        return rgb;
    }

    /** PNG IHDR: bit depth at byte 24, colour type at byte 25 (0 = grey without alpha channel). */
    private static boolean isSixteenBitGreyPng(byte[] png) {
        return png.length > 25 && png[24] == 16 && png[25] == 0;
    }

    private ImageHeader checkedHeader(ImageFormat format, ImageReader reader) throws IOException {
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        limits.checkDimensions(width, height);
        if ((double) Math.max(width, height) / Math.min(width, height) > SmartResize.MAX_ASPECT_RATIO) {
            throw new Qwen2VlException("aspect_ratio_too_large",
                    "absolute aspect ratio must be smaller than 200, got " + width + "x" + height);
        }
        return new ImageHeader(format, width, height);
    }

    private static Qwen2VlException undecodable(ImageFormat format, Exception e) {
        if (e instanceof Qwen2VlException q) {
            return q;
        }
        String detail = e instanceof IIOException || e.getMessage() != null ? e.getMessage() : e.toString();
        return new Qwen2VlException("image_undecodable", "cannot decode " + format + " image: " + detail, e);
    }

    /**
     * Picks the reader by sniffed format. For JPEG the TwelveMonkeys reader is preferred: the JDK one rejects
     * CMYK/YCCK files and some broken ICC profiles.
     */
    private static ImageReader readerFor(ImageFormat format) {
        List<ImageReaderSpi> candidates = new ArrayList<>();
        IIORegistry.getDefaultInstance().getServiceProviders(ImageReaderSpi.class, spi ->
                Arrays.asList(((ImageReaderSpi) spi).getFormatNames()).contains(format.imageIoName()), true)
                .forEachRemaining(candidates::add);
        ImageReaderSpi chosen = candidates.stream()
                .filter(spi -> format != ImageFormat.JPEG || spi.getClass().getName().startsWith("com.twelvemonkeys"))
                .findFirst()
                .orElse(candidates.isEmpty() ? null : candidates.getFirst());
        if (chosen == null) {
            throw new Qwen2VlException("unsupported_image_format", "no decoder installed for " + format);
        }
        try {
            return chosen.createReaderInstance();
        } catch (IOException e) {
            throw new Qwen2VlException("unsupported_image_format", "cannot create a " + format + " decoder", e);
        }
    }

    private static IIOReadWarningListener collect(List<String> warnings) {
        return (source, warning) -> warnings.add(warning);
    }
}
