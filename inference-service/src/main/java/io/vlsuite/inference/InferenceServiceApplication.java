package io.vlsuite.inference;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Kafka workers that run jobs on an engine (the embedded Java Qwen2-VL, or Triton over gRPC). */
@SpringBootApplication
@ConfigurationPropertiesScan
public class InferenceServiceApplication {

    /** The application with its own configuration file name ({@code inference-service.yml}). */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(InferenceServiceApplication.class)
                .properties("spring.config.name=inference-service");
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
