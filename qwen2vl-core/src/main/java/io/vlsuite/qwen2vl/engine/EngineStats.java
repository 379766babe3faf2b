package io.vlsuite.qwen2vl.engine;

import java.util.Map;

/**
 * A snapshot of the engine for metrics (names after vLLM's Prometheus metrics).
 *
 * @param numRunning             {@code num_requests_running}: sequences holding KV blocks
 * @param numWaiting             {@code num_requests_waiting}: queued or preempted
 * @param kvCacheUsage           {@code kv_cache_usage_perc} as a fraction in [0, 1]
 * @param kvBlocksUsed           blocks in use
 * @param kvBlocksTotal          blocks in the pool
 * @param preemptionsTotal       {@code num_preemptions_total}
 * @param promptTokensTotal      prompt tokens of all admitted requests
 * @param generationTokensTotal  tokens generated
 * @param stepsTotal             forward calls
 * @param finishedTotal          finished requests by finish reason
 * @param prefixCacheQueries     prompt tokens looked up in the prefix cache ({@code prefix_cache_queries})
 * @param prefixCacheHits        of those, tokens whose KV blocks were found ({@code prefix_cache_hits})
 */
public record EngineStats(
        int numRunning,
        int numWaiting,
        double kvCacheUsage,
        int kvBlocksUsed,
        int kvBlocksTotal,
        long preemptionsTotal,
        long promptTokensTotal,
        long generationTokensTotal,
        long stepsTotal,
        Map<FinishReason, Long> finishedTotal,
        long prefixCacheQueries,
        long prefixCacheHits) {

    public EngineStats {
        finishedTotal = Map.copyOf(finishedTotal);
    }
}
