package io.vlsuite.preprocess.events;

import io.vlsuite.contracts.Topics;
import io.vlsuite.contracts.job.JobEvent;
import io.vlsuite.preprocess.api.Json;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Brings job events back to the requests waiting on this instance.
 *
 * <p>Every instance reads <em>all</em> of {@code vlsuite.events}: it assigns itself every partition (no consumer
 * group, so no rebalances and no offsets to commit) and starts at the end. Events of jobs nobody here waits for are
 * dropped. That is correct with any number of instances, because the instance that accepted a request is the one
 * that reads its events, whichever partition they land in. The end offsets are resolved during start-up, before
 * the web server takes requests, and a waiter subscribes before its job is published, so no event is missed.
 */
@Component
public class EventRouter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EventRouter.class);
    private static final Duration PARTITION_CHECK = Duration.ofSeconds(30);

    private final KafkaProperties kafka;
    private final Map<String, List<EventSubscription>> subscriptions = new ConcurrentHashMap<>();
    private final List<Consumer<JobEvent>> terminalListeners = new CopyOnWriteArrayList<>();
    private volatile KafkaConsumer<String, String> consumer;
    private final PollingThread poller = new PollingThread("vlsuite-event-router");

    public EventRouter(KafkaProperties kafka) {
        this.kafka = kafka;
    }

    /** Subscribe before publishing the job, so that no event can slip past. */
    public EventSubscription subscribe(String jobId) {
        EventSubscription subscription = new EventSubscription(jobId, this);
        subscriptions.computeIfAbsent(jobId, k -> new CopyOnWriteArrayList<>()).add(subscription);
        return subscription;
    }

    void unsubscribe(EventSubscription subscription) {
        subscriptions.computeIfPresent(subscription.jobId(), (k, list) -> {
            list.remove(subscription);
            return list.isEmpty() ? null : list;
        });
    }

    /** Called with every terminal event this instance sees (of any job). */
    public void onTerminal(Consumer<JobEvent> listener) {
        terminalListeners.add(listener);
    }

    @Override
    public void start() {
        Map<String, Object> props = kafka.buildConsumerProperties();
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "vlsuite-preprocess-events-" + Long.toHexString(System.nanoTime()));
        KafkaConsumer<String, String> c = new KafkaConsumer<>(props);
        List<TopicPartition> partitions = partitions(c);
        if (partitions.isEmpty()) {
            c.close();
            throw new IllegalStateException("topic " + Topics.EVENTS + " does not exist; create the suite's topics first");
        }
        c.assign(partitions);
        c.seekToEnd(partitions);
        partitions.forEach(p -> c.position(p, Duration.ofSeconds(30)));   // resolve "end" now, not at first poll
        consumer = c;
        poller.start(consumer, this::loop);
        log.info("routing job events from {} partitions of {}", partitions.size(), Topics.EVENTS);
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, String> c) {
        return c.partitionsFor(Topics.EVENTS, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    }

    private void loop() {
        long nextPartitionCheck = System.nanoTime() + PARTITION_CHECK.toNanos();
        try {
            while (poller.running()) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    dispatch(record.value());
                }
                if (System.nanoTime() > nextPartitionCheck) {
                    nextPartitionCheck = System.nanoTime() + PARTITION_CHECK.toNanos();
                    followNewPartitions();
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            log.error("the event router stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** Partitions added to the topic later are read from their beginning (they are new, so that is all of it). */
    private void followNewPartitions() {
        try {
            Set<TopicPartition> current = consumer.assignment();
            List<TopicPartition> added = partitions(consumer).stream().filter(p -> !current.contains(p)).toList();
            if (!added.isEmpty()) {
                Set<TopicPartition> all = new java.util.HashSet<>(current);
                all.addAll(added);
                consumer.assign(all);
                consumer.seekToBeginning(added);
                log.info("now also routing events from {} new partitions", added.size());
            }
        } catch (RuntimeException e) {
            log.warn("could not check {} for new partitions: {}", Topics.EVENTS, e.getMessage());
        }
    }

    void dispatch(String value) {
        JobEvent event;
        try {
            event = Json.read(Json.CONTRACTS, value, JobEvent.class);
        } catch (RuntimeException e) {
            log.warn("skipping an unreadable job event");
            return;
        }
        if (event.jobId() == null) {
            return;
        }
        List<EventSubscription> waiting = subscriptions.get(event.jobId());
        if (waiting != null) {
            waiting.forEach(s -> s.offer(event));
        }
        if (event.isTerminal()) {
            terminalListeners.forEach(l -> l.accept(event));
        }
    }

    public Set<String> watchedJobs() {
        return subscriptions.keySet();
    }

    @Override
    public void stop() {
        poller.stop();
    }

    @Override
    public boolean isRunning() {
        return poller.running();
    }

    /** Before the web server (which starts in a later phase) so requests never wait on an unpositioned consumer. */
    @Override
    public int getPhase() {
        return 0;
    }
}
