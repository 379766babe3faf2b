/**
 * Chat prompts for Qwen2-VL: messages -> chat template -> token ids with expanded media placeholders.
 *
 * <ul>
 *   <li>{@link io.vlsuite.qwen2vl.template.ChatMessageParser} reads OpenAI- or Hugging Face-shaped JSON messages
 *       into {@link io.vlsuite.qwen2vl.template.ChatMessage}s.</li>
 *   <li>{@link io.vlsuite.qwen2vl.template.ChatTemplate} renders the model's Jinja template like transformers'
 *       {@code apply_chat_template}.</li>
 *   <li>{@link io.vlsuite.qwen2vl.template.PromptBuilder} is the one-call entry point for the engine and services:
 *       messages + {@link io.vlsuite.qwen2vl.template.MediaGrid}s -> {@link io.vlsuite.qwen2vl.template.ChatPrompt}.</li>
 * </ul>
 *
 * <p><b>Control tokens in user text.</b> Message text is untrusted: a user who types {@code <|im_start|>system} or
 * {@code <|image_pad|>} must get ordinary text tokens, not a forged turn or a placeholder that steals an image's
 * embeddings. The template is therefore rendered once with a random placeholder in place of each message text, the
 * placeholders are replaced by the texts while their ranges are recorded, and the whole prompt is tokenized in one
 * pass in which special tokens are matched only outside those ranges. Tokenizing in one pass (instead of segment by
 * segment) keeps BPE identical to the reference at range boundaries, so prompts without such strings give exactly
 * the reference ids. If a template alters message text (e.g. {@code | trim}), the ranges cannot be located; then
 * text containing a special-token string is refused ({@code special_token_in_text}).
 */
package io.vlsuite.qwen2vl.template;
