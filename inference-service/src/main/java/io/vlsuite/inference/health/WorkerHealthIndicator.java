package io.vlsuite.inference.health;

import io.vlsuite.inference.worker.WorkerLifecycle;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Liveness: the poll loop is alive while the worker is meant to run. An {@code Error} (out of memory, stack
 * overflow) kills a consumer thread while the rest of the application looks healthy; this makes the orchestrator
 * restart the service instead. Health name {@code worker}.
 */
public class WorkerHealthIndicator extends AbstractHealthIndicator {

    private final WorkerLifecycle lifecycle;

    /** @param lifecycle null when the worker is disabled */
    public WorkerHealthIndicator(WorkerLifecycle lifecycle) {
        super("worker health check failed");
        this.lifecycle = lifecycle;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        if (lifecycle == null) {
            builder.up().withDetail("state", "disabled");
            return;
        }
        var node = lifecycle.node();
        if (node == null) {
            builder.up().withDetail("state", "stopped");
            return;
        }
        (node.alive() ? builder.up() : builder.down())
                .withDetail("workerId", node.worker().workerId())
                .withDetail("capacity", node.worker().capacity())
                .withDetail("assigned", node.worker().assigned());
    }
}
