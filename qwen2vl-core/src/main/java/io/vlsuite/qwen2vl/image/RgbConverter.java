package io.vlsuite.qwen2vl.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * Converts a decoded {@link BufferedImage} to {@link RgbImage} the way Pillow's {@code convert("RGB")} would
 * convert the same file:
 * <ul>
 *   <li>alpha is dropped, not composited (transparent pixels keep their stored colour);</li>
 *   <li>grey is replicated to R=G=B from the raw samples (Java's {@code getRGB} would apply a gamma curve to
 *       grey images and change the values);</li>
 *   <li>palette images look up their palette;</li>
 *   <li>16-bit RGB(A) and grey+alpha keep the high byte (Pillow unpacks them as 8-bit), while 16-bit grey
 *       without alpha is clipped to 255 (Pillow opens it as {@code I;16} and {@code I;16 -> RGB} clips).</li>
 * </ul>
 * Reads whole rows from the raster, never {@code getRGB} per pixel.
 */
final class RgbConverter {

    private RgbConverter() {
    }

    static RgbImage toRgb(BufferedImage img) {
        return toRgb(img, false);
    }

    /**
     * @param sixteenBitGreyHasNoAlpha true when the file's own colour type is 16-bit grey without alpha channel
     *                                 (PNG colour type 0): Java adds an alpha band for a tRNS chunk, but Pillow still
     *                                 opens such a file as {@code I;16} and clips instead of taking the high byte
     */
    static RgbImage toRgb(BufferedImage img, boolean sixteenBitGreyHasNoAlpha) {
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
        Raster raster = img.getRaster();
        if (img.getColorModel() instanceof IndexColorModel icm) {
            palette(raster, icm, w, h, out);
        } else if (interleavedBytes(img)) {
            interleaved(img, w, h, out);
        } else if (img.getColorModel() instanceof ComponentColorModel ccm
                && (ccm.getColorSpace().getType() == ColorSpace.TYPE_GRAY || ccm.getColorSpace().getType() == ColorSpace.TYPE_RGB)) {
            components(raster, ccm, w, h, out, sixteenBitGreyHasNoAlpha);
        } else {
            // Packed-int and other models (e.g. 16/32-bit BMP): the colour model does the unpacking.
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                img.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0, o = y * w * 3; x < w; x++, o += 3) {
                    int argb = row[x];
                    out[o] = (byte) (argb >> 16);
                    out[o + 1] = (byte) (argb >> 8);
                    out[o + 2] = (byte) argb;
                }
            }
        }
        return new RgbImage(w, h, out);
    }

    /** 8-bit sRGB images stored as interleaved bytes (what JPEG, PNG and WebP decoders mostly produce). */
    private static boolean interleavedBytes(BufferedImage img) {
        return img.getColorModel() instanceof ComponentColorModel ccm
                && ccm.getColorSpace().isCS_sRGB()
                && img.getRaster().getDataBuffer() instanceof DataBufferByte
                && img.getRaster().getSampleModel() instanceof ComponentSampleModel sm
                && sm.getNumBands() >= 3
                && img.getRaster().getSampleModelTranslateX() == 0
                && img.getRaster().getSampleModelTranslateY() == 0;
    }

    private static void interleaved(BufferedImage img, int w, int h, byte[] out) {
        Raster raster = img.getRaster();
        ComponentSampleModel sm = (ComponentSampleModel) raster.getSampleModel();
        byte[][] banks = ((DataBufferByte) raster.getDataBuffer()).getBankData();
        int[] bankIdx = sm.getBankIndices();
        int[] offs = sm.getBandOffsets();
        int stride = sm.getScanlineStride();
        int pix = sm.getPixelStride();
        byte[] r = banks[bankIdx[0]];
        byte[] g = banks[bankIdx[1]];
        byte[] b = banks[bankIdx[2]];
        int base = raster.getDataBuffer().getOffset();
        for (int y = 0; y < h; y++) {
            int p = base + y * stride;
            int o = y * w * 3;
            for (int x = 0; x < w; x++, p += pix, o += 3) {
                out[o] = r[p + offs[0]];
                out[o + 1] = g[p + offs[1]];
                out[o + 2] = b[p + offs[2]];
            }
        }
    }

    private static void palette(Raster raster, IndexColorModel icm, int w, int h, byte[] out) {
        int size = icm.getMapSize();
        byte[] reds = new byte[size];
        byte[] greens = new byte[size];
        byte[] blues = new byte[size];
        icm.getReds(reds);
        icm.getGreens(greens);
        icm.getBlues(blues);
        int[] idx = new int[w];
        for (int y = 0; y < h; y++) {
            raster.getSamples(0, y, w, 1, 0, idx);
            for (int x = 0, o = y * w * 3; x < w; x++, o += 3) {
                int i = Math.min(idx[x], size - 1);
                out[o] = reds[i];
                out[o + 1] = greens[i];
                out[o + 2] = blues[i];
            }
        }
    }

    private static void components(Raster raster, ComponentColorModel ccm, int w, int h, byte[] out,
                                   boolean sixteenBitGreyHasNoAlpha) {
        boolean gray = ccm.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
        int bands = raster.getNumBands();
        int bits = ccm.getComponentSize(0);
        boolean sixteen = raster.getTransferType() == DataBuffer.TYPE_USHORT || bits > 8;
        boolean clipInsteadOfShift = gray && sixteen && (sixteenBitGreyHasNoAlpha || !ccm.hasAlpha());
        int[] row = new int[w * bands];
        for (int y = 0; y < h; y++) {
            raster.getPixels(0, y, w, 1, row);
            for (int x = 0, o = y * w * 3; x < w; x++, o += 3) {
                int p = x * bands;
                if (gray) {
                    int v = to8(row[p], bits, sixteen, clipInsteadOfShift);
                    out[o] = out[o + 1] = out[o + 2] = (byte) v;
                } else {
                    out[o] = (byte) to8(row[p], bits, sixteen, false);
                    out[o + 1] = (byte) to8(row[p + 1], bits, sixteen, false);
                    out[o + 2] = (byte) to8(row[p + 2], bits, sixteen, false);
                }
            }
        }
    }

    private static int to8(int v, int bits, boolean sixteen, boolean clip) {
        if (sixteen) {
            return clip ? Math.min(v, 255) : v >>> (bits - 8);
        }
        if (bits < 8) { // 1/2/4-bit grey: Pillow scales to the full 0..255 range
            int max = (1 << bits) - 1;
            return v * 255 / max;
        }
        return v;
    }
}
