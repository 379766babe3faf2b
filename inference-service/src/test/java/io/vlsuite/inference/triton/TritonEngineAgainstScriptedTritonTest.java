package io.vlsuite.inference.triton;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.vlsuite.contracts.triton.DataType;
import io.vlsuite.contracts.triton.GRPCInferenceServiceGrpc;
import io.vlsuite.contracts.triton.ModelConfigRequest;
import io.vlsuite.contracts.triton.ModelConfigResponse;
import io.vlsuite.contracts.triton.ModelInferRequest;
import io.vlsuite.contracts.triton.ModelReadyRequest;
import io.vlsuite.contracts.triton.ModelReadyResponse;
import io.vlsuite.contracts.triton.ModelStreamInferResponse;
import io.vlsuite.contracts.triton.ServerReadyRequest;
import io.vlsuite.contracts.triton.ServerReadyResponse;
import io.vlsuite.inference.engine.Completion;
import io.vlsuite.inference.engine.FinishReason;
import io.vlsuite.qwen2vl.sampling.SamplingParams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.vlsuite.inference.triton.TensorNames.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Triton engine against a scripted server that behaves like Triton with the TensorRT-LLM ensemble (text
 * pieces only, no token ids or finish reason; stop requests go to {@code tensorrt_llm}), over real loopback gRPC.
 */
class TritonEngineAgainstScriptedTritonTest {

    /** What the scripted server does when a stop request arrives. */
    enum OnStop { IGNORE, CANCEL_WITH_ERROR }

    final List<ModelInferRequest> received = new CopyOnWriteArrayList<>();
    Server server;
    TritonEngine engine;

