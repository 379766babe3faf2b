package io.vlsuite.qwen2vl.template;

import io.vlsuite.qwen2vl.Qwen2VlException;
import io.vlsuite.qwen2vl.tokenizer.Qwen2Tokenizer;
import io.vlsuite.qwen2vl.tokenizer.TextSpan;

import java.nio.file.Path;
import java.util.List;

/**
 * Messages + media grids -> model input ids: renders the chat template, tokenizes with message text protected
 * (special-token strings typed by a user stay plain text; only the template's own markers are control tokens), then
 * expands the media placeholders.
 *
 * <p>For the reference cases (no special-token strings in messages) the ids equal those of Hugging Face's
 * {@code apply_chat_template} + processor. Thread-safe.
 */
public final class PromptBuilder {

    /** Qwen2-VL's {@code spatial_merge_size}. */
    public static final int DEFAULT_MERGE_SIZE = 2;

    private final Qwen2Tokenizer tokenizer;
    private final ChatTemplate template;
    private final PromptExpander expander;

    public PromptBuilder(Qwen2Tokenizer tokenizer, ChatTemplate template, int mergeSize) {
        this.tokenizer = tokenizer;
        this.template = template;
        this.expander = PromptExpander.forTokenizer(tokenizer, mergeSize);
    }

    /** Tokenizer and chat template of a model folder, merge size 2. */
    public static PromptBuilder load(Path modelDir) {
        return new PromptBuilder(Qwen2Tokenizer.load(modelDir), ChatTemplate.load(modelDir), DEFAULT_MERGE_SIZE);
    }

    public Qwen2Tokenizer tokenizer() {
        return tokenizer;
    }

    public ChatTemplate template() {
        return template;
    }

    /**
     * @param grids one per image/video part, in the order they appear in the messages
     * @throws Qwen2VlException {@code media_count_mismatch}, {@code media_kind_mismatch}, or
     *                          {@code special_token_in_text} when the template rewrites message text (so it cannot
     *                          be protected) and that text contains a special-token string
     */
    public ChatPrompt build(List<ChatMessage> messages, ChatOptions options, List<MediaGrid> grids) {
        RenderedPrompt rendered = template.renderWithUserSpans(messages, options);
        List<TextSpan> protectedSpans = rendered.userSpans();
        if (!rendered.spansKnown()) {
            for (String text : rendered.userTexts()) {
                for (String special : tokenizer.specialTokenStrings()) {
                    if (text.contains(special)) {
                        throw new Qwen2VlException("special_token_in_text", "message text contains the control token "
                                + special + ", which this model's chat template cannot keep apart from its own");
                    }
                }
            }
            protectedSpans = List.of();
        }
        int[] ids = tokenizer.encode(rendered.text(), protectedSpans);
        return new ChatPrompt(rendered.text(), expander.expand(ids, grids));
    }
}
