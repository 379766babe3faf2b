package io.vlsuite.qwen2vl.template;

import io.vlsuite.qwen2vl.Qwen2VlException;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One chat turn. Content is either a plain string ({@link #text()} non-null) or a list of parts
 * ({@link #parts()} non-null); the chat template renders the two differently, so the distinction is kept.
 *
 * @param role  {@code system}, {@code user}, {@code assistant}, ... (a plain identifier; it is written into the
 *              prompt verbatim)
 * @param text  string content, or null
 * @param parts multi-part content, or null
 */
public record ChatMessage(String role, String text, List<ContentPart> parts) {

    private static final Pattern ROLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,31}");

    public ChatMessage {
        if (role == null || !ROLE.matcher(role).matches()) {
            throw new Qwen2VlException("invalid_role", "message role must be a short identifier such as 'user', got "
                    + (role == null ? "none" : "'" + role + "'"));
        }
        if ((text == null) == (parts == null)) {
            throw new IllegalArgumentException("exactly one of text and parts must be given");
        }
        parts = parts == null ? null : List.copyOf(parts);
    }

    public static ChatMessage of(String role, String text) {
        return new ChatMessage(role, text, null);
    }

    public static ChatMessage of(String role, List<ContentPart> parts) {
        return new ChatMessage(role, null, parts);
    }

    /** Images and videos of this message, in order. */
    public List<ContentPart> media() {
        return parts == null ? List.of() : parts.stream().filter(p -> !(p instanceof ContentPart.Text)).toList();
    }
}
