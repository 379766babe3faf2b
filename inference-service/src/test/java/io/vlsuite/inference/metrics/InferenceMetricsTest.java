package io.vlsuite.inference.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vlsuite.contracts.job.Lane;
import io.vlsuite.inference.engine.EngineLoad;
import io.vlsuite.inference.engine.EngineTimings;
import io.vlsuite.inference.support.ScriptedEngine;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The exported names are exactly vLLM's (without the {@code vllm:} prefix). */
class InferenceMetricsTest {

    @Test
    void exportsVllmNamesInPrometheusFormat() {
        var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        var engine = new ScriptedEngine(4) {
            @Override
            public EngineLoad load() {
                return new EngineLoad(3, 2, 0.25);
            }
        };
        var metrics = new InferenceMetrics(registry, engine);
        metrics.requestFinished("stop", 120, 30, new EngineTimings(Duration.ofMillis(5), Duration.ofMillis(70),
                Duration.ofMillis(20), Duration.ofMillis(700)));
        metrics.lag(Lane.INTERACTIVE, 7);
        metrics.window(3, 1);

        String text = registry.scrape();
        assertThat(text)
                .contains("time_to_first_token_seconds_bucket{le=\"0.08\"} 1")
                .contains("time_to_first_token_seconds_bucket{le=\"0.06\"} 0")
                .contains("time_per_output_token_seconds_count 1")
                .contains("e2e_request_latency_seconds_sum 0.7")
                .contains("prompt_tokens_total 120")
                .contains("generation_tokens_total 30")
                .contains("request_success_total{finished_reason=\"stop\"} 1")
                .contains("num_requests_running 3")
                .contains("num_requests_waiting 3") // 2 inside the engine + 1 fetched job waiting for a slot
                .contains("kv_cache_usage_perc 0.25")
                .contains("consumer_lag_records{lane=\"interactive\"} 7");
        assertThat(text).doesNotContain("_seconds_seconds").doesNotContain("_total_total");
    }
}
