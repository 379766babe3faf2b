package io.vlsuite.media.autoconfigure;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vlsuite.media.s3.OperationObserver;

/**
 * Records {@value #METRIC} (Prometheus: {@code vlsuite_media_store_operation_seconds}) tagged with
 * {@code operation} and {@code outcome}.
 */
public final class MicrometerOperationObserver implements OperationObserver {

    public static final String METRIC = "vlsuite.media_store.operation";

    private final MeterRegistry registry;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public MicrometerOperationObserver(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void record(String operation, String outcome, long nanos) {
        timers.computeIfAbsent(operation + '\u0000' + outcome, k -> Timer.builder(METRIC)
                        .description("Duration of S3 storage operations, retries included")
                        .tag("operation", operation)
                        .tag("outcome", outcome)
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }
}
