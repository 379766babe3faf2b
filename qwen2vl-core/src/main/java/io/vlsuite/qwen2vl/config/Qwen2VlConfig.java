package io.vlsuite.qwen2vl.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vlsuite.qwen2vl.Qwen2VlException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A model folder's {@code config.json} (and the stop ids of {@code generation_config.json}).
 *
 * <p>Two layouts exist in the wild and both are read: the flat layout of the published checkpoints (text keys at
 * the top level, {@code rope_scaling: {type: mrope, mrope_section}}) and the nested layout transformers 5
 * writes ({@code text_config}, {@code vision_config}, {@code rope_parameters}). Values always come from the
 * file: transformers' class defaults differ from the released models (e.g. {@code rms_norm_eps}).
 */
public record Qwen2VlConfig(
        TextConfig text,
        VisionConfig vision,
        int imageTokenId,
        int videoTokenId,
        int visionStartTokenId,
        int visionEndTokenId,
        boolean tieWordEmbeddings,
        int[] eosTokenIds) {

    public static final String CONFIG_FILE = "config.json";
    public static final String GENERATION_CONFIG_FILE = "generation_config.json";

    public static Qwen2VlConfig load(Path modelDir) {
        Path file = modelDir.resolve(CONFIG_FILE);
        if (!Files.isRegularFile(file)) {
            throw new Qwen2VlException("model_not_found", "no " + CONFIG_FILE + " in " + modelDir);
        }
        ObjectMapper json = new ObjectMapper();
        try {
            JsonNode root = json.readTree(file.toFile());
            Path generation = modelDir.resolve(GENERATION_CONFIG_FILE);
            JsonNode generationRoot = Files.isRegularFile(generation) ? json.readTree(generation.toFile()) : null;
            return parse(root, generationRoot);
        } catch (IOException e) {
            throw new Qwen2VlException("invalid_config", "cannot parse " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses {@code config.json}; {@code generationConfig} (may be null) supplies the stop ids when present. */
    public static Qwen2VlConfig parse(JsonNode root, JsonNode generationConfig) {
        JsonNode textNode = root.has("text_config") && root.get("text_config").isObject()
                ? root.get("text_config") : root;
        JsonNode ropeNode = firstObject(textNode, root, "rope_parameters", "rope_scaling");
        int hidden = requireInt(textNode, root, "hidden_size");
        int heads = requireInt(textNode, root, "num_attention_heads");
        int headDim = hidden / heads;
        int[] mrope = ropeNode != null && ropeNode.has("mrope_section")
                ? intArray(ropeNode.get("mrope_section"))
                : new int[] {headDim / 2, 0, 0};
        if (mrope.length != 3 || mrope[0] + mrope[1] + mrope[2] != headDim / 2) {
            throw new Qwen2VlException("invalid_config", "mrope_section " + java.util.Arrays.toString(mrope)
                    + " must have 3 entries summing to head_dim/2 = " + headDim / 2);
        }
        double ropeTheta = ropeNode != null && ropeNode.has("rope_theta") ? ropeNode.get("rope_theta").asDouble()
                : optionalDouble(textNode, root, "rope_theta", 1_000_000.0);
        TextConfig text = new TextConfig(
                requireInt(textNode, root, "vocab_size"),
                hidden,
                requireInt(textNode, root, "intermediate_size"),
                requireInt(textNode, root, "num_hidden_layers"),
                heads,
                textNode.has("num_key_value_heads") ? textNode.get("num_key_value_heads").asInt()
                        : optionalInt(root, "num_key_value_heads", heads),
                (float) optionalDouble(textNode, root, "rms_norm_eps", 1e-6),
                ropeTheta,
                mrope);

        JsonNode v = root.path("vision_config");
        if (!v.isObject()) {
            throw new Qwen2VlException("invalid_config", "config.json has no vision_config");
        }
        int embedDim = requireInt(v, v, "embed_dim");
        double mlpRatio = v.has("mlp_ratio") ? v.get("mlp_ratio").asDouble() : 4.0;
        VisionConfig vision = new VisionConfig(
                requireInt(v, v, "depth"),
                embedDim,
                v.has("hidden_size") ? v.get("hidden_size").asInt() : hidden,
                requireInt(v, v, "num_heads"),
                (int) (embedDim * mlpRatio),
                v.has("in_channels") ? v.get("in_channels").asInt() : 3,
                v.path("patch_size").asInt(14),
                v.path("spatial_merge_size").asInt(2),
                v.path("temporal_patch_size").asInt(2),
                v.path("rope_parameters").path("rope_theta").asDouble(10_000.0));

        // tie_word_embeddings belongs to the top level (transformers PR #44976); the published 2B sets it true.
        boolean tie = root.has("tie_word_embeddings") ? root.get("tie_word_embeddings").asBoolean()
                : textNode.path("tie_word_embeddings").asBoolean(false);
        int[] eos = eosIds(generationConfig != null && generationConfig.has("eos_token_id")
                ? generationConfig.get("eos_token_id")
                : textNode.has("eos_token_id") ? textNode.get("eos_token_id") : root.path("eos_token_id"));
        return new Qwen2VlConfig(text, vision,
                optionalInt(root, "image_token_id", 151655),
                optionalInt(root, "video_token_id", 151656),
                optionalInt(root, "vision_start_token_id", 151652),
                optionalInt(root, "vision_end_token_id", 151653),
                tie, eos);
    }

    private static int[] eosIds(JsonNode node) {
        List<Integer> ids = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> ids.add(n.asInt()));
        } else if (node.isNumber()) {
            ids.add(node.asInt());
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    private static JsonNode firstObject(JsonNode primary, JsonNode fallback, String... keys) {
        for (JsonNode node : new JsonNode[] {primary, fallback}) {
            for (String key : keys) {
                if (node.path(key).isObject()) {
                    return node.get(key);
                }
            }
        }
        return null;
    }

    private static int requireInt(JsonNode primary, JsonNode fallback, String key) {
        JsonNode n = primary.has(key) ? primary.get(key) : fallback.get(key);
        if (n == null || !n.isNumber()) {
            throw new Qwen2VlException("invalid_config", "config.json is missing '" + key + "'");
        }
        return n.asInt();
    }

    private static int optionalInt(JsonNode node, String key, int fallback) {
        return node.path(key).isNumber() ? node.get(key).asInt() : fallback;
    }

    private static double optionalDouble(JsonNode primary, JsonNode fallback, String key, double dflt) {
        if (primary.path(key).isNumber()) {
            return primary.get(key).asDouble();
        }
        return fallback.path(key).isNumber() ? fallback.get(key).asDouble() : dflt;
    }

    private static int[] intArray(JsonNode node) {
        int[] out = new int[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = node.get(i).asInt();
        }
        return out;
    }

    /** The released Qwen2-VL-2B-Instruct shape (used by the benchmark with random weights). */
    public static Qwen2VlConfig qwen2Vl2B() {
        return new Qwen2VlConfig(
                new TextConfig(151936, 1536, 8960, 28, 12, 2, 1e-6f, 1_000_000.0, new int[] {16, 24, 24}),
                new VisionConfig(32, 1280, 1536, 16, 5120, 3, 14, 2, 2, 10_000.0),
                151655, 151656, 151652, 151653, true, new int[] {151645, 151643});
    }
}
