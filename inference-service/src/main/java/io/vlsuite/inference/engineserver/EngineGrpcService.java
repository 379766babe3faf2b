package io.vlsuite.inference.engineserver;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.vlsuite.contracts.triton.GRPCInferenceServiceGrpc;
import io.vlsuite.contracts.triton.ModelConfigRequest;
import io.vlsuite.contracts.triton.ModelConfigResponse;
import io.vlsuite.contracts.triton.ModelInferRequest;
import io.vlsuite.contracts.triton.ModelInferResponse;
import io.vlsuite.contracts.triton.ModelMetadataRequest;
import io.vlsuite.contracts.triton.ModelMetadataResponse;
import io.vlsuite.contracts.triton.ModelReadyRequest;
import io.vlsuite.contracts.triton.ModelReadyResponse;
import io.vlsuite.contracts.triton.ModelStreamInferResponse;
import io.vlsuite.contracts.triton.ServerLiveRequest;
import io.vlsuite.contracts.triton.ServerLiveResponse;
import io.vlsuite.contracts.triton.ServerReadyRequest;
import io.vlsuite.contracts.triton.ServerReadyResponse;
import io.vlsuite.inference.engine.Completion;
import io.vlsuite.inference.engine.EngineFailure;
import io.vlsuite.inference.engine.InferenceEngine;
import io.vlsuite.inference.engine.InferenceException;
import io.vlsuite.inference.engine.InferenceHandle;
import io.vlsuite.inference.engine.InferenceListener;
import io.vlsuite.inference.engine.TokenDelta;
import io.vlsuite.inference.triton.Tensor;
import io.vlsuite.qwen2vl.Qwen2VlException;
import io.vlsuite.qwen2vl.tokenizer.Qwen2Tokenizer;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Triton's {@code inference.GRPCInferenceService} in front of an {@link InferenceEngine}. Like Triton:
 * responses on a stream are matched by request id and end with {@code triton_final_response}; errors are in-band
 * and the stream stays open; cancelling the call cancels every request of that stream; a {@code stop=true}
 * request with a live request's id stops that request (addressed to the served model or to
 * {@code tensorrt_llm}, where TensorRT-LLM clients send it). Unlike Triton for decoupled models, unary
 * {@code ModelInfer} also works (one complete response).
 */
final class EngineGrpcService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {

    private final InferenceEngine engine;
    private final ServedModel model;
    private final RequestDecoder decoder;
    private final ResponseWriter writer;
    private final Set<String> stopTargets;
    /** Live requests by id, server-wide (a stop may come on another stream than its request). */
    private final Map<String, InferenceHandle> live = new ConcurrentHashMap<>();

    EngineGrpcService(InferenceEngine engine, ServedModel model, Qwen2Tokenizer tokenizer) {
        this.engine = engine;
        this.model = model;
        this.decoder = new RequestDecoder(tokenizer);
        this.writer = new ResponseWriter(model);
        this.stopTargets = Set.of(model.name(), "tensorrt_llm");
    }

    /** Requests running now (tests, metrics). */
    int liveRequests() {
        return live.size();
    }

    @Override
    public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> out) {
        out.onNext(ServerLiveResponse.newBuilder().setLive(true).build());
        out.onCompleted();
    }

    @Override
    public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> out) {
        out.onNext(ServerReadyResponse.newBuilder().setReady(engine.ready()).build());
        out.onCompleted();
    }

    @Override
    public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> out) {
        out.onNext(ModelReadyResponse.newBuilder().setReady(model.name().equals(request.getName()) && engine.ready())
                .build());
        out.onCompleted();
    }

    @Override
    public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> out) {
        if (!model.name().equals(request.getName())) {
            out.onError(unknownModel(request.getName()));
            return;
        }
        out.onNext(model.metadata());
        out.onCompleted();
    }

    @Override
    public void modelConfig(ModelConfigRequest request, StreamObserver<ModelConfigResponse> out) {
        if (!model.name().equals(request.getName())) {
            out.onError(unknownModel(request.getName()));
            return;
        }
        out.onNext(ModelConfigResponse.newBuilder().setConfig(model.config()).build());
        out.onCompleted();
    }

    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> out) {
        if (!model.name().equals(request.getModelName())) {
            out.onError(unknownModel(request.getModelName()));
            return;
        }
        RequestDecoder.Decoded decoded;
        try {
            decoded = decoder.decode(request, Tensor.of(request));
        } catch (InferenceException e) {
            out.onError(Status.INVALID_ARGUMENT.withDescription(e.code() + ": " + e.getMessage()).asRuntimeException());
            return;
        }
        var ended = new java.util.concurrent.atomic.AtomicBoolean();
        InferenceHandle handle;
        try {
            handle = engine.submit(decoded.request(), new InferenceListener() {
                @Override
                public void onStarted() {
                }

                @Override
                public void onDelta(TokenDelta delta) {
                }

                @Override
                public void onCompleted(Completion completion) {
                    ended.set(true);
                    live.remove(request.getId());
                    out.onNext(writer.completion(request.getId(), completion, false).toBuilder()
                            .removeParameters(io.vlsuite.inference.triton.TensorNames.FINAL_RESPONSE).build());
                    out.onCompleted();
                }

                @Override
                public void onFailed(EngineFailure failure) {
                    ended.set(true);
                    live.remove(request.getId());
                    out.onError((failure.retryable() ? Status.UNAVAILABLE : Status.INTERNAL)
                            .withDescription(failure.code() + ": " + failure.message()).asRuntimeException());
                }
            });
        } catch (Qwen2VlException e) {
            boolean retryable = e instanceof InferenceException ie && ie.retryable();
            out.onError((retryable ? Status.UNAVAILABLE : Status.INVALID_ARGUMENT)
                    .withDescription(e.code() + ": " + e.getMessage()).asRuntimeException());
            return;
        }
        track(request.getId(), handle, ended);
        // A client that gives up (deadline, cancel) frees the engine slot.
        Context.current().addListener(ctx -> handle.cancel(), Runnable::run);
    }

    @Override
    public StreamObserver<ModelInferRequest> modelStreamInfer(StreamObserver<ModelStreamInferResponse> out) {
        return new StreamCall(this, (ServerCallStreamObserver<ModelStreamInferResponse>) out);
    }

    // ------------------------------------------------------------------------------ used by StreamCall

    ServedModel model() {
        return model;
    }

    ResponseWriter writer() {
        return writer;
    }

    RequestDecoder decoder() {
        return decoder;
    }

    InferenceEngine engine() {
        return engine;
    }

    boolean isStopTarget(String modelName) {
        return stopTargets.contains(modelName);
    }

    /** @return whether a live request had that id */
    boolean stop(String id) {
        InferenceHandle h = live.get(id);
        if (h != null) {
            h.cancel();
        }
        return h != null;
    }

    /** Registers a live request; one that already ended (fast engines) is not left behind. */
    void track(String id, InferenceHandle handle, java.util.concurrent.atomic.AtomicBoolean ended) {
        live.put(id, handle);
        if (ended.get()) {
            live.remove(id, handle);
        }
    }

    void untrack(String id) {
        live.remove(id);
    }

    private static io.grpc.StatusRuntimeException unknownModel(String name) {
        return Status.NOT_FOUND.withDescription("Request for unknown model: '" + name + "' is not found")
                .asRuntimeException();
    }
}
