package io.vlsuite.inference.triton;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.util.List;

/**
 * The Triton engine ({@code vlsuite.inference.triton.*}, used when {@code vlsuite.inference.engine=triton}).
 *
 * @param endpoints              {@code host:port} of each Triton server or Java engine server; streams are spread
 *                               over them round-robin, skipping those whose health check fails
 * @param modelName              the model requests go to ({@code ensemble}, {@code tensorrt_llm}, ...)
 * @param modelVersion           empty: the server picks
 * @param profile                tensor-name layout of the model
 * @param stopModelName          where per-request stop requests go; empty: {@code tensorrt_llm} for the ensemble
 *                               profile, the model itself for the PyTorch one
 * @param maxStreams             open {@code ModelStreamInfer} calls
 * @param maxInFlightPerStream   requests in flight on one stream; capacity = streams x this
 * @param maxInboundMessageSize  largest response accepted (grpc-java's default of 4 MiB is too small for logits)
 * @param startupTimeout         how long start-up waits for every endpoint to answer ModelConfig
 * @param rpcTimeout             deadline of unary calls (health, model config)
 * @param stopTimeout            after a stop request, how long to wait for the server's final response before
 *                               ending the request locally
 * @param healthInterval         period of the ServerReady/ModelReady checks
 * @param tls                    TLS with the JVM's trust store (off: plaintext h2c, Triton's default)
 */
@Validated
@ConfigurationProperties("vlsuite.inference.triton")
public record TritonSettings(
        @NotEmpty @DefaultValue("localhost:8001") List<@NotBlank String> endpoints,
        @NotBlank @DefaultValue("ensemble") String modelName,
        @NotNull @DefaultValue("") String modelVersion,
        @NotNull @DefaultValue("ensemble") TritonProfile profile,
        @NotNull @DefaultValue("") String stopModelName,
        @Min(1) @Max(64) @DefaultValue("2") int maxStreams,
        @Min(1) @Max(4096) @DefaultValue("32") int maxInFlightPerStream,
        @NotNull @DefaultValue("64MB") DataSize maxInboundMessageSize,
        @NotNull @DefaultValue("60s") Duration startupTimeout,
        @NotNull @DefaultValue("5s") Duration rpcTimeout,
        @NotNull @DefaultValue("5s") Duration stopTimeout,
        @NotNull @DefaultValue("2s") Duration healthInterval,
        @DefaultValue("false") boolean tls) {

    /** Defaults for one model at the given endpoints (tests, tools). */
    public static TritonSettings of(List<String> endpoints, String modelName, TritonProfile profile) {
        return new TritonSettings(endpoints, modelName, "", profile, "", 2, 32, DataSize.ofMegabytes(64),
                Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(2), false);
    }

    public TritonSettings withStreams(int streams, int perStream) {
        return new TritonSettings(endpoints, modelName, modelVersion, profile, stopModelName, streams, perStream,
                maxInboundMessageSize, startupTimeout, rpcTimeout, stopTimeout, healthInterval, tls);
    }

    public TritonSettings withStartupTimeout(Duration timeout) {
        return new TritonSettings(endpoints, modelName, modelVersion, profile, stopModelName, maxStreams,
                maxInFlightPerStream, maxInboundMessageSize, timeout, rpcTimeout, stopTimeout, healthInterval, tls);
    }

    public TritonSettings withStopTimeout(Duration timeout) {
        return new TritonSettings(endpoints, modelName, modelVersion, profile, stopModelName, maxStreams,
                maxInFlightPerStream, maxInboundMessageSize, startupTimeout, rpcTimeout, timeout, healthInterval, tls);
    }

    public String effectiveStopModel() {
        return stopModelName.isBlank() ? profile.defaultStopModel(modelName) : stopModelName;
    }

    @AssertTrue(message = "timeouts and the health interval must be positive, the message size at least 4MB")
    public boolean isConsistent() {
        return startupTimeout.isPositive() && rpcTimeout.isPositive() && stopTimeout.isPositive()
                && healthInterval.isPositive() && maxInboundMessageSize.toBytes() >= 4L * 1024 * 1024;
    }
}
