package io.vlsuite.qwen2vl.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vlsuite.qwen2vl.Qwen2VlException;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@code .safetensors} file mapped read-only into memory with the Foreign Function &amp; Memory API.
 *
 * <p>Layout: 8-byte little-endian header length, a JSON header {@code {name: {dtype, shape, data_offsets}}},
 * then the raw tensor bytes. Mapping (instead of reading) keeps multi-gigabyte BF16 checkpoints out of the Java
 * heap and lets the kernels read the weights in place; a {@link MemorySegment} has 64-bit offsets, so files
 * and shards above 2 GB need no special handling. The mapping lives in an automatic arena: it is released
 * when no tensor view of the file is reachable any more.
 */
public final class SafeTensorsFile {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    private final Path path;
    private final Map<String, TensorView> tensors;
    private final Map<String, String> metadata;

    private SafeTensorsFile(Path path, Map<String, TensorView> tensors, Map<String, String> metadata) {
        this.path = path;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    public static SafeTensorsFile open(Path path) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw invalid(path, "file is shorter than the 8-byte header length");
            }
            MemorySegment file = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, Arena.ofAuto());
            long headerLength = file.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
            if (headerLength <= 0 || headerLength > MAX_HEADER_BYTES || 8 + headerLength > size) {
                throw invalid(path, "header length " + headerLength + " does not fit a file of " + size + " bytes");
            }
            byte[] headerBytes = file.asSlice(8, headerLength).toArray(ValueLayout.JAVA_BYTE);
            JsonNode header = JSON.readTree(new String(headerBytes, StandardCharsets.UTF_8));
            long dataStart = 8 + headerLength;
            Map<String, TensorView> tensors = new LinkedHashMap<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> entry : header.properties()) {
                String name = entry.getKey();
                JsonNode node = entry.getValue();
                if (name.equals("__metadata__")) {
                    node.properties().forEach(m -> metadata.put(m.getKey(), m.getValue().asText()));
                    continue;
                }
                DType dtype = DType.parse(node.path("dtype").asText(), name);
                JsonNode shapeNode = node.path("shape");
                long[] shape = new long[shapeNode.size()];
                long count = 1;
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = shapeNode.get(i).asLong();
                    count *= shape[i];
                }
                long begin = node.path("data_offsets").path(0).asLong(-1);
                long end = node.path("data_offsets").path(1).asLong(-1);
                if (begin < 0 || end < begin || dataStart + end > size || end - begin != count * dtype.byteSize()) {
                    throw invalid(path, "tensor '" + name + "' has inconsistent data_offsets [" + begin + ", " + end
                            + "] for " + dtype + " shape " + java.util.Arrays.toString(shape));
                }
                tensors.put(name, new TensorView(name, dtype, shape, file.asSlice(dataStart + begin, end - begin)));
            }
            return new SafeTensorsFile(path, Collections.unmodifiableMap(tensors),
                    Collections.unmodifiableMap(metadata));
        } catch (IOException e) {
            throw new Qwen2VlException("weights_unreadable", "cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static Qwen2VlException invalid(Path path, String why) {
        return new Qwen2VlException("invalid_safetensors", path + ": " + why);
    }

    public Path path() {
        return path;
    }

    public Map<String, TensorView> tensors() {
        return tensors;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public TensorView get(String name) {
        TensorView t = tensors.get(name);
        if (t == null) {
            throw new Qwen2VlException("missing_tensor", path + " has no tensor '" + name + "'");
        }
        return t;
    }
}
