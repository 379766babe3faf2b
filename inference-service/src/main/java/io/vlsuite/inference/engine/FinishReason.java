package io.vlsuite.inference.engine;

/** Why a request ended; {@link #wireName()} is the OpenAI/vLLM {@code finish_reason}. */
public enum FinishReason {
    /** EOS, a stop token id or a stop string. */
    STOP("stop"),
    /** {@code max_tokens} or the model's length limit. */
    LENGTH("length"),
    /** {@link InferenceHandle#cancel()} or engine shutdown. */
    CANCELLED("cancelled"),
    /** The request's deadline passed. */
    DEADLINE("deadline");

    private final String wireName;

    FinishReason(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
