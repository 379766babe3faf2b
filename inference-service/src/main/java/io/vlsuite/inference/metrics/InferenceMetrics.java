package io.vlsuite.inference.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vlsuite.contracts.job.Lane;
import io.vlsuite.inference.engine.EngineTimings;
import io.vlsuite.inference.engine.InferenceEngine;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * Metrics under the names operators know from vLLM, without its {@code vllm:} prefix. Micrometer's Prometheus
 * naming appends {@code _seconds} to timers and {@code _total} to counters, so the meters are registered without
 * those suffixes: timer {@code time_to_first_token} is exported as {@code time_to_first_token_seconds} (a histogram
 * with vLLM's bucket bounds), counter {@code prompt_tokens} as {@code prompt_tokens_total}.
 *
 * <ul>
 *   <li>{@code num_requests_running}, {@code num_requests_waiting}, {@code kv_cache_usage_perc} (gauges)</li>
 *   <li>{@code time_to_first_token_seconds}, {@code time_per_output_token_seconds},
 *       {@code e2e_request_latency_seconds}, {@code request_queue_time_seconds} (histograms)</li>
 *   <li>{@code prompt_tokens_total}, {@code generation_tokens_total}, {@code request_success_total{finished_reason}}</li>
 *   <li>vlsuite's own: {@code consumer_lag_records{lane}}, {@code jobs_dead_lettered_total},
 *       {@code jobs_skipped_total} (redelivered jobs that were already terminal), {@code jobs_in_flight}</li>
 * </ul>
 */
public final class InferenceMetrics {

    private static final Duration[] TTFT_BUCKETS = seconds(0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5,
            0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0);
    private static final Duration[] TPOT_BUCKETS = seconds(0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5,
            0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0);
    private static final Duration[] LATENCY_BUCKETS = seconds(0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0,
            20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0);

    private final MeterRegistry registry;
    private final Timer timeToFirstToken;
    private final Timer timePerOutputToken;
    private final Timer e2eLatency;
    private final Timer queueTime;
    private final Counter promptTokens;
    private final Counter generationTokens;
    private final Counter deadLettered;
    private final Counter skipped;
    private final Map<Lane, AtomicLong> lag = new EnumMap<>(Lane.class);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger buffered = new AtomicInteger();

    public InferenceMetrics(MeterRegistry registry, InferenceEngine engine) {
        this.registry = registry;
        timeToFirstToken = histogram("time_to_first_token", "Time to first token", TTFT_BUCKETS);
        timePerOutputToken = histogram("time_per_output_token", "Time per output token after the first", TPOT_BUCKETS);
        e2eLatency = histogram("e2e_request_latency", "End-to-end request latency in the engine", LATENCY_BUCKETS);
        queueTime = histogram("request_queue_time", "Time from job creation to engine start", LATENCY_BUCKETS);
        promptTokens = Counter.builder("prompt_tokens").description("Prompt tokens processed, vision tokens included")
                .register(registry);
        generationTokens = Counter.builder("generation_tokens").description("Generated tokens").register(registry);
        deadLettered = Counter.builder("jobs_dead_lettered").description("Records sent to the dead-letter topic")
                .register(registry);
        skipped = Counter.builder("jobs_skipped").description("Redelivered jobs skipped because already terminal")
                .register(registry);
        gauge("num_requests_running", "Requests being computed by the engine", engine,
                e -> e.load().running() >= 0 ? e.load().running() : inFlight.get());
        gauge("num_requests_waiting", "Requests waiting: inside the engine plus fetched jobs waiting for a slot", engine,
                e -> Math.max(0, e.load().waiting()) + buffered.get());
        gauge("kv_cache_usage_perc", "KV-cache usage, 1 = full", engine, e -> e.load().kvCacheUsage());
        Gauge.builder("jobs_in_flight", inFlight, AtomicInteger::get)
                .description("Jobs this worker holds in its in-flight window").register(registry);
        for (Lane lane : Lane.values()) {
            AtomicLong value = new AtomicLong();
            lag.put(lane, value);
            Gauge.builder("consumer_lag_records", value, AtomicLong::get).tag("lane", lane.json())
                    .description("Records of the lane not yet fetched by this worker").register(registry);
        }
    }

    public void requestFinished(String finishReason, int prompt, int generated, EngineTimings timings) {
        registry.counter("request_success", "finished_reason", finishReason).increment();
        promptTokens.increment(prompt);
        generationTokens.increment(generated);
        record(timeToFirstToken, timings.timeToFirstToken());
        record(timePerOutputToken, timings.timePerOutputToken());
        record(e2eLatency, timings.endToEnd());
    }

    public void queued(Duration sinceCreation) {
        record(queueTime, sinceCreation);
    }

    public void deadLettered() {
        deadLettered.increment();
    }

    public void skipped() {
        skipped.increment();
    }

    public void lag(Lane lane, long records) {
        lag.get(lane).set(records);
    }

    public void window(int running, int waiting) {
        inFlight.set(running);
        buffered.set(waiting);
    }

    private static void record(Timer timer, Duration d) {
        if (d != null && !d.isNegative()) {
            timer.record(d);
        }
    }

    private Timer histogram(String name, String description, Duration[] buckets) {
        return Timer.builder(name).description(description).serviceLevelObjectives(buckets).register(registry);
    }

    private void gauge(String name, String description, InferenceEngine engine, ToDoubleFunction<InferenceEngine> f) {
        Gauge.builder(name, engine, f).description(description).register(registry);
    }

    private static Duration[] seconds(double... values) {
        Duration[] out = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
        }
        return out;
    }
}
