package io.vlsuite.qwen2vl.image;

/**
 * EXIF orientation of a JPEG (tag 0x0112 in IFD0 of the APP1 "Exif" segment) and the transform that undoes it,
 * matching Pillow's {@code ImageOps.exif_transpose} (applied by transformers' {@code load_image}).
 *
 * <p>The parser is deliberately small and bounded: it walks JPEG marker segments up to the first scan, reads at most
 * one 64 KiB APP1 segment and touches only IFD0 entries, so metadata cannot cost more than a linear scan of the
 * header. Malformed metadata means "no orientation" (1), never an error: the pixels are still valid.
 */
public final class ExifOrientation {

    private ExifOrientation() {
    }

    /** Orientation 1..8 declared by the JPEG, or 1 when absent or unreadable. */
    public static int read(byte[] jpeg) {
        int p = 2; // after SOI
        while (p + 4 <= jpeg.length) {
            if ((jpeg[p] & 0xFF) != 0xFF) {
                return 1;
            }
            int marker = jpeg[p + 1] & 0xFF;
            if (marker == 0xFF) { // fill byte
                p++;
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) { // start of scan / end of image: no metadata after this
                return 1;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) { // standalone markers
                p += 2;
                continue;
            }
            int length = u16(jpeg, p + 2, false);
            if (length < 2 || p + 2 + length > jpeg.length) {
                return 1;
            }
            if (marker == 0xE1 && length >= 8 && isExifHeader(jpeg, p + 4)) {
                return parseTiff(jpeg, p + 10, p + 2 + length);
            }
            p += 2 + length;
        }
        return 1;
    }

    private static boolean isExifHeader(byte[] b, int at) {
        return b[at] == 'E' && b[at + 1] == 'x' && b[at + 2] == 'i' && b[at + 3] == 'f' && b[at + 4] == 0 && b[at + 5] == 0;
    }

    /** TIFF structure inside APP1: byte order, IFD0 offset, entries of 12 bytes. */
    private static int parseTiff(byte[] b, int start, int end) {
        if (start + 8 > end) {
            return 1;
        }
        boolean little;
        if (b[start] == 'I' && b[start + 1] == 'I') {
            little = true;
        } else if (b[start] == 'M' && b[start + 1] == 'M') {
            little = false;
        } else {
            return 1;
        }
        long ifd = u32(b, start + 4, little);
        if (ifd < 8 || start + ifd + 2 > end) {
            return 1;
        }
        int dir = (int) (start + ifd);
        int entries = u16(b, dir, little);
        for (int i = 0; i < entries; i++) {
            int e = dir + 2 + i * 12;
            if (e + 12 > end) {
                return 1;
            }
            if (u16(b, e, little) == 0x0112) {
                int type = u16(b, e + 2, little);
                int value = type == 3 ? u16(b, e + 8, little) : type == 4 ? (int) u32(b, e + 8, little) : 1;
                return value >= 1 && value <= 8 ? value : 1;
            }
        }
        return 1;
    }

    private static int u16(byte[] b, int at, boolean little) {
        int a = b[at] & 0xFF;
        int c = b[at + 1] & 0xFF;
        return little ? a | c << 8 : a << 8 | c;
    }

    private static long u32(byte[] b, int at, boolean little) {
        long hi = u16(b, at + (little ? 2 : 0), little);
        long lo = u16(b, at + (little ? 0 : 2), little);
        return hi << 16 | lo;
    }

    /**
     * Returns the image as it should be displayed: Pillow's mapping 2 = mirror, 3 = rotate 180, 4 = flip,
     * 5 = transpose, 6 = rotate 90 clockwise, 7 = transverse, 8 = rotate 90 counter-clockwise.
     */
    public static RgbImage apply(RgbImage in, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return in;
        }
        int w = in.width();
        int h = in.height();
        boolean swap = orientation >= 5;
        int ow = swap ? h : w;
        int oh = swap ? w : h;
        byte[] src = in.rgb();
        byte[] dst = new byte[src.length];
        int o = 0;
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++, o += 3) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - x; sy = y; }
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
                    case 4 -> { sx = x; sy = h - 1 - y; }
                    case 5 -> { sx = y; sy = x; }
                    case 6 -> { sx = y; sy = h - 1 - x; }
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }
                    default -> { sx = w - 1 - y; sy = x; } // 8
                }
                int s = (sy * w + sx) * 3;
                dst[o] = src[s];
                dst[o + 1] = src[s + 1];
                dst[o + 2] = src[s + 2];
            }
        }
        return new RgbImage(ow, oh, dst);
    }
}
