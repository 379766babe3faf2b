package io.vlsuite.preprocess.config;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the public API service ({@code vlsuite.preprocess.*}).
 *
 * @param modelId the model name clients pass as {@code model} and see in {@code GET /v1/models}
 */
@Validated
@ConfigurationProperties("vlsuite.preprocess")
public record PreprocessProperties(@NotBlank String modelId) {
}
