package io.vlsuite.inference.support;

import io.vlsuite.contracts.job.JobEvent;
import io.vlsuite.inference.engine.Completion;
import io.vlsuite.inference.engine.EngineFailure;
import io.vlsuite.inference.engine.EngineLoad;
import io.vlsuite.inference.engine.EngineTimings;
import io.vlsuite.inference.engine.FinishReason;
import io.vlsuite.inference.engine.InferenceEngine;
import io.vlsuite.inference.engine.InferenceHandle;
import io.vlsuite.inference.engine.InferenceListener;
import io.vlsuite.inference.engine.InferenceRequest;
import io.vlsuite.inference.engine.TokenDelta;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An engine for worker tests whose behaviour the prompt text scripts: {@code tokens=N} (default 3) tokens, one
 * every {@code delayMs=M} milliseconds (default 10), each the text {@code "w<i> "}; {@code fail=CODE} fails
 * deterministically. One "decoding step" is one token: cancel and deadline are checked before each. At most
 * {@code capacity} requests run; a submission beyond that is an error the worker must never cause.
 */
public class ScriptedEngine implements InferenceEngine {

    private static final Pattern TOKENS = Pattern.compile("tokens=(\\d+)");
    private static final Pattern DELAY = Pattern.compile("delayMs=(\\d+)");
    private static final Pattern FAIL = Pattern.compile("fail=([a-z_]+)");

    private final int capacity;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger maxRunning = new AtomicInteger();
    private final List<String> submitted = new CopyOnWriteArrayList<>();
    private final List<String> cancelled = new CopyOnWriteArrayList<>();
    private final Map<String, Instant> endedAt = new ConcurrentHashMap<>();
    private final AtomicInteger overCapacity = new AtomicInteger();

    public ScriptedEngine(int capacity) {
        this.capacity = capacity;
    }

    @Override
    public InferenceHandle submit(InferenceRequest request, InferenceListener listener) {
        int now = running.incrementAndGet();
        maxRunning.accumulateAndGet(now, Math::max);
        if (now > capacity) {
            overCapacity.incrementAndGet();
        }
        submitted.add(request.requestId());
        String prompt = request.promptText();
        int tokens = intOf(TOKENS, prompt, 3);
        int delay = intOf(DELAY, prompt, 10);
        Matcher fail = FAIL.matcher(prompt);
        AtomicBoolean cancel = new AtomicBoolean();
        Thread.ofVirtual().start(() -> {
            Instant start = Instant.now();
            try {
                listener.onStarted();
                if (fail.find()) {
                    listener.onFailed(new EngineFailure(fail.group(1), "scripted failure", false));
                    return;
                }
                StringBuilder text = new StringBuilder();
                List<Integer> ids = new java.util.ArrayList<>();
                FinishReason reason = FinishReason.LENGTH;
                Duration ttft = null;
                for (int i = 0; i < tokens; i++) {
                    if (cancel.get()) {
                        reason = FinishReason.CANCELLED;
                        cancelled.add(request.requestId());
                        break;
                    }
                    if (request.deadline() != null && Instant.now().isAfter(request.deadline())) {
                        reason = FinishReason.DEADLINE;
                        break;
                    }
                    Thread.sleep(delay);
                    String piece = "w" + i + " ";
                    text.append(piece);
                    ids.add(100 + i);
                    if (ttft == null) {
                        ttft = Duration.between(start, Instant.now());
                    }
                    listener.onDelta(new TokenDelta(piece, List.of(100 + i), null));
                }
                listener.onCompleted(new Completion(reason, text.toString(), ids,
                        new JobEvent.Usage(request.promptTokens(), ids.size()),
                        new EngineTimings(Duration.ZERO, ttft, Duration.ofMillis(delay), Duration.between(start, Instant.now()))));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                endedAt.put(request.requestId(), Instant.now());
                running.decrementAndGet();
            }
        });
        return () -> cancel.set(true);
    }

    private static int intOf(Pattern p, String text, int fallback) {
        Matcher m = p.matcher(text);
        return m.find() ? Integer.parseInt(m.group(1)) : fallback;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    private volatile boolean ready = true;

    /** Simulates an engine that cannot take work (a Triton server down). */
    public void ready(boolean value) {
        ready = value;
    }

    @Override
    public boolean ready() {
        return ready;
    }

    @Override
    public EngineLoad load() {
        return new EngineLoad(running.get(), 0, 0.0);
    }

    @Override
    public String name() {
        return "scripted";
    }

    @Override
    public void close() {
    }

    /** Request ids in submission order. */
    public List<String> submitted() {
        return List.copyOf(submitted);
    }

    public List<String> cancelled() {
        return List.copyOf(cancelled);
    }

    public int maxRunning() {
        return maxRunning.get();
    }

    public int overCapacitySubmissions() {
        return overCapacity.get();
    }

    public Instant endedAt(String id) {
        return endedAt.get(id);
    }
}
