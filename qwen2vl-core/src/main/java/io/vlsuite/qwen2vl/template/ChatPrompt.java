package io.vlsuite.qwen2vl.template;

/**
 * A prompt ready for the model.
 *
 * @param text     the rendered chat template (one placeholder per medium, as the template wrote it)
 * @param inputIds token ids with every placeholder expanded to its medium's token count
 */
public record ChatPrompt(String text, int[] inputIds) {
}
