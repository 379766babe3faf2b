package io.vlsuite.preprocess.jobs;

import io.vlsuite.contracts.job.ChatMessage;
import io.vlsuite.contracts.job.ContentPart;
import io.vlsuite.preprocess.chat.ChatRequest;
import io.vlsuite.preprocess.media.MediaIntake;
import io.vlsuite.preprocess.problem.ApiException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;

/**
 * Takes in the media of a validated request through the media pipeline ({@link MediaIntake}), one part after the
 * other, and returns the conversation as the job record carries it. Its failures (blocked URL, too many pixels, ...)
 * propagate with their own codes.
 */
@Component
public class MediaResolver {

    private final ObjectProvider<MediaIntake> intake;

    public MediaResolver(ObjectProvider<MediaIntake> intake) {
        this.intake = intake;
    }

    public List<ChatMessage> resolve(ChatRequest request, String tenant) {
        List<ChatMessage> messages = new ArrayList<>();
        for (ChatRequest.Message message : request.messages()) {
            List<ContentPart> parts = new ArrayList<>();
            for (ChatRequest.Part part : message.parts()) {
                parts.add(switch (part) {
                    case ChatRequest.Part.Text text -> ContentPart.text(text.text());
                    case ChatRequest.Part.Media media -> ContentPart.media(
                            intake().ingest(media.source(), request.mediaOptions(), tenant));
                });
            }
            messages.add(new ChatMessage(message.role(), parts));
        }
        return messages;
    }

    private MediaIntake intake() {
        MediaIntake available = intake.getIfAvailable();
        if (available == null) {
            throw new ApiException(501, "media_not_supported", "this deployment has no media pipeline");
        }
        return available;
    }
}
