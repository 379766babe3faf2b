package io.vlsuite.inference.triton;

import com.google.protobuf.ByteString;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Triton's BYTES tensor in {@code raw_input_contents} / {@code raw_output_contents}: each element is a uint32
 * little-endian length followed by that many bytes, no terminator, no padding. (Typed {@code bytes_contents}
 * carry no prefix; forgetting the prefix in raw contents is the classic Java-client bug.)
 */
public final class BytesTensor {

    private BytesTensor() {
    }

    public static ByteString encode(List<byte[]> elements) {
        int size = 0;
        for (byte[] e : elements) {
            size += 4 + e.length;
        }
        ByteBuffer buf = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        for (byte[] e : elements) {
            buf.putInt(e.length).put(e);
        }
        return ByteString.copyFrom(buf.flip());
    }

    public static ByteString encodeStrings(List<String> elements) {
        return encode(elements.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList());
    }

    /**
     * Splits a raw BYTES blob into its elements.
     *
     * @throws TritonProtocolException when a length prefix is cut short or points past the end of the blob
     */
    public static List<byte[]> decode(ByteString raw) {
        ByteBuffer buf = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> out = new ArrayList<>();
        while (buf.hasRemaining()) {
            if (buf.remaining() < 4) {
                throw new TritonProtocolException("BYTES tensor: " + buf.remaining()
                        + " trailing bytes cannot hold a 4-byte length prefix");
            }
            long len = Integer.toUnsignedLong(buf.getInt());
            if (len > buf.remaining()) {
                throw new TritonProtocolException("BYTES tensor: element of " + len + " bytes but only "
                        + buf.remaining() + " left");
            }
            byte[] element = new byte[(int) len];
            buf.get(element);
            out.add(element);
        }
        return out;
    }
}
