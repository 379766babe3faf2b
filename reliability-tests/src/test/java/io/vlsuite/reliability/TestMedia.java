package io.vlsuite.reliability;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.CRC32;

/** Small images made in memory for bad-input and fuzz tests. */
final class TestMedia {

    private TestMedia() {
    }

    static byte[] image(String format, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLUE);
        g.fillOval(width / 4, height / 4, Math.max(1, width / 2), Math.max(1, height / 2));
        g.dispose();
        var out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A valid PNG signature and IHDR that announce {@code width x height}, with no pixel data behind them. */
    static byte[] pngHeaderOnly(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        ByteBuffer file = ByteBuffer.allocate(8 + 12 + 13 + 12);
        file.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        file.putInt(13).put("IHDR".getBytes());
        file.put(ihdr.array());
        CRC32 crc = new CRC32();
        crc.update("IHDR".getBytes());
        crc.update(ihdr.array());
        file.putInt((int) crc.getValue());
        file.putInt(0).put("IEND".getBytes()).putInt(0xAE426082);
        return file.array();
    }

    static String dataUrl(String mime, byte[] bytes) {
        return "data:" + mime + ";base64," + Base64.getEncoder().encodeToString(bytes);
    }

    static String chatWithImage(String url) {
        return "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\""
                + url + "\"}},{\"type\":\"text\",\"text\":\"Describe this image.\"}]}],\"max_tokens\":4,\"temperature\":0}";
    }
}
