package io.vlsuite.preprocess.events;

import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * The life cycle both event consumers of this package share: one daemon thread runs a poll loop over a Kafka
 * consumer while {@link #running()}; {@link #stop()} ends it with {@code wakeup()} (which interrupts a blocking
 * poll) and waits briefly for the loop to close its consumer.
 */
final class PollingThread {

    private final String name;
    private volatile KafkaConsumer<?, ?> consumer;
    private volatile Thread thread;
    private volatile boolean running;

    PollingThread(String name) {
        this.name = name;
    }

    /** Starts {@code loop} on a new daemon thread; the loop polls {@code consumer} while {@link #running()}. */
    void start(KafkaConsumer<?, ?> consumer, Runnable loop) {
        this.consumer = consumer;
        running = true;
        thread = Thread.ofPlatform().name(name).daemon().start(loop);
    }

    boolean running() {
        return running;
    }

    void stop() {
        running = false;
        KafkaConsumer<?, ?> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        Thread t = thread;
        if (t != null) {
            try {
                t.join(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
