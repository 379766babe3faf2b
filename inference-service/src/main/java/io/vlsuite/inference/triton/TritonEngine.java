package io.vlsuite.inference.triton;

import io.grpc.StatusRuntimeException;
import io.vlsuite.contracts.triton.ModelInferRequest;
import io.vlsuite.inference.engine.EngineFailure;
import io.vlsuite.inference.engine.EngineLoad;
import io.vlsuite.inference.engine.FinishReason;
import io.vlsuite.inference.engine.InferenceEngine;
import io.vlsuite.inference.engine.InferenceException;
import io.vlsuite.inference.engine.InferenceHandle;
import io.vlsuite.inference.engine.InferenceListener;
import io.vlsuite.inference.engine.InferenceRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs requests on Triton Inference Server with TensorRT-LLM (or on Java engine servers speaking the same
 * protocol) over {@code ModelStreamInfer}. A small, fixed set of bidirectional streams carries all requests
 * (many in flight per stream, answers matched by request id); a request ends on {@code triton_final_response}.
 * Cancelling the whole call would cancel every request of the stream, so a single request is stopped with a
 * {@code stop=true} request carrying its id, as TensorRT-LLM documents.
 */
public final class TritonEngine implements InferenceEngine {

    private static final Logger log = LoggerFactory.getLogger(TritonEngine.class);

    private final TritonSettings settings;
    private final List<TritonEndpoint> endpoints;
    private final RequestEncoder encoder;
    private final InferStream[] slots;
    private final ScheduledExecutorService timers;
    /** Separate from the timers: a health RPC to a hung server may block for the RPC timeout. */
    private final ScheduledExecutorService health;
    private final AtomicLong sequence = new AtomicLong();
    private volatile boolean closed;

