package io.vlsuite.qwen2vl.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vlsuite.qwen2vl.Qwen2VlException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * All tensors of a model folder: a single {@code model.safetensors}, or the shards listed by
 * {@code model.safetensors.index.json} ({@code weight_map: name -> shard file}), or failing both every
 * {@code *.safetensors} file in the folder.
 */
public final class SafeTensorsCheckpoint {

    public static final String INDEX_FILE = "model.safetensors.index.json";

    private final Map<String, TensorView> tensors;

    private SafeTensorsCheckpoint(Map<String, TensorView> tensors) {
        this.tensors = Collections.unmodifiableMap(tensors);
    }

    /** Opens a folder (index, single file or all shards) or a single {@code .safetensors} file. */
    public static SafeTensorsCheckpoint open(Path location) {
        Map<String, TensorView> all = new TreeMap<>();
        if (Files.isRegularFile(location)) {
            all.putAll(SafeTensorsFile.open(location).tensors());
            return new SafeTensorsCheckpoint(all);
        }
        if (!Files.isDirectory(location)) {
            throw new Qwen2VlException("model_not_found", "no model folder or file at " + location);
        }
        Path index = location.resolve(INDEX_FILE);
        if (Files.isRegularFile(index)) {
            Map<String, SafeTensorsFile> shards = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : readWeightMap(index).entrySet()) {
                SafeTensorsFile shard = shards.computeIfAbsent(e.getValue(),
                        f -> SafeTensorsFile.open(location.resolve(f)));
                all.put(e.getKey(), shard.get(e.getKey()));
            }
            return new SafeTensorsCheckpoint(all);
        }
        try (Stream<Path> files = Files.list(location)) {
            files.filter(p -> p.getFileName().toString().endsWith(".safetensors")).sorted()
                    .forEach(p -> all.putAll(SafeTensorsFile.open(p).tensors()));
        } catch (IOException e) {
            throw new Qwen2VlException("weights_unreadable", "cannot list " + location + ": " + e.getMessage(), e);
        }
        if (all.isEmpty()) {
            throw new Qwen2VlException("model_not_found", "no .safetensors files in " + location);
        }
        return new SafeTensorsCheckpoint(all);
    }

    private static Map<String, String> readWeightMap(Path index) {
        try {
            JsonNode map = new ObjectMapper().readTree(index.toFile()).path("weight_map");
            if (!map.isObject()) {
                throw new Qwen2VlException("invalid_safetensors", index + " has no weight_map object");
            }
            Map<String, String> out = new LinkedHashMap<>();
            map.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
            return out;
        } catch (IOException e) {
            throw new Qwen2VlException("weights_unreadable", "cannot read " + index + ": " + e.getMessage(), e);
        }
    }

    /** Builds a checkpoint from tensors already in memory (tests, random-weight benchmarks). */
    public static SafeTensorsCheckpoint of(Map<String, TensorView> tensors) {
        return new SafeTensorsCheckpoint(new TreeMap<>(tensors));
    }

    public Map<String, TensorView> tensors() {
        return tensors;
    }

    public Optional<TensorView> find(String name) {
        return Optional.ofNullable(tensors.get(name));
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }
}
