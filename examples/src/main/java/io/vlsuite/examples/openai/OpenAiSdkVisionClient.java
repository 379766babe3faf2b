package io.vlsuite.examples.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.vlsuite.examples.DataUrls;

import java.util.List;

/**
 * Asks vlsuite about a picture with the official OpenAI Java SDK. The picture goes inline as a {@code data:} URL in an
 * {@code image_url} part, before the question (the order Qwen2-VL's own examples use).
 */
public final class OpenAiSdkVisionClient implements AutoCloseable {

    private final OpenAIClient client;
    private final String model;

    /**
     * @param baseUrl the server's API root, ending in {@code /v1} (the SDK appends {@code chat/completions})
     * @param apiKey  sent as {@code Authorization: Bearer ...}
     * @param model   the served model id, e.g. {@code vlsuite/tiny-trained}
     */
    public OpenAiSdkVisionClient(String baseUrl, String apiKey, String model) {
        this.client = OpenAIOkHttpClient.builder().baseUrl(baseUrl).apiKey(apiKey).build();
        this.model = model;
    }

    /** The whole answer at once. */
    public String ask(byte[] png, String question) {
        ChatCompletion completion = client.chat().completions().create(params(png, question));
        return completion.choices().getFirst().message().content().orElse("");
    }

    /** The answer assembled from the streamed deltas (SSE). */
    public String askStreaming(byte[] png, String question) {
        StringBuilder answer = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params(png, question))) {
            // The last chunk (usage) has no choices; deltas without content (the role, the finish) add nothing.
            stream.stream()
                    .flatMap(chunk -> chunk.choices().stream())
                    .flatMap(choice -> choice.delta().content().stream())
                    .forEach(answer::append);
        }
        return answer.toString();
    }

    private ChatCompletionCreateParams params(byte[] png, String question) {
        ChatCompletionContentPart image = ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
                .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder().url(DataUrls.png(png)).build())
                .build());
        ChatCompletionContentPart text = ChatCompletionContentPart.ofText(
                ChatCompletionContentPartText.builder().text(question).build());
        return ChatCompletionCreateParams.builder()
                .model(model)
                .addUserMessageOfArrayOfContentParts(List.of(image, text))
                // Greedy decoding: the same picture and question always give the same answer.
                .temperature(0.0)
                .maxCompletionTokens(64)
                .build();
    }

    @Override
    public void close() {
        client.close();
    }
}
