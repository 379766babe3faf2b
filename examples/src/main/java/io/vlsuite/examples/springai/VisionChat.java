package io.vlsuite.examples.springai;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.stereotype.Component;
import org.springframework.util.MimeTypeUtils;
import reactor.core.publisher.Flux;

/**
 * Asks vlsuite about a picture through Spring AI's {@link ChatClient}. The picture travels as a {@code Media} of PNG
 * bytes, which Spring AI sends as an {@code image_url} part with a {@code data:image/png;base64,...} URL.
 */
@Component
public class VisionChat {

    private final ChatClient chatClient;

    public VisionChat(ChatClient.Builder builder) {
        this.chatClient = builder.build();
    }

    /** The whole answer at once ({@code .call()}). */
    public String ask(byte[] png, String question) {
        return chatClient.prompt()
                .user(user -> user.text(question).media(MimeTypeUtils.IMAGE_PNG, new ByteArrayResource(png)))
                .call()
                .content();
    }

    /** The answer as it is generated ({@code .stream()}, server-sent events underneath). */
    public Flux<String> askStreaming(byte[] png, String question) {
        return chatClient.prompt()
                .user(user -> user.text(question).media(MimeTypeUtils.IMAGE_PNG, new ByteArrayResource(png)))
                .stream()
                .content();
    }
}
