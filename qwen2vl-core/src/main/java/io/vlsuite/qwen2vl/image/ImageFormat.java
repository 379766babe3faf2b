package io.vlsuite.qwen2vl.image;

import io.vlsuite.qwen2vl.Qwen2VlException;

/**
 * The accepted image formats, recognised by their magic bytes (never by file name or declared MIME type, which
 * clients control). Anything else is {@code unsupported_image_format}: keeping the list short keeps exotic
 * decoders (SVG, TIFF, PSD, ...) and their vulnerabilities out of reach.
 */
public enum ImageFormat {
    PNG("png"),
    JPEG("jpeg"),
    GIF("gif"),
    BMP("bmp"),
    WEBP("webp");

    private final String imageIoName;

    ImageFormat(String imageIoName) {
        this.imageIoName = imageIoName;
    }

    /** Format name as registered with {@code javax.imageio}. */
    public String imageIoName() {
        return imageIoName;
    }

    /** Identifies the format from the first bytes of the file. */
    public static ImageFormat sniff(byte[] data) {
        if (startsWith(data, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return PNG;
        }
        if (startsWith(data, 0, 0xFF, 0xD8, 0xFF)) {
            return JPEG;
        }
        if (startsWith(data, 0, 'G', 'I', 'F', '8') && data.length > 5 && (data[4] == '7' || data[4] == '9') && data[5] == 'a') {
            return GIF;
        }
        if (startsWith(data, 0, 'R', 'I', 'F', 'F') && startsWith(data, 8, 'W', 'E', 'B', 'P')) {
            return WEBP;
        }
        if (startsWith(data, 0, 'B', 'M') && data.length >= 26) {
            return BMP;
        }
        throw new Qwen2VlException("unsupported_image_format",
                "not a PNG, JPEG, GIF, BMP or WebP image (unrecognised leading bytes)");
    }

    private static boolean startsWith(byte[] data, int offset, int... magic) {
        if (data.length < offset + magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((data[offset + i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
