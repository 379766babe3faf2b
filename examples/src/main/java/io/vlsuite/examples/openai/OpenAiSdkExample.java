package io.vlsuite.examples.openai;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code VLSUITE_API_KEY=... java -cp ... io.vlsuite.examples.openai.OpenAiSdkExample picture.png "Describe this image."}
 * against {@code VLSUITE_BASE_URL} (default {@code http://localhost:8080/v1}).
 */
public final class OpenAiSdkExample {

    private OpenAiSdkExample() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: OpenAiSdkExample <picture.png> <question>");
            System.exit(2);
        }
        byte[] png = Files.readAllBytes(Path.of(args[0]));
        String baseUrl = System.getenv().getOrDefault("VLSUITE_BASE_URL", "http://localhost:8080/v1");
        try (var client = new OpenAiSdkVisionClient(baseUrl, System.getenv("VLSUITE_API_KEY"), "vlsuite/tiny-trained")) {
            System.out.println("create():          " + client.ask(png, args[1]));
            System.out.println("createStreaming(): " + client.askStreaming(png, args[1]));
        }
    }
}
