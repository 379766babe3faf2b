package io.vlsuite.inference.engine;

/**
 * An engine's live load, for metrics (vLLM names).
 *
 * @param running      {@code num_requests_running}: requests being computed; -1 when unknown
 * @param waiting      {@code num_requests_waiting}: accepted but waiting inside the engine; -1 when unknown
 * @param kvCacheUsage {@code kv_cache_usage_perc} as a fraction in [0, 1]; NaN when unknown
 */
public record EngineLoad(int running, int waiting, double kvCacheUsage) {

    public static final EngineLoad UNKNOWN = new EngineLoad(-1, -1, Double.NaN);
}
