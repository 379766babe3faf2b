package io.vlsuite.preprocess.support;

import io.vlsuite.contracts.Topics;
import io.vlsuite.contracts.job.ContentPart;
import io.vlsuite.contracts.job.JobControl;
import io.vlsuite.contracts.job.JobEvent;
import io.vlsuite.contracts.job.JobRecord;
import io.vlsuite.preprocess.api.Json;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stands in for inference-service: reads job records from both lanes and cancel commands, and publishes events.
 * What it does depends on the last text of the job: "hang" (started, then nothing until cancelled), "fail"
 * (started, failed), "restart" (a run that dies after one delta, then a new run), anything else (started, two deltas when streaming, completed "Hello world" per choice).
 * Prompt tokens are 10 plus the vision tokens of the media, like a worker would count them.
 */
public final class FakeEngine {

    private static FakeEngine instance;

    private final KafkaProducer<String, String> producer;
    private final List<JobRecord> jobs = new CopyOnWriteArrayList<>();
    private final Set<String> cancelled = ConcurrentHashMap.newKeySet();
    private final Map<String, JobRecord> hanging = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> seqs = new ConcurrentHashMap<>();

    private FakeEngine(String bootstrap) {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.ACKS_CONFIG, "all"));
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "fake-engine",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
        consumer.subscribe(List.of(Topics.JOBS_INTERACTIVE, Topics.JOBS_BATCH, Topics.CONTROL));
        while (consumer.assignment().isEmpty()) {
            consumer.poll(Duration.ofMillis(100)).forEach(this::handle);
        }
        Thread.ofPlatform().daemon().name("fake-engine").start(() -> {
            while (true) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(50))) {
                    Thread.ofVirtual().start(() -> handle(record));
                }
            }
        });
    }

    /** The JVM's fake engine, started on first use against the embedded broker. */
    public static synchronized FakeEngine get() {
        if (instance == null) {
            instance = new FakeEngine(System.getProperty("spring.kafka.bootstrap-servers"));
        }
        return instance;
    }

    public List<JobRecord> jobs() {
        return jobs;
    }

    public JobRecord job(String id) {
        return jobs.stream().filter(j -> j.jobId().equals(id)).findFirst().orElse(null);
    }

    public Set<String> cancelled() {
        return cancelled;
    }

    /** Finishes a hanging job as completed (for tests that need to control when a job ends). */
    public void release(String jobId) {
        JobRecord job = hanging.remove(jobId);
        if (job != null) {
            complete(job);
        }
    }

    private void handle(ConsumerRecord<String, String> record) {
        if (record.topic().equals(Topics.CONTROL)) {
            JobControl control = Json.read(Json.CONTRACTS, record.value(), JobControl.class);
            cancelled.add(control.jobId());
            JobRecord job = hanging.remove(control.jobId());
            if (job != null) {
                publish(job, JobEvent.CANCELLED, null, null, null);
            }
            return;
        }
        JobRecord job = Json.read(Json.CONTRACTS, record.value(), JobRecord.class);
        jobs.add(job);
        String text = lastText(job);
        publish(job, JobEvent.STARTED, null, null, null);
        if (text.contains("hang")) {
            hanging.put(job.jobId(), job);
            if (cancelled.contains(job.jobId())) {
                hanging.remove(job.jobId());
                publish(job, JobEvent.CANCELLED, null, null, null);
            }
        } else if (text.contains("restart")) {
            // The first run dies after one delta; a second worker starts over, numbering its events from 0.
            publish(job, JobEvent.DELTA, List.of(new JobEvent.Choice(0, "Hel", List.of(1), null, null)), null, null);
            seqs.put(job.jobId(), new AtomicLong());
            publish(job, JobEvent.STARTED, null, null, null);
            complete(job);
        } else if (text.contains("fail")) {
            publish(job, JobEvent.FAILED, null, null, new JobEvent.Error("engine_error", "the fake engine failed"));
        } else {
            complete(job);
        }
    }

    private void complete(JobRecord job) {
        int n = job.sampling().n() == null ? 1 : job.sampling().n();
        boolean logprobs = Boolean.TRUE.equals(job.sampling().logprobs());
        if (job.stream()) {
            for (String piece : List.of("Hello", " world")) {
                List<JobEvent.Choice> choices = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    choices.add(new JobEvent.Choice(i, piece, List.of(piece.length()),
                            logprobs ? List.of(new JobEvent.TokenLogprob(piece, piece.length(), -0.5,
                                    List.of(new JobEvent.TopLogprob(piece, piece.length(), -0.5)))) : null, null));
                }
                publish(job, JobEvent.DELTA, choices, null, null);
            }
        }
        List<JobEvent.Choice> choices = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            choices.add(new JobEvent.Choice(i, "Hello world", List.of(5, 6),
                    logprobs ? List.of(new JobEvent.TokenLogprob("Hello", 5, -0.25, List.of()),
                            new JobEvent.TokenLogprob(" world", 6, -0.75, List.of())) : null, "stop"));
        }
        publish(job, JobEvent.COMPLETED, choices, new JobEvent.Usage(10 + visionTokens(job), 2 * n), null);
    }

    private void publish(JobRecord job, String type, List<JobEvent.Choice> choices, JobEvent.Usage usage,
                         JobEvent.Error error) {
        long seq = seqs.computeIfAbsent(job.jobId(), k -> new AtomicLong()).getAndIncrement();
        JobEvent event = new JobEvent(job.jobId(), job.tenant(), type, seq, Instant.now(), choices, usage, null, error,
                "fake-engine");
        try {
            producer.send(new ProducerRecord<>(Topics.EVENTS, job.jobId(), Json.write(Json.CONTRACTS, event))).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int visionTokens(JobRecord job) {
        return job.messages().stream().flatMap(m -> m.content().stream()).filter(p -> p.media() != null)
                .mapToInt(p -> p.media().visionTokens()).sum();
    }

    private static String lastText(JobRecord job) {
        String text = "";
        for (var message : job.messages()) {
            for (ContentPart part : message.content()) {
                if (part.text() != null) {
                    text = part.text();
                }
            }
        }
        return text;
    }
}
