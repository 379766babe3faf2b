package io.vlsuite.inference.engineserver;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.vlsuite.contracts.triton.ModelInferRequest;
import io.vlsuite.contracts.triton.ModelInferResponse;
import io.vlsuite.contracts.triton.ModelStreamInferResponse;
import io.vlsuite.inference.engine.Completion;
import io.vlsuite.inference.engine.EngineFailure;
import io.vlsuite.inference.engine.InferenceException;
import io.vlsuite.inference.engine.InferenceHandle;
import io.vlsuite.inference.engine.InferenceListener;
import io.vlsuite.inference.engine.TokenDelta;
import io.vlsuite.inference.triton.Tensor;
import io.vlsuite.qwen2vl.Qwen2VlException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One {@code ModelStreamInfer} call: requests arrive in any number, each answered by responses carrying its id
 * and ending with {@code triton_final_response=true}. Cancelling the call stops all of its requests (Triton's
 * behaviour); half-closing it lets them finish, then the server completes the call.
 */
final class StreamCall implements StreamObserver<ModelInferRequest> {

    private static final Logger log = LoggerFactory.getLogger(StreamCall.class);

    private final EngineGrpcService service;
    private final ServerCallStreamObserver<ModelStreamInferResponse> out;
    private final Map<String, InferenceHandle> mine = new ConcurrentHashMap<>();
    private volatile boolean halfClosed;
    private boolean completed;

    StreamCall(EngineGrpcService service, ServerCallStreamObserver<ModelStreamInferResponse> out) {
        this.service = service;
        this.out = out;
        out.setOnCancelHandler(this::cancelAll);
    }

    @Override
    public void onNext(ModelInferRequest request) {
        String id = request.getId();
        String modelName = request.getModelName();
        Map<String, Tensor> inputs;
        try {
            inputs = Tensor.of(request);
            if (RequestDecoder.isStop(inputs)) {
                if (!service.isStopTarget(modelName)) {
                    throw new InferenceException("triton_model_not_found", "unknown model '" + modelName + "'", false);
                }
                service.stop(id);
                send(ResponseWriter.streamed(service.writer().emptyFinal(id, modelName)));
                return;
            }
            if (!service.model().name().equals(modelName)) {
                throw new InferenceException("triton_model_not_found", "Request for unknown model: '" + modelName
                        + "' is not found", false);
            }
            RequestDecoder.Decoded decoded = service.decoder().decode(request, inputs);
            var listener = new Forwarding(id, decoded.stream());
            InferenceHandle handle = service.engine().submit(decoded.request(), listener);
            mine.put(id, handle);
            service.track(id, handle, listener.ended);
            if (listener.ended.get()) {
                // It ended before it was registered (a fast rejection inside the engine).
                mine.remove(id, handle);
                completeIfIdle();
            }
        } catch (InferenceException e) {
            send(service.writer().error(id, modelName, new EngineFailure(e.code(), e.getMessage(), e.retryable())));
        } catch (Qwen2VlException e) {
            send(service.writer().error(id, modelName, new EngineFailure(e.code(), e.getMessage(), false)));
        }
    }

    @Override
    public void onError(Throwable t) {
        // The client cancelled the call or the connection broke: Triton cancels the stream's requests.
        cancelAll();
    }

    @Override
    public void onCompleted() {
        halfClosed = true;
        completeIfIdle();
    }

    private void cancelAll() {
        mine.values().forEach(InferenceHandle::cancel);
    }

    private synchronized void send(ModelStreamInferResponse response) {
        if (completed || out.isCancelled()) {
            return;
        }
        try {
            out.onNext(response);
        } catch (RuntimeException e) {
            log.debug("response on a closed stream dropped: {}", e.getMessage());
        }
    }

    private synchronized void completeIfIdle() {
        if (halfClosed && mine.isEmpty() && !completed && !out.isCancelled()) {
            completed = true;
            out.onCompleted();
        }
    }

    private void finished(String id) {
        service.untrack(id);
        mine.remove(id);
        completeIfIdle();
    }

    /** Engine events of one request as stream responses. */
    private final class Forwarding implements InferenceListener {
        private final String id;
        private final boolean stream;
        final AtomicBoolean ended = new AtomicBoolean();

        Forwarding(String id, boolean stream) {
            this.id = id;
            this.stream = stream;
        }

        @Override
        public void onStarted() {
        }

        @Override
        public void onDelta(TokenDelta delta) {
            if (stream) {
                send(ResponseWriter.streamed(service.writer().delta(id, delta)));
            }
        }

        @Override
        public void onCompleted(Completion completion) {
            ended.set(true);
            ModelInferResponse r = service.writer().completion(id, completion, stream);
            send(ResponseWriter.streamed(r));
            finished(id);
        }

        @Override
        public void onFailed(EngineFailure failure) {
            ended.set(true);
            send(service.writer().error(id, service.model().name(), failure));
            finished(id);
        }
    }
}