    void start(OnStop onStop, int pieces, boolean finish) throws Exception {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(
                new GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase() {
                    @Override
                    public void serverReady(ServerReadyRequest r, StreamObserver<ServerReadyResponse> out) {
                        out.onNext(ServerReadyResponse.newBuilder().setReady(true).build());
                        out.onCompleted();
                    }

                    @Override
                    public void modelReady(ModelReadyRequest r, StreamObserver<ModelReadyResponse> out) {
                        out.onNext(ModelReadyResponse.newBuilder().setReady(true).build());
                        out.onCompleted();
                    }

                    @Override
                    public void modelConfig(ModelConfigRequest r, StreamObserver<ModelConfigResponse> out) {
                        out.onNext(ModelConfigResponse.newBuilder().setConfig(TritonProtocolTest.ensembleConfig()
                                .addInput(TritonProtocolTest.input(SEED, DataType.TYPE_UINT64))).build());
                        out.onCompleted();
                    }

                    @Override
                    public StreamObserver<ModelInferRequest> modelStreamInfer(StreamObserver<ModelStreamInferResponse> out) {
                        return new StreamObserver<>() {
                            @Override
                            public synchronized void onNext(ModelInferRequest r) {
                                received.add(r);
                                if (r.getModelName().equals("tensorrt_llm")) {
                                    if (onStop == OnStop.CANCEL_WITH_ERROR) {
                                        // What the ensemble reports for a request the backend cancelled.
                                        out.onNext(ModelStreamInferResponse.newBuilder().setErrorMessage("Request was cancelled")
                                                .setInferResponse(TritonProtocolTest.response(r.getId(), true)).build());
                                    }
                                    return;
                                }
                                for (int i = 0; i < pieces; i++) {
                                    out.onNext(TritonProtocolTest.streamed(TritonProtocolTest.text(
                                            TritonProtocolTest.response(r.getId(), false), "w" + i + " ")));
                                }
                                if (finish) {
                                    out.onNext(TritonProtocolTest.streamed(TritonProtocolTest.response(r.getId(), true)));
                                }
                            }

                            @Override
                            public void onError(Throwable t) {
                            }

                            @Override
                            public void onCompleted() {
                                out.onCompleted();
                            }
                        };
                    }
                }).build().start();
        engine = TritonEngine.connect(TritonSettings.of(List.of("127.0.0.1:" + server.getPort()), "ensemble",
                TritonProfile.ENSEMBLE).withStopTimeout(Duration.ofMillis(300)));
    }

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
        if (server != null) {
            server.shutdownNow();
        }
    }

    @Test
    void textPiecesWithoutTokenIdsOrFinishReasonEndAsLengthAtMaxTokens() throws Exception {
        start(OnStop.IGNORE, 3, true);
        var r = new TritonEngineServerEndToEndTest.Recorder();
        engine.submit(TritonProtocolTest.request(SamplingParams.builder().temperature(0.8).seed(7L).maxTokens(3).build()), r);
        Completion c = r.done.get(10, TimeUnit.SECONDS);
        assertThat(c.text()).isEqualTo("w0 w1 w2 ");
        assertThat(c.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(c.tokenIds()).isEmpty();
        assertThat(c.usage().completionTokens()).isEqualTo(3);
        assertThat(r.calls).containsExactly("started", "delta", "delta", "delta", "completed");
        var sent = Tensor.of(received.getFirst());
        assertThat(sent.get(SEED).int64()).isEqualTo(7L);
        assertThat(sent.get(TEMPERATURE).float32()).isEqualTo(0.8f);
        assertThat(received.getFirst().getParametersMap().get(ENABLE_EMPTY_FINAL).getBoolParam()).isTrue();
    }

    @Test
    void aStopGoesToTensorrtLlmWithTheSameIdAndAnUnansweredStopEndsTheRequestAfterTheStopTimeout() throws Exception {
        start(OnStop.IGNORE, 1, false);
        var r = new TritonEngineServerEndToEndTest.Recorder();
        var handle = engine.submit(TritonProtocolTest.request(SamplingParams.greedy(100)), r);
        assertThat(r.firstDelta.await(10, TimeUnit.SECONDS)).isTrue();
        long t0 = System.nanoTime();
        handle.cancel();
        handle.cancel(); // idempotent: one stop request
        Completion c = r.done.get(10, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
        assertThat(c.finishReason()).isEqualTo(FinishReason.CANCELLED);
        assertThat(c.text()).isEqualTo("w0 ");
        assertThat(received).hasSize(2);
        ModelInferRequest stop = received.get(1);
        assertThat(stop.getModelName()).isEqualTo("tensorrt_llm");
        assertThat(stop.getId()).isEqualTo(received.getFirst().getId()).startsWith("job-1#");
        assertThat(Tensor.of(stop).get(STOP).bool()).isTrue();
        assertThat(engine.load().running()).isZero();
    }

    @Test
    void theErrorTheServerReportsForAStoppedRequestEndsItAsCancelledNotFailed() throws Exception {
        start(OnStop.CANCEL_WITH_ERROR, 1, false);
        var r = new TritonEngineServerEndToEndTest.Recorder();
        var handle = engine.submit(TritonProtocolTest.request(SamplingParams.greedy(100)), r);
        assertThat(r.firstDelta.await(10, TimeUnit.SECONDS)).isTrue();
        handle.cancel();
        Completion c = r.done.get(10, TimeUnit.SECONDS);
        assertThat(c.finishReason()).isEqualTo(FinishReason.CANCELLED);
        assertThat(r.calls).doesNotContain("failed");
    }

    @Test
    void aDeadlineSendsAStopAndEndsWithDeadline() throws Exception {
        start(OnStop.CANCEL_WITH_ERROR, 1, false);
        var r = new TritonEngineServerEndToEndTest.Recorder();
        var req = TritonProtocolTest.request(SamplingParams.greedy(100));
        engine.submit(new io.vlsuite.inference.engine.InferenceRequest(req.requestId(), req.promptText(),
                req.promptTokenIds(), List.of(), req.sampling(), req.lane(), java.time.Instant.now().plusMillis(200)), r);
        assertThat(r.done.get(10, TimeUnit.SECONDS).finishReason()).isEqualTo(FinishReason.DEADLINE);
        assertThat(received).extracting(ModelInferRequest::getModelName).containsExactly("ensemble", "tensorrt_llm");
    }

    @Test
    void closingTheEngineEndsUnfinishedRequestsAsCancelledAndRefusesNewOnes() throws Exception {
        start(OnStop.IGNORE, 1, false);
        var r = new TritonEngineServerEndToEndTest.Recorder();
        engine.submit(TritonProtocolTest.request(SamplingParams.greedy(100)), r);
        assertThat(r.firstDelta.await(10, TimeUnit.SECONDS)).isTrue();
        engine.close();
        assertThat(r.done.get(5, TimeUnit.SECONDS).finishReason()).isEqualTo(FinishReason.CANCELLED);
        assertThat(r.calls).doesNotContain("failed");
        assertThat(engine.ready()).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> engine.submit(
                        TritonProtocolTest.request(SamplingParams.greedy(1)), new TritonEngineServerEndToEndTest.Recorder()))
                .isInstanceOfSatisfying(io.vlsuite.inference.engine.InferenceException.class,
                        e -> assertThat(e.code()).isEqualTo("engine_shut_down"));
    }
}
