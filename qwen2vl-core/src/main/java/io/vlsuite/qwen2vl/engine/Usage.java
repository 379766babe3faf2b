package io.vlsuite.qwen2vl.engine;

/** Token counts of one request, as in OpenAI's {@code usage}. The EOS token counts as a completion token. */
public record Usage(int promptTokens, int completionTokens) {

    public int totalTokens() {
        return promptTokens + completionTokens;
    }
}
