package io.vlsuite.qwen2vl.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the {@code preprocess} command's output ({@code F32} pixel values and the {@code U8} resized image) as a
 * {@code .safetensors} file that Python's {@code safetensors.numpy.load_file} reads, for side-by-side comparison
 * with the reference processor.
 */
final class PreprocessTensorWriter {

    private record Entry(String name, String dtype, long[] shape, byte[] data) {
    }

    private final List<Entry> entries = new ArrayList<>();

    PreprocessTensorWriter f32(String name, float[] values, long... shape) {
        ByteBuffer buf = ByteBuffer.allocate(Math.multiplyExact(4, values.length)).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(values);
        entries.add(new Entry(name, "F32", shape, buf.array()));
        return this;
    }

    PreprocessTensorWriter u8(String name, byte[] values, long... shape) {
        entries.add(new Entry(name, "U8", shape, values));
        return this;
    }

    void write(Path path) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode header = json.createObjectNode();
        long offset = 0;
        for (Entry e : entries) {
            ObjectNode t = header.putObject(e.name());
            t.put("dtype", e.dtype());
            var shape = t.putArray("shape");
            for (long d : e.shape()) {
                shape.add(d);
            }
            t.putArray("data_offsets").add(offset).add(offset + e.data().length);
            offset += e.data().length;
        }
        byte[] headerJson = json.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        // Pad the header with spaces so tensor data starts 8-byte aligned, as the reference writer does.
        int padded = (headerJson.length + 7) / 8 * 8;
        byte[] headerBytes = new byte[padded];
        java.util.Arrays.fill(headerBytes, (byte) ' ');
        System.arraycopy(headerJson, 0, headerBytes, 0, headerJson.length);
        try (OutputStream out = Files.newOutputStream(path)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
            out.write(headerBytes);
            for (Entry e : entries) {
                out.write(e.data());
            }
        }
    }
}
