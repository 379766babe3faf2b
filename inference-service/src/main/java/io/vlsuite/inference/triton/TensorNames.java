package io.vlsuite.inference.triton;

/**
 * Tensor names shared by the Triton client and the Java engine server. The TensorRT-LLM names come from the
 * {@code ensemble} and {@code llmapi/tensorrt_llm} model configurations; the ones marked "vlsuite" are optional
 * extensions only the Java engine server declares (the client sends a tensor only when the model declares it).
 */
public final class TensorNames {

    private TensorNames() {
    }

    public static final String TEXT_INPUT = "text_input";
    public static final String TEXT_OUTPUT = "text_output";
    public static final String STOP = "stop";

    // ensemble (inflight_batcher_llm / multimodal)
    public static final String MAX_TOKENS = "max_tokens";
    public static final String STREAM = "stream";
    public static final String TEMPERATURE = "temperature";
    public static final String TOP_K = "top_k";
    public static final String TOP_P = "top_p";
    public static final String SEED = "seed";
    /** The name of {@link #SEED} up to tensorrtllm_backend v0.19. */
    public static final String RANDOM_SEED = "random_seed";
    public static final String MIN_TOKENS = "min_tokens";
    /** The name of {@link #MIN_TOKENS} up to tensorrtllm_backend v0.19. */
    public static final String MIN_LENGTH = "min_length";
    public static final String REPETITION_PENALTY = "repetition_penalty";
    public static final String PRESENCE_PENALTY = "presence_penalty";
    public static final String FREQUENCY_PENALTY = "frequency_penalty";
    public static final String STOP_WORDS = "stop_words";
    public static final String EXCLUDE_INPUT_IN_OUTPUT = "exclude_input_in_output";
    public static final String RETURN_NUM_OUTPUT_TOKENS = "return_num_output_tokens";
    public static final String NUM_INPUT_TOKENS = "num_input_tokens";
    public static final String NUM_OUTPUT_TOKENS = "num_output_tokens";

    // llmapi tensorrt_llm (PyTorch backend)
    public static final String STREAMING = "streaming";
    public static final String SP_MAX_TOKENS = "sampling_param_max_tokens";
    public static final String SP_TEMPERATURE = "sampling_param_temperature";
    public static final String SP_TOP_K = "sampling_param_top_k";
    public static final String SP_TOP_P = "sampling_param_top_p";
    public static final String SP_SEED = "sampling_param_seed";
    public static final String SP_PRESENCE_PENALTY = "sampling_param_presence_penalty";
    public static final String SP_FREQUENCY_PENALTY = "sampling_param_frequency_penalty";
    public static final String SP_STOP = "sampling_param_stop";
    public static final String SP_EXCLUDE_INPUT = "sampling_param_exclude_input_from_output";
    public static final String RETURN_FINISH_REASON = "return_finish_reason";
    public static final String FINISH_REASON = "finish_reason";

    // vlsuite extensions (Java engine server)
    /** INT32 prompt ids with vision pads expanded: the server then needs no tokenizer and matches exactly. */
    public static final String INPUT_IDS = "input_ids";
    /** FP32 {@code [patches, 1176]}: every medium's normalised patches in prompt order (§2.2 {@code image_input}). */
    public static final String IMAGE_INPUT = "image_input";
    /** INT64 {@code [media, 3]}: the {@code t,h,w} grid of each medium, in prompt order. */
    public static final String IMAGE_GRID_THW = "image_grid_thw";
    public static final String IGNORE_EOS = "ignore_eos";
    public static final String MIN_P = "min_p";
    public static final String STOP_TOKEN_IDS = "stop_token_ids";
    public static final String SKIP_SPECIAL_TOKENS = "skip_special_tokens";
    /** INT32 token ids generated since the previous response. */
    public static final String OUTPUT_IDS = "output_ids";

    // parameters
    public static final String FINAL_RESPONSE = "triton_final_response";
    public static final String ENABLE_EMPTY_FINAL = "triton_enable_empty_final_response";
    /** vlsuite response parameter on an error: whether running the request again may succeed. */
    public static final String RETRYABLE = "vlsuite_retryable";
    /** vlsuite request parameter: {@code interactive} or {@code batch}. */
    public static final String LANE = "vlsuite_lane";
}
