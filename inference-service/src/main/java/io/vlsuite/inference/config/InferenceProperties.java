package io.vlsuite.inference.config;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import java.nio.file.Path;

/**
 * Settings of the inference workers ({@code vlsuite.inference.*}).
 *
 * @param modelDir folder of the model the embedded engine loads (config.json, safetensors, tokenizer)
 * @param engine   which engine runs the jobs
 */
@Validated
@ConfigurationProperties("vlsuite.inference")
public record InferenceProperties(@NotBlank String modelDir, @NotNull EngineKind engine) {

    /**
     * The model folder as a file-system path. Kept as a string in the binding: Spring's String-to-Path conversion
     * goes through resource loading, which rejects relative paths such as {@code ../models/tiny-trained}.
     */
    public Path modelPath() {
        return Path.of(modelDir);
    }

    /** The engines behind the one engine interface. */
    public enum EngineKind {
        /** The pure-Java Qwen2-VL engine in this process. */
        EMBEDDED,
        /** Triton Inference Server with TensorRT-LLM, over gRPC. */
        TRITON
    }
}
