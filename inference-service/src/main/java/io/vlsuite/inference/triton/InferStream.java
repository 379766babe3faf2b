package io.vlsuite.inference.triton;

import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.vlsuite.contracts.triton.GRPCInferenceServiceGrpc;
import io.vlsuite.contracts.triton.ModelInferRequest;
import io.vlsuite.contracts.triton.ModelStreamInferResponse;
import io.vlsuite.inference.engine.EngineFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@code ModelStreamInfer} call carrying many requests at once; responses are matched to requests by id (a
 * decoupled model answers in any order). A broken stream fails all its requests (retryable) and is replaced by the
 * pool on the next submission.
 */
final class InferStream implements ClientResponseObserver<ModelInferRequest, ModelStreamInferResponse> {

    private static final Logger log = LoggerFactory.getLogger(InferStream.class);

    final TritonEndpoint endpoint;
    private final Map<String, PendingRequest> pending = new ConcurrentHashMap<>();
    private ClientCallStreamObserver<ModelInferRequest> requests;
    private volatile boolean broken;

    InferStream(TritonEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    void open() {
        GRPCInferenceServiceGrpc.newStub(endpoint.channel()).modelStreamInfer(this);
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<ModelInferRequest> requestStream) {
        this.requests = requestStream;
    }

    boolean broken() {
        return broken;
    }

    int inFlight() {
        return pending.size();
    }

    void register(PendingRequest p) {
        pending.put(p.wireId, p);
    }

    void forget(String wireId) {
        pending.remove(wireId);
    }

    PendingRequest find(String wireId) {
        return pending.get(wireId);
    }

    List<PendingRequest> pending() {
        return List.copyOf(pending.values());
    }

    /** grpc-java stream observers are not thread-safe: writers take turns. */
    synchronized void send(ModelInferRequest request) {
        if (broken) {
            throw Status.UNAVAILABLE.withDescription("stream to " + endpoint.target() + " is closed").asRuntimeException();
        }
        requests.onNext(request);
    }

    /** Cancels the call: Triton then cancels every request of this stream. */
    synchronized void cancel(String why) {
        broken = true;
        requests.cancel(why, null);
    }

    @Override
    public void onNext(ModelStreamInferResponse response) {
        var infer = response.getInferResponse();
        PendingRequest p = pending.get(infer.getId());
        if (p == null) {
            // A late answer to a request already ended here (stopped, timed out) or a stop acknowledgement.
            log.debug("response for unknown request id '{}' ignored", infer.getId());
            return;
        }
        if (!response.getErrorMessage().isEmpty()) {
            pending.remove(p.wireId);
            p.onFailure(TritonErrors.fromStreamError(response.getErrorMessage(), infer));
            return;
        }
        boolean ended;
        try {
            ended = p.onResponse(ResponsePiece.of(infer));
        } catch (TritonProtocolException e) {
            pending.remove(p.wireId);
            p.onFailure(new EngineFailure(e.code(), e.getMessage(), false));
            return;
        }
        if (ended) {
            pending.remove(p.wireId);
        }
    }

    @Override
    public void onError(Throwable t) {
        broken = true;
        fail(TritonErrors.fromStatus(Status.fromThrowable(t)));
    }

    @Override
    public void onCompleted() {
        broken = true;
        fail(new EngineFailure("engine_unavailable", "Triton closed the stream", true));
    }

    private void fail(EngineFailure failure) {
        for (PendingRequest p : pending()) {
            pending.remove(p.wireId);
            p.onFailure(failure);
        }
    }
}
