package io.vlsuite.qwen2vl.template;

/**
 * Switches of the chat template.
 *
 * @param addGenerationPrompt end the prompt with the opening of an assistant turn (what generation needs)
 * @param addVisionId         label media "Picture 1: ", "Video 1: " (useful with several images)
 */
public record ChatOptions(boolean addGenerationPrompt, boolean addVisionId) {

    /** Generation prompt on, vision ids off: what the reference processor does by default. */
    public static final ChatOptions DEFAULT = new ChatOptions(true, false);
}
