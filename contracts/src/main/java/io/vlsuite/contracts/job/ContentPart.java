package io.vlsuite.contracts.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One part of a message's content: text, or a reference to stored media.
 *
 * @param type  {@code text}, {@code image} or {@code video}
 * @param text  the text for {@code text} parts
 * @param media the stored media for {@code image} and {@code video} parts
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ContentPart(String type, String text, MediaRef media) {

    public static ContentPart text(String text) {
        return new ContentPart("text", text, null);
    }

    public static ContentPart media(MediaRef media) {
        return new ContentPart(media.kind(), null, media);
    }
}
