package io.vlsuite.inference.worker;

import io.vlsuite.inference.engine.InferenceEngine;
import io.vlsuite.inference.jobs.JobDocuments;
import io.vlsuite.inference.metrics.InferenceMetrics;
import io.vlsuite.inference.prepare.JobPreparer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * One worker instance, wired: its producer (events, dead letters), the job consumer loop and the control
 * listener. Started and stopped as a unit (by the Spring lifecycle, or directly in tests).
 */
public final class WorkerNode implements AutoCloseable {

    private final Producer<String, byte[]> producer;
    private final JobWorker worker;
    private final ControlListener control;

    public WorkerNode(WorkerSettings settings, Map<String, Object> consumerProperties,
                      Map<String, Object> producerProperties, InferenceEngine engine, JobPreparer preparer,
                      JobDocuments documents, InferenceMetrics metrics, ConsumerRebalanceListener observer) {
        this.producer = new KafkaProducer<>(producerConfig(producerProperties, settings), new StringSerializer(),
                new ByteArraySerializer());
        var publisher = new EventPublisher(producer, settings.topics().events(), settings.topics().dlt(),
                Duration.ofSeconds(30));
        InstantSource clock = InstantSource.system();
        this.worker = new JobWorker(settings, consumerProperties,
                timer -> new JobRunner(preparer, engine, documents, publisher, metrics, timer, settings, clock),
                engine, metrics, observer == null ? NO_OBSERVER : observer, clock);
        this.control = new ControlListener(consumerProperties, settings.topics().control(), worker);
    }

    /**
     * Idempotent and {@code acks=all}, stated explicitly: the client silently turns idempotence off when another
     * setting conflicts, and then a retried send could duplicate or reorder a job's events.
     */
    static Map<String, Object> producerConfig(Map<String, Object> base, WorkerSettings settings) {
        Map<String, Object> p = new HashMap<>(base);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "vlsuite-events-" + settings.workerId());
        p.remove(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
        p.remove(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
        p.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        return p;
    }

    public void start() {
        control.start();
        worker.start();
    }

    public JobWorker worker() {
        return worker;
    }

    /** Whether the job consumer has its partitions and the control listener its positions. */
    public boolean ready() {
        return worker.assigned() && control.listening();
    }

    /** Whether the poll loop is alive (false after it died or was stopped). */
    public boolean alive() {
        return worker.alive();
    }

    /** Graceful: in-flight jobs finish within the shutdown timeout, the rest is handed back. */
    @Override
    public void close() {
        try {
            control.close();
            worker.close();
        } finally {
            producer.close(Duration.ofSeconds(10));
        }
    }

    /** Like a crash: nothing more is committed or published by this node's loop (tests). */
    public void kill() {
        try {
            control.close();
            worker.kill();
        } finally {
            producer.close(Duration.ofSeconds(1));
        }
    }

    private static final ConsumerRebalanceListener NO_OBSERVER = new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        }
    };
}