    private TritonEngine(TritonSettings settings, List<TritonEndpoint> endpoints, ModelContract contract) {
        this.settings = settings;
        this.endpoints = endpoints;
        this.encoder = new RequestEncoder(settings.modelName(), settings.modelVersion(), settings.profile(), contract,
                settings.effectiveStopModel());
        this.slots = new InferStream[settings.maxStreams()];
        this.timers = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("triton-timers").factory());
        this.health = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("triton-health").factory());
        long period = settings.healthInterval().toMillis();
        health.scheduleWithFixedDelay(() -> endpoints.forEach(TritonEndpoint::checkHealth), period, period,
                TimeUnit.MILLISECONDS);
    }

    /**
     * Connects to every endpoint and checks its model configuration against the profile.
     *
     * @throws InferenceException {@code triton_model_mismatch} naming the missing tensor, or
     *                            {@code engine_unavailable} when an endpoint does not answer within the start-up
     *                            timeout
     */
    public static TritonEngine connect(TritonSettings settings) {
        List<TritonEndpoint> endpoints = new ArrayList<>();
        settings.endpoints().forEach(t -> endpoints.add(new TritonEndpoint(t, settings)));
        try {
            ModelContract contract = null;
            for (TritonEndpoint e : endpoints) {
                ModelContract c = ModelContract.of(fetchConfig(e, settings.startupTimeout())).checkAgainst(settings.profile());
                if (contract != null && !contract.equals(c)) {
                    throw new InferenceException(ModelContract.MISMATCH, "Triton endpoints serve different '"
                            + settings.modelName() + "' configurations: " + endpoints.getFirst().target() + " and "
                            + e.target(), false);
                }
                contract = c;
                e.checkHealth();
            }
            log.info("Triton engine: model '{}' (profile {}) on {}, {} streams x {} requests", settings.modelName(),
                    settings.profile(), settings.endpoints(), settings.maxStreams(), settings.maxInFlightPerStream());
            return new TritonEngine(settings, endpoints, contract);
        } catch (RuntimeException e) {
            endpoints.forEach(TritonEndpoint::shutdown);
            throw e;
        }
    }

    private static io.vlsuite.contracts.triton.ModelConfig fetchConfig(TritonEndpoint e, Duration timeout) {
        Instant giveUp = Instant.now().plus(timeout);
        while (true) {
            try {
                return e.modelConfig();
            } catch (StatusRuntimeException ex) {
                // The server or the model may still be loading.
                if (Instant.now().isAfter(giveUp)) {
                    throw new InferenceException("engine_unavailable", "Triton at " + e.target()
                            + " did not return the configuration of model '" + e.modelName() + "' within " + timeout + ": "
                            + ex.getStatus(), true, ex);
                }
                try {
                    Thread.sleep(250);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new InferenceException("engine_unavailable", "interrupted while connecting to Triton", true);
                }
            }
        }
    }

    @Override
    public InferenceHandle submit(InferenceRequest request, InferenceListener listener) {
        if (closed) {
            throw new InferenceException("engine_shut_down", "the Triton engine is shutting down", true);
        }
        String wireId = request.requestId() + "#" + sequence.incrementAndGet();
        ModelInferRequest message = encoder.encode(request, wireId);
        var pending = new PendingRequest(wireId, request, listener);
        InferStream stream = place(pending);
        pending.start();
        try {
            stream.send(message);
        } catch (RuntimeException e) {
            stream.forget(wireId);
            pending.onFailure(new EngineFailure("engine_unavailable", "cannot send to Triton at "
                    + stream.endpoint.target() + ": " + e.getMessage(), true));
            return () -> { };
        }
        if (request.deadline() != null) {
            long delay = Math.max(0, Duration.between(Instant.now(), request.deadline()).toMillis());
            timers.schedule(() -> stop(stream, pending, FinishReason.DEADLINE), delay, TimeUnit.MILLISECONDS);
        }
        return () -> stop(stream, pending, FinishReason.CANCELLED);
    }

    /** Registers the request on the least busy healthy stream, opening or replacing streams as needed. */
    private synchronized InferStream place(PendingRequest pending) {
        boolean anyReady = endpoints.stream().anyMatch(TritonEndpoint::ready);
        InferStream best = null;
        for (int i = 0; i < slots.length; i++) {
            TritonEndpoint endpoint = endpoints.get(i % endpoints.size());
            if (anyReady && !endpoint.ready()) {
                continue;
            }
            if (slots[i] == null || slots[i].broken()) {
                slots[i] = new InferStream(endpoint);
                slots[i].open();
            }
            if (slots[i].inFlight() < settings.maxInFlightPerStream()
                    && (best == null || slots[i].inFlight() < best.inFlight())) {
                best = slots[i];
            }
        }
        if (best == null) {
            throw new InferenceException("engine_overloaded", "all " + slots.length + " Triton streams carry "
                    + settings.maxInFlightPerStream() + " requests", true);
        }
        best.register(pending);
        return best;
    }

    private void stop(InferStream stream, PendingRequest pending, FinishReason reason) {
        if (!pending.requestStop(reason)) {
            return;
        }
        try {
            stream.send(encoder.stop(pending.wireId));
        } catch (RuntimeException e) {
            log.debug("stop of {} not sent: {}", pending.wireId, e.getMessage());
        }
        timers.schedule(() -> {
            if (!pending.done()) {
                stream.forget(pending.wireId);
                pending.endStopped();
            }
        }, settings.stopTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public int capacity() {
        return settings.maxStreams() * settings.maxInFlightPerStream();
    }

    @Override
    public boolean ready() {
        return !closed && endpoints.stream().anyMatch(TritonEndpoint::ready);
    }

    @Override
    public synchronized EngineLoad load() {
        int running = 0;
        for (InferStream s : slots) {
            running += s == null ? 0 : s.inFlight();
        }
        // Triton does not tell a client how much of its work waits in the scheduler.
        return new EngineLoad(running, -1, Double.NaN);
    }

    @Override
    public String name() {
        return "triton";
    }

    @Override
    public void close() {
        List<PendingRequest> unfinished = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            for (InferStream s : slots) {
                if (s != null) {
                    unfinished.addAll(s.pending());
                }
            }
            // Marked first, so the stream errors that cancelling causes end them as cancelled, not failed.
            unfinished.forEach(p -> p.requestStop(FinishReason.CANCELLED));
            for (InferStream s : slots) {
                if (s != null) {
                    s.cancel("engine closed");
                }
            }
        }
        unfinished.forEach(PendingRequest::endStopped);
        timers.shutdownNow();
        health.shutdownNow();
        endpoints.forEach(TritonEndpoint::shutdown);
    }
}
