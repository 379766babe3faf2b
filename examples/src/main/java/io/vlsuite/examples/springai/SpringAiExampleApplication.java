package io.vlsuite.examples.springai;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Spring Boot application that asks vlsuite about a PNG with Spring AI 2.0's OpenAI starter.
 *
 * <pre>
 * VLSUITE_API_KEY=... java -cp ... io.vlsuite.examples.springai.SpringAiExampleApplication picture.png "Describe this image."
 * </pre>
 *
 * Its settings are in {@code spring-ai-example.properties} (not {@code application.properties}, so that they never
 * leak into other Spring applications on the same classpath, such as the suite the tests start in-process).
 */
@SpringBootApplication
public class SpringAiExampleApplication {

    /** The config file name, without extension; see the class comment. */
    public static final String CONFIG_NAME = "spring-ai-example";

    /** A non-web context with the Spring AI beans; {@code args} may override any property ({@code --name=value}). */
    public static ConfigurableApplicationContext start(String... args) {
        return new SpringApplicationBuilder(SpringAiExampleApplication.class)
                .web(WebApplicationType.NONE)
                .properties("spring.config.name=" + CONFIG_NAME)
                .run(args);
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: SpringAiExampleApplication <picture.png> <question> [--spring.ai.openai.base-url=...]");
            System.exit(2);
        }
        byte[] png = Files.readAllBytes(Path.of(args[0]));
        String question = args[1];
        try (ConfigurableApplicationContext context = start(args)) {
            VisionChat chat = context.getBean(VisionChat.class);
            System.out.println("call():   " + chat.ask(png, question));
            System.out.print("stream(): ");
            chat.askStreaming(png, question).doOnNext(System.out::print).blockLast();
            System.out.println();
        }
    }
}
