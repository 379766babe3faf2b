package io.vlsuite.qwen2vl.template;

import io.vlsuite.qwen2vl.tokenizer.TextSpan;

import java.util.List;

/**
 * A rendered chat prompt plus where the user-written text landed in it.
 *
 * @param text       the prompt exactly as the template renders it
 * @param userSpans  ranges of {@code text} that came from message content (to be tokenized without special
 *                   tokens); meaningful only when {@code spansKnown}
 * @param userTexts  every message text that was given to the template
 * @param spansKnown false when the template transformed message text (trimmed it, for example) so the ranges could
 *                   not be located; callers must then check {@code userTexts} themselves
 */
public record RenderedPrompt(String text, List<TextSpan> userSpans, List<String> userTexts, boolean spansKnown) {
    public RenderedPrompt {
        userSpans = List.copyOf(userSpans);
        userTexts = List.copyOf(userTexts);
    }
}
