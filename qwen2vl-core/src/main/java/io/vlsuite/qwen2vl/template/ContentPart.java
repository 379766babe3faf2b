package io.vlsuite.qwen2vl.template;

import java.util.List;
import java.util.Objects;

/** One item of a multi-part message: text, an image or a video, in the order the user wrote them. */
public sealed interface ContentPart permits ContentPart.Text, ContentPart.Image, ContentPart.Video {

    /** User-written text (never interpreted as template or control tokens). */
    record Text(String text) implements ContentPart {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * An image.
     *
     * @param reference where it comes from as the client gave it (URL, data URI, path, media id), or null when the
     *                  pixels are supplied separately
     */
    record Image(String reference) implements ContentPart {
    }

    /**
     * A video.
     *
     * @param references one URL/id for a video file, or the URLs of its frames in order; empty when supplied
     *                   separately
     */
    record Video(List<String> references) implements ContentPart {
        public Video {
            references = List.copyOf(references);
        }
    }
}
