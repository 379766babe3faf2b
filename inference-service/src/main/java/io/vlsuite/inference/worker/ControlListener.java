package io.vlsuite.inference.worker;

import io.vlsuite.contracts.job.JobControl;
import io.vlsuite.inference.jobs.JobJson;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads cancel commands from the control topic. Every worker must see every command, so each reads all
 * partitions on its own: the partitions are assigned directly (no consumer group, hence no rebalances and nothing
 * to commit), starting at the end: a command older than the worker concerns jobs it never held, and jobs still
 * queued in Kafka are cancelled through their job document, which workers check before running a job.
 */
public final class ControlListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ControlListener.class);

    private final Consumer<String, byte[]> consumer;
    private final JobWorker worker;
    private final Thread thread;
    private final String topic;
    private volatile boolean stopped;
    private volatile boolean listening;

    public ControlListener(Map<String, Object> consumerProperties, String topic, JobWorker worker) {
        Map<String, Object> c = new HashMap<>(consumerProperties);
        c.remove(ConsumerConfig.GROUP_ID_CONFIG);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "vlsuite-control-" + worker.workerId());
        c.remove(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG);
        c.remove(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);
        this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        this.worker = worker;
        this.topic = topic;
        this.thread = Thread.ofPlatform().name("job-control-" + worker.workerId()).daemon(true).unstarted(this::loop);
    }

    public void start() {
        thread.start();
    }

    /** Whether the listener has its positions: every command sent from now on is seen. */
    public boolean listening() {
        return listening;
    }

    /**
     * Assigns every partition and resolves the end positions; retried until Kafka answers, so that a broker that
     * is down at start-up delays cancellation instead of failing the service.
     */
    private void assignFromEnd() {
        while (!stopped) {
            try {
                List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                partitions.forEach(tp -> consumer.position(tp, Duration.ofSeconds(10)));
                listening = true;
                return;
            } catch (WakeupException e) {
                throw e;
            } catch (RuntimeException e) {
                log.warn("control topic {} not reachable yet: {}", topic, e.toString());
            }
        }
    }

    private void loop() {
        try {
            assignFromEnd();
            while (!stopped) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    handle(record);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("control listener of worker {} stopped", worker.workerId(), e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        try {
            JobControl command = JobJson.MAPPER.readValue(record.value(), JobControl.class);
            if (JobControl.CANCEL.equals(command.command()) && command.jobId() != null) {
                worker.cancel(command.jobId());
            }
        } catch (Exception e) {
            log.warn("ignoring unreadable control record {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
        }
    }

    @Override
    public void close() {
        stopped = true;
        if (thread.getState() == Thread.State.NEW) {
            consumer.close(Duration.ofSeconds(2)); // never started: nobody else will close it
            return;
        }
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
