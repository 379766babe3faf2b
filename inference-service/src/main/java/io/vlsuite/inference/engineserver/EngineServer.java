package io.vlsuite.inference.engineserver;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.vlsuite.inference.engine.InferenceEngine;
import io.vlsuite.qwen2vl.tokenizer.Qwen2Tokenizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * An {@link InferenceEngine} (in practice the embedded Java engine) served over Triton's gRPC protocol, so workers
 * configured for Triton can run on a pool of Java engine servers. Does not own the engine.
 */
public final class EngineServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EngineServer.class);

    private final Server server;
    private final EngineGrpcService service;

    private EngineServer(Server server, EngineGrpcService service) {
        this.server = server;
        this.service = service;
    }

    /**
     * Starts listening.
     *
     * @param port                  0 picks a free port
     * @param maxInboundMessageSize largest request accepted (pixel values of big images exceed gRPC's 4 MiB)
     */
    public static EngineServer start(InferenceEngine engine, Qwen2Tokenizer tokenizer, ServedModel model,
                                     String bindAddress, int port, int maxInboundMessageSize) {
        var service = new EngineGrpcService(engine, model, tokenizer);
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress(bindAddress, port))
                .maxInboundMessageSize(maxInboundMessageSize)
                .addService(service)
                .build();
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("engine server cannot listen on " + bindAddress + ":" + port, e);
        }
        log.info("engine server: model '{}' on Triton gRPC port {}", model.name(), server.getPort());
        return new EngineServer(server, service);
    }

    public int port() {
        return server.getPort();
    }

    /** Requests in flight on this server. */
    public int liveRequests() {
        return service.liveRequests();
    }

    /** Drops every call at once, as a crashed server would (clients see their streams break). */
    public void closeNow() {
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops accepting calls and gives running ones 5 s to finish before dropping them. */
    @Override
    public void close() {
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
        }
    }
}
