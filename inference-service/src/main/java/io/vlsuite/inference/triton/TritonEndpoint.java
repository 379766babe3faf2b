package io.vlsuite.inference.triton;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.vlsuite.contracts.triton.GRPCInferenceServiceGrpc;
import io.vlsuite.contracts.triton.ModelConfigRequest;
import io.vlsuite.contracts.triton.ModelConfig;
import io.vlsuite.contracts.triton.ModelReadyRequest;
import io.vlsuite.contracts.triton.ServerReadyRequest;

import java.util.concurrent.TimeUnit;

/** One Triton server (or Java engine server): its channel, and whether its last health check passed. */
final class TritonEndpoint {

    private final String target;
    private final ManagedChannel channel;
    private final TritonSettings settings;
    private volatile boolean ready;

    TritonEndpoint(String target, TritonSettings settings) {
        this.target = target;
        this.settings = settings;
        var builder = NettyChannelBuilder.forTarget(target)
                .maxInboundMessageSize((int) Math.min(Integer.MAX_VALUE, settings.maxInboundMessageSize().toBytes()));
        if (settings.tls()) {
            builder.useTransportSecurity();
        } else {
            builder.usePlaintext();
        }
        this.channel = builder.build();
    }

    String target() {
        return target;
    }

    ManagedChannel channel() {
        return channel;
    }

    String modelName() {
        return settings.modelName();
    }

    boolean ready() {
        return ready;
    }

    ModelConfig modelConfig() {
        return blocking().modelConfig(ModelConfigRequest.newBuilder().setName(settings.modelName())
                .setVersion(settings.modelVersion()).build()).getConfig();
    }

    /** ServerReady and ModelReady; any failure counts as not ready. */
    boolean checkHealth() {
        try {
            ready = blocking().serverReady(ServerReadyRequest.getDefaultInstance()).getReady()
                    && blocking().modelReady(ModelReadyRequest.newBuilder().setName(settings.modelName())
                    .setVersion(settings.modelVersion()).build()).getReady();
        } catch (StatusRuntimeException e) {
            ready = false;
        }
        return ready;
    }

    private GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub blocking() {
        return GRPCInferenceServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(settings.rpcTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    void shutdown() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
