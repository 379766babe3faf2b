package io.vlsuite.inference.health;

import io.vlsuite.inference.engine.EngineLoad;
import io.vlsuite.inference.engine.InferenceEngine;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/** Readiness: the engine takes requests (model loaded, server reachable). Health name {@code engine}. */
public class EngineHealthIndicator extends AbstractHealthIndicator {

    private final InferenceEngine engine;

    public EngineHealthIndicator(InferenceEngine engine) {
        super("engine health check failed");
        this.engine = engine;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        EngineLoad load = engine.load();
        (engine.ready() ? builder.up() : builder.down())
                .withDetail("engine", engine.name())
                .withDetail("capacity", engine.capacity())
                .withDetail("running", load.running())
                .withDetail("waiting", load.waiting());
    }
}
