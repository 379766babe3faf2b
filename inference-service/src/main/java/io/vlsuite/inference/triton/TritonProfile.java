package io.vlsuite.inference.triton;

import java.util.List;

import static io.vlsuite.inference.triton.TensorNames.*;

/**
 * Which TensorRT-LLM model layout the client talks to: the tensor names differ, the protocol does not.
 * Optional tensors are listed with their historic names (first declared one wins), because Triton rejects a
 * request carrying a tensor the model does not declare.
 */
public enum TritonProfile {

    /** {@code all_models/inflight_batcher_llm/ensemble} or {@code all_models/multimodal/ensemble} (TRT engines). */
    ENSEMBLE(MAX_TOKENS, STREAM, TEMPERATURE, TOP_K, TOP_P, List.of(SEED, RANDOM_SEED), List.of(MIN_TOKENS, MIN_LENGTH),
            REPETITION_PENALTY, PRESENCE_PENALTY, FREQUENCY_PENALTY, STOP_WORDS),

    /** {@code all_models/llmapi/tensorrt_llm}: the PyTorch-backend Python model. */
    PYTORCH(SP_MAX_TOKENS, STREAMING, SP_TEMPERATURE, SP_TOP_K, SP_TOP_P, List.of(SP_SEED), List.of(), null,
            SP_PRESENCE_PENALTY, SP_FREQUENCY_PENALTY, SP_STOP);

    public final String maxTokens;
    public final String stream;
    public final String temperature;
    public final String topK;
    public final String topP;
    public final List<String> seed;
    public final List<String> minTokens;
    /** null where the layout has none. */
    public final String repetitionPenalty;
    public final String presencePenalty;
    public final String frequencyPenalty;
    public final String stopStrings;

    TritonProfile(String maxTokens, String stream, String temperature, String topK, String topP, List<String> seed,
                  List<String> minTokens, String repetitionPenalty, String presencePenalty, String frequencyPenalty,
                  String stopStrings) {
        this.maxTokens = maxTokens;
        this.stream = stream;
        this.temperature = temperature;
        this.topK = topK;
        this.topP = topP;
        this.seed = seed;
        this.minTokens = minTokens;
        this.repetitionPenalty = repetitionPenalty;
        this.presencePenalty = presencePenalty;
        this.frequencyPenalty = frequencyPenalty;
        this.stopStrings = stopStrings;
    }

    /** Inputs the model must declare for this client to work at all. */
    public List<String> requiredInputs() {
        return List.of(TEXT_INPUT, maxTokens, stream);
    }

    /** Outputs the model must declare. */
    public List<String> requiredOutputs() {
        return List.of(TEXT_OUTPUT);
    }

    /**
     * Where per-request {@code stop} requests go: the ensemble has no {@code stop} input, so they go to the
     * {@code tensorrt_llm} model behind it; the PyTorch model takes them itself.
     */
    public String defaultStopModel(String modelName) {
        return this == ENSEMBLE ? "tensorrt_llm" : modelName;
    }
}
