package io.vlsuite.inference.prepare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vlsuite.qwen2vl.Qwen2VlException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The model's own decoding defaults ({@code generation_config.json}), used for every sampling field a job leaves
 * null, as vLLM does with {@code --generation-config auto}. Qwen2-VL-Instruct ships {@code top_k = 1}, so unset
 * requests decode greedily (argmax of the penalised logits); {@code do_sample: false} means greedy too.
 *
 * @param temperature       default temperature (0 = greedy)
 * @param topP              default nucleus mass
 * @param topK              default top-k (0 = off)
 * @param repetitionPenalty default repetition penalty
 */
public record GenerationDefaults(double temperature, double topP, int topK, double repetitionPenalty) {

    /** vLLM's own defaults, for a model folder without {@code generation_config.json}. */
    public static final GenerationDefaults VLLM = new GenerationDefaults(1.0, 1.0, 0, 1.0);

    public static GenerationDefaults load(Path modelDir) {
        Path file = modelDir.resolve("generation_config.json");
        if (!Files.isRegularFile(file)) {
            return VLLM;
        }
        try {
            return fromJson(new ObjectMapper().readTree(file.toFile()));
        } catch (IOException e) {
            throw new Qwen2VlException("invalid_model_dir", "unreadable " + file + ": " + e.getMessage(), e);
        }
    }

    static GenerationDefaults fromJson(JsonNode json) {
        boolean doSample = json.path("do_sample").asBoolean(true);
        double temperature = doSample ? json.path("temperature").asDouble(VLLM.temperature) : 0.0;
        return new GenerationDefaults(temperature, json.path("top_p").asDouble(VLLM.topP),
                json.path("top_k").asInt(VLLM.topK), json.path("repetition_penalty").asDouble(VLLM.repetitionPenalty));
    }
}
