package io.vlsuite.inference.triton;

import io.vlsuite.contracts.job.JobEvent;
import io.vlsuite.inference.engine.Completion;
import io.vlsuite.inference.engine.EngineFailure;
import io.vlsuite.inference.engine.EngineTimings;
import io.vlsuite.inference.engine.FinishReason;
import io.vlsuite.inference.engine.InferenceListener;
import io.vlsuite.inference.engine.InferenceRequest;
import io.vlsuite.inference.engine.TokenDelta;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One request in flight on a stream: turns its responses into listener calls (started, deltas, exactly one
 * terminal call) and remembers whether the client asked it to stop, so that whatever ends it afterwards (the
 * server's final response, an error, the stop timeout) reports the stop reason.
 */
final class PendingRequest {

    final String wireId;
    final InferenceRequest request;
    private final InferenceListener listener;
    private final Utf8Stream utf8 = new Utf8Stream();
    private final StringBuilder text = new StringBuilder();
    private final List<Integer> tokenIds = new ArrayList<>();
    private final long submittedNanos = System.nanoTime();
    private long firstTokenNanos;
    private int responsesWithOutput;
    private FinishReason stopReason;
    private boolean started;
    private boolean done;

    PendingRequest(String wireId, InferenceRequest request, InferenceListener listener) {
        this.wireId = wireId;
        this.request = request;
        this.listener = listener;
    }

    synchronized void start() {
        if (!started) {
            started = true;
            listener.onStarted();
        }
    }

    /** @return true when this response ended the request */
    synchronized boolean onResponse(ResponsePiece piece) {
        if (done) {
            return true;
        }
        String newText = utf8.feed(piece.textBytes());
        if (piece.isFinal()) {
            newText += utf8.finish();
        }
        if (!newText.isEmpty() || piece.tokenIds().length > 0) {
            if (firstTokenNanos == 0) {
                firstTokenNanos = System.nanoTime();
            }
            responsesWithOutput++;
            text.append(newText);
            Arrays.stream(piece.tokenIds()).forEach(tokenIds::add);
            listener.onDelta(new TokenDelta(newText, Arrays.stream(piece.tokenIds()).boxed().toList(), null));
        }
        if (piece.isFinal()) {
            complete(stopReason != null ? stopReason : reasonOf(piece), piece.numOutputTokens());
        }
        return piece.isFinal();
    }

    /** An in-band error or a broken stream; after a stop request it is just how the server ended it. */
    synchronized void onFailure(EngineFailure failure) {
        if (done) {
            return;
        }
        if (stopReason != null) {
            complete(stopReason, -1);
            return;
        }
        done = true;
        listener.onFailed(failure);
    }

    /** @return true when a stop should be sent (first stop of a live request) */
    synchronized boolean requestStop(FinishReason reason) {
        if (done || stopReason != null) {
            return false;
        }
        stopReason = reason;
        return true;
    }

    /** Ends a stopped request whose server never confirmed the stop in time. */
    synchronized void endStopped() {
        if (!done && stopReason != null) {
            complete(stopReason, -1);
        }
    }

    synchronized boolean done() {
        return done;
    }

    private FinishReason reasonOf(ResponsePiece piece) {
        if (piece.finishReason() != null) {
            return switch (piece.finishReason()) {
                case "length" -> FinishReason.LENGTH;
                case "cancelled", "abort" -> FinishReason.CANCELLED;
                case "deadline" -> FinishReason.DEADLINE;
                default -> FinishReason.STOP;
            };
        }
        // TensorRT-LLM's ensemble does not say why it stopped: reaching max_tokens is the only non-stop ending.
        return generated(piece.numOutputTokens()) >= request.sampling().maxTokens() ? FinishReason.LENGTH
                : FinishReason.STOP;
    }

    private int generated(int serverCount) {
        if (!tokenIds.isEmpty()) {
            return tokenIds.size();
        }
        return serverCount >= 0 ? serverCount : responsesWithOutput;
    }

    private void complete(FinishReason reason, int serverCount) {
        done = true;
        long end = System.nanoTime();
        int generated = generated(serverCount);
        Duration ttft = firstTokenNanos == 0 ? null : Duration.ofNanos(firstTokenNanos - submittedNanos);
        Duration tpot = firstTokenNanos == 0 || generated < 2 ? null
                : Duration.ofNanos((end - firstTokenNanos) / (generated - 1));
        listener.onCompleted(new Completion(reason, text.toString(), tokenIds,
                new JobEvent.Usage(request.promptTokens(), generated),
                new EngineTimings(null, ttft, tpot, Duration.ofNanos(end - submittedNanos))));
    }
}
