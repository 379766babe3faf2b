package io.vlsuite.inference.worker;

import io.vlsuite.inference.config.InferenceProperties;

import java.net.InetAddress;
import java.time.Duration;
import java.util.UUID;

/**
 * The worker's settings, resolved ({@link InferenceProperties.Worker} with its worker id chosen).
 *
 * @param workerId        this worker's name (events, dead-letter headers)
 * @param groupId         consumer group of the job topics
 * @param topics          topic names
 * @param capacity        in-flight window; 0 = the engine's capacity
 * @param maxPollRecords  0 = the window size
 * @param maxPollInterval Kafka {@code max.poll.interval.ms}
 * @param pollTimeout     one poll's wait
 * @param deltaInterval   delta coalescing period
 * @param shutdownTimeout how long in-flight jobs may finish on shutdown
 * @param maxAttempts     attempts on transient failures
 * @param retryBackoff    first pause between attempts
 * @param cancelMemory    how long an unmatched cancel command is kept
 */
public record WorkerSettings(String workerId, String groupId, InferenceProperties.TopicNames topics, int capacity,
                             int maxPollRecords, Duration maxPollInterval, Duration pollTimeout, Duration deltaInterval,
                             Duration shutdownTimeout, int maxAttempts, Duration retryBackoff, Duration cancelMemory) {

    public static WorkerSettings from(InferenceProperties.Worker w) {
        String id = w.workerId() == null || w.workerId().isBlank() ? defaultWorkerId() : w.workerId();
        return new WorkerSettings(id, w.groupId(), w.topics(), w.capacity(), w.maxPollRecords(), w.maxPollInterval(),
                w.pollTimeout(), w.deltaInterval(), w.shutdownTimeout(), w.maxAttempts(), w.retryBackoff(),
                w.cancelMemory());
    }

    /** Host name plus a random suffix: two workers on one host still get their own control group. */
    static String defaultWorkerId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "worker";
        }
        return host.replaceAll("[^A-Za-z0-9_.-]", "-") + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public WorkerSettings withWorkerId(String id) {
        return new WorkerSettings(id, groupId, topics, capacity, maxPollRecords, maxPollInterval, pollTimeout,
                deltaInterval, shutdownTimeout, maxAttempts, retryBackoff, cancelMemory);
    }
}
