package io.vlsuite.qwen2vl.engine;

/**
 * Token counts of one request, as in OpenAI's {@code usage}. The EOS token counts as a completion token;
 * {@code cachedPromptTokens} ({@code prompt_tokens_details.cached_tokens}) were served from the prefix cache.
 */
public record Usage(int promptTokens, int completionTokens, int cachedPromptTokens) {

    public Usage(int promptTokens, int completionTokens) {
        this(promptTokens, completionTokens, 0);
    }

    public int totalTokens() {
        return promptTokens + completionTokens;
    }
}
