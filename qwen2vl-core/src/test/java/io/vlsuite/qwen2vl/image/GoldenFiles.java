package io.vlsuite.qwen2vl.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * Test access to the golden fixtures of {@code tiny-random} (produced by transformers with the PIL image processor)
 * and a minimal safetensors reader: 8-byte little-endian header length, JSON header, raw little-endian data.
 */
public final class GoldenFiles {

    public static final Path TINY_RANDOM = Path.of("src/test/resources/tiny-random").toAbsolutePath();
    public static final Path GOLDEN = TINY_RANDOM.resolve("golden");

    private GoldenFiles() {
    }

    public static JsonNode index() throws IOException {
        return new ObjectMapper().readTree(GOLDEN.resolve("index.json").toFile());
    }

    public static JsonNode goldenCase(String name) throws IOException {
        for (JsonNode c : index().get("cases")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no golden case " + name);
    }

    /** One tensor: dtype, shape and raw little-endian bytes. */
    public record Tensor(String dtype, long[] shape, ByteBuffer data) {
        public float[] floats() {
            float[] v = new float[data.remaining() / 4];
            data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
            return v;
        }

        public byte[] bytes() {
            byte[] v = new byte[data.remaining()];
            data.duplicate().get(v);
            return v;
        }

        public long[] longs() {
            long[] v = new long[data.remaining() / 8];
            data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(v);
            return v;
        }
    }

    public static Map<String, Tensor> readSafetensors(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen = (int) buf.getLong(0);
        JsonNode header = new ObjectMapper().readTree(new String(all, 8, headerLen, java.nio.charset.StandardCharsets.UTF_8));
        Map<String, Tensor> tensors = new java.util.LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = header.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            JsonNode t = e.getValue();
            long[] shape = new long[t.get("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = t.get("shape").get(i).asLong();
            }
            int begin = 8 + headerLen + t.get("data_offsets").get(0).asInt();
            int end = 8 + headerLen + t.get("data_offsets").get(1).asInt();
            tensors.put(e.getKey(), new Tensor(t.get("dtype").asText(), shape, ByteBuffer.wrap(all, begin, end - begin).slice()));
        }
        return tensors;
    }

    public static Map<String, Tensor> caseTensors(String name) throws IOException {
        return readSafetensors(GOLDEN.resolve(name + ".safetensors"));
    }

    public static float maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("length " + a.length + " != " + b.length);
        }
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
