package io.vlsuite.inference.engineserver;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The engine server ({@code vlsuite.inference.engine-server.*}): this service's engine served over Triton's gRPC
 * protocol.
 *
 * @param enabled               serve the engine (normally together with {@code worker.enabled=false})
 * @param port                  gRPC port (Triton's default is 8001)
 * @param bindAddress           interface to listen on
 * @param modelName             the model name clients address ({@code ensemble}, like TensorRT-LLM's)
 * @param maxInboundMessageSize largest request accepted (a request's pixel values are patches x 1176 x 4 bytes)
 */
@Validated
@ConfigurationProperties("vlsuite.inference.engine-server")
public record EngineServerSettings(
        @DefaultValue("false") boolean enabled,
        @Min(0) @Max(65535) @DefaultValue("8001") int port,
        @NotBlank @DefaultValue("0.0.0.0") String bindAddress,
        @NotBlank @DefaultValue("ensemble") String modelName,
        @NotNull @DefaultValue("256MB") DataSize maxInboundMessageSize) {
}
