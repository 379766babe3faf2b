package io.vlsuite.preprocess;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The public API service: OpenAI-compatible chat completions, async jobs, media intake, jobs into Kafka. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PreprocessServiceApplication {

    /**
     * The application with its own configuration file name ({@code preprocess-service.yml}), so that it can share
     * one JVM and one classpath with the other services in the standalone mode.
     */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(PreprocessServiceApplication.class)
                .properties("spring.config.name=preprocess-service");
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
