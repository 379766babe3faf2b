package io.vlsuite.preprocess.chat;

import io.vlsuite.contracts.job.Sampling;
import io.vlsuite.preprocess.media.MediaOptions;
import io.vlsuite.preprocess.media.MediaSource;

import java.util.List;

/**
 * A validated chat completion request: the conversation with its media not yet fetched, decoding settings within
 * the server's limits, and how the answer is delivered.
 *
 * @param model        the model id (the configured one; other names were refused)
 * @param messages     the conversation
 * @param sampling     decoding settings for the worker
 * @param stream       answer as SSE chunks
 * @param includeUsage {@code stream_options.include_usage}: a final chunk with usage and no choices
 * @param mediaOptions per-request pixel budget ({@code mm_processor_kwargs})
 */
public record ChatRequest(String model, List<Message> messages, Sampling sampling, boolean stream, boolean includeUsage,
                          MediaOptions mediaOptions) {

    public int n() {
        return sampling.n() == null ? 1 : sampling.n();
    }

    public boolean logprobs() {
        return Boolean.TRUE.equals(sampling.logprobs());
    }

    public long mediaCount() {
        return messages.stream().flatMap(m -> m.parts().stream()).filter(p -> p instanceof Part.Media).count();
    }

    /** One message: {@code system}, {@code user} or {@code assistant}. */
    public record Message(String role, List<Part> parts) {
    }

    /** Text, or media still to be taken in. */
    public sealed interface Part {
        record Text(String text) implements Part {
        }

        record Media(MediaSource source) implements Part {
        }
    }
}
