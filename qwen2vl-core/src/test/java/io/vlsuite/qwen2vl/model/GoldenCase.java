package io.vlsuite.qwen2vl.model;

import io.vlsuite.qwen2vl.image.MediaKind;
import io.vlsuite.qwen2vl.image.VisionInput;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vlsuite.qwen2vl.safetensors.SafeTensorsFile;
import io.vlsuite.qwen2vl.safetensors.TensorView;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One case of {@code tiny-random/golden/index.json} with its reference tensors (transformers, float32). */
record GoldenCase(String name, JsonNode meta, SafeTensorsFile tensors) {

    static Path tinyRandomDir() {
        try {
            return Path.of(GoldenCase.class.getResource("/tiny-random/config.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<GoldenCase> all() throws IOException {
        Path golden = tinyRandomDir().resolve("golden");
        JsonNode index = new ObjectMapper().readTree(golden.resolve("index.json").toFile());
        List<GoldenCase> cases = new ArrayList<>();
        for (JsonNode c : index.get("cases")) {
            String name = c.get("name").asText();
            cases.add(new GoldenCase(name, c, SafeTensorsFile.open(golden.resolve(name + ".safetensors"))));
        }
        return cases;
    }

    Optional<TensorView> tensor(String name) {
        return Optional.ofNullable(tensors.tensors().get(name));
    }

    int[] inputIds() {
        return tensors.get("input_ids").toIntArray();
    }

    /** The case's images and videos in prompt order, with grids from the index. */
    List<VisionInput> visionInputs() {
        List<VisionInput> inputs = new ArrayList<>();
        int image = 0;
        int video = 0;
        for (JsonNode media : meta.get("media")) {
            JsonNode g = media.get("grid_thw");
            boolean isVideo = media.has("video_frames");
            String key = isVideo ? "video" + video++ : "image" + image++;
            float[] pixels = tensors.get(key + ".pixel_values").toFloatArray();
            int[] grid = {g.get(0).asInt(), g.get(1).asInt(), g.get(2).asInt()};
            inputs.add(new VisionInput(pixels, grid[0] * grid[1] * grid[2], grid,
                    isVideo ? MediaKind.VIDEO : MediaKind.IMAGE));
        }
        return inputs;
    }

    @Override
    public String toString() {
        return name;
    }
}
