package io.vlsuite.qwen2vl.engine;

/** Why a request ended; {@link #wireName()} is the OpenAI/vLLM {@code finish_reason} string. */
public enum FinishReason {
    /** EOS, a stop token id or a stop string. */
    STOP("stop"),
    /** {@code max_tokens} or the model/pool length limit. */
    LENGTH("length"),
    /** {@code cancel(requestId)} or engine shutdown. */
    CANCELLED("cancelled"),
    /** The request's deadline passed, queued or running. */
    DEADLINE("deadline"),
    /** The model failed on a step that included this request. */
    ERROR("error");

    private final String wireName;

    FinishReason(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
