package io.vlsuite.contracts.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;

/** A chat message with its content normalised to parts ({@code system}, {@code user} or {@code assistant}). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChatMessage(String role, List<ContentPart> content) {
}
