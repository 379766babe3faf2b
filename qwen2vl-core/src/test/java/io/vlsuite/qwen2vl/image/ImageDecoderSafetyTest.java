package io.vlsuite.qwen2vl.image;

import io.vlsuite.qwen2vl.Qwen2VlException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Hostile and broken inputs: rejected with stable codes, and before pixels are allocated where the header lies. */
class ImageDecoderSafetyTest {

    private final ImageDecoder decoder = new ImageDecoder();

    @Test
    void pngHeaderClaimingTenGigapixelsIsRejectedBeforeDecoding() {
        // A 100000x100000 RGBA raster would need 40 GB: only a header-time check can reject this without OOM.
        byte[] bomb = pngHeaderOnly(100_000, 100_000);
        assertCode(() -> decoder.decode(bomb), "image_too_large");
        assertCode(() -> decoder.readHeader(bomb), "image_too_large");
    }

    @Test
    void jpegHeaderClaimingHugeSizeIsRejectedBeforeDecoding() throws IOException {
        byte[] jpeg = encode(new BufferedImage(16, 16, BufferedImage.TYPE_3BYTE_BGR), "jpeg");
        // Patch the SOF0 frame header's height/width to 60000x60000 (3.6 gigapixels).
        for (int i = 2; i < jpeg.length - 9; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xC0) {
                jpeg[i + 5] = jpeg[i + 7] = (byte) (60000 >> 8);
                jpeg[i + 6] = jpeg[i + 8] = (byte) (60000 & 0xFF);
                break;
            }
        }
        assertCode(() -> decoder.decode(jpeg), "image_too_large");
    }

    @Test
    void sideLimitAndPixelLimitAreConfigurable() throws IOException {
        assertCode(() -> decoder.decode(pngHeaderOnly(20_001, 200)), "image_too_large");
        byte[] png = encode(new BufferedImage(100, 50, BufferedImage.TYPE_3BYTE_BGR), "png");
        assertThat(decoder.decode(png).width()).isEqualTo(100);
        assertCode(() -> new ImageDecoder(new ImageLimits(1 << 20, 4999, 20_000), true).decode(png), "image_too_large");
        assertCode(() -> new ImageDecoder(new ImageLimits(1 << 20, 40_000, 99), true).decode(png), "image_too_large");
        assertCode(() -> new ImageDecoder(new ImageLimits(png.length - 1, 40_000, 200), true).decode(png), "image_too_large");
    }

    @Test
    void extremeAspectRatioIsRejectedFromTheHeader() {
        assertCode(() -> decoder.decode(pngHeaderOnly(5000, 10)), "aspect_ratio_too_large");
    }

    @Test
    void unknownFormatsAreRejectedByMagicBytes() {
        assertCode(() -> decoder.decode("<svg xmlns='http://www.w3.org/2000/svg'/>".getBytes()), "unsupported_image_format");
        assertCode(() -> decoder.decode(new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0}), "unsupported_image_format"); // TIFF
        assertCode(() -> decoder.decode(new byte[0]), "unsupported_image_format");
    }

    @Test
    void truncatedFilesAreUndecodable() throws IOException {
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                img.setRGB(x, y, x * 4 << 16 | y * 4 << 8 | (x ^ y) * 4);
            }
        }
        byte[] png = encode(img, "png");
        byte[] jpeg = encode(img, "jpeg");
        assertCode(() -> decoder.decode(Arrays.copyOf(png, png.length / 2)), "image_undecodable");
        assertCode(() -> decoder.decode(Arrays.copyOf(jpeg, jpeg.length / 2)), "image_undecodable");
        assertCode(() -> decoder.decode(Arrays.copyOf(png, 40)), "image_undecodable");
    }

    @Test
    void headerIsReadWithoutDecoding() throws IOException {
        ImageHeader header = decoder.readHeader(Files.readAllBytes(ImageDecoderFormatsTest.DIR.resolve("exif-6.jpg")));
        assertThat(header).isEqualTo(new ImageHeader(ImageFormat.JPEG, 23, 17));
    }

    @Test
    void exifOrientationCanBeIgnoredForQwenVlUtilsCompatibility() {
        RgbImage stored = new ImageDecoder(ImageLimits.DEFAULT, false).decode(ImageDecoderFormatsTest.DIR.resolve("exif-6.jpg"));
        RgbImage rotated = decoder.decode(ImageDecoderFormatsTest.DIR.resolve("exif-6.jpg"));
        assertThat(new int[] {stored.width(), stored.height()}).containsExactly(23, 17);
        assertThat(new int[] {rotated.width(), rotated.height()}).containsExactly(17, 23);
    }

    private static void assertCode(ThrowingCallable call, String code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(Qwen2VlException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    static byte[] encode(BufferedImage img, String format) throws IOException {
        var out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(img, format, out)).isTrue();
        return out.toByteArray();
    }

    /** PNG signature + a valid IHDR (8-bit RGBA) + a tiny IDAT: a header that lies about the pixel data. */
    static byte[] pngHeaderOnly(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(8 + 25 + 14 + 12);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 6)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(b, "IHDR", ihdr.array());
        chunk(b, "IDAT", new byte[] {0x78, 0x01});
        chunk(b, "IEND", new byte[0]);
        return Arrays.copyOf(b.array(), b.position());
    }

    private static void chunk(ByteBuffer b, String type, byte[] data) {
        b.putInt(data.length);
        byte[] t = type.getBytes();
        b.put(t).put(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        b.putInt((int) crc.getValue());
    }
}
