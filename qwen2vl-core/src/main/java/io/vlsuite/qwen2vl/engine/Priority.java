package io.vlsuite.qwen2vl.engine;

/**
 * Scheduling class of a request. Interactive requests are admitted and kept running before batch ones (batch
 * ones are preempted first); within a class the order is arrival order.
 */
public enum Priority {
    INTERACTIVE,
    BATCH
}
