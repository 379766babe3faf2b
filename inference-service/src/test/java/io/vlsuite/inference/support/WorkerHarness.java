package io.vlsuite.inference.support;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vlsuite.contracts.job.ChatMessage;
import io.vlsuite.contracts.job.ContentPart;
import io.vlsuite.contracts.job.JobControl;
import io.vlsuite.contracts.job.JobDocument;
import io.vlsuite.contracts.job.JobEvent;
import io.vlsuite.contracts.job.JobRecord;
import io.vlsuite.contracts.job.JobStatus;
import io.vlsuite.contracts.job.Lane;
import io.vlsuite.contracts.job.Sampling;
import io.vlsuite.inference.config.InferenceProperties;
import io.vlsuite.inference.engine.InferenceEngine;
import io.vlsuite.inference.jobs.JobDocuments;
import io.vlsuite.inference.jobs.JobJson;
import io.vlsuite.inference.jobs.StoreJobDocuments;
import io.vlsuite.inference.media.StoreMediaReader;
import io.vlsuite.inference.metrics.InferenceMetrics;
import io.vlsuite.inference.prepare.GenerationDefaults;
import io.vlsuite.inference.prepare.JobPreparer;
import io.vlsuite.inference.prepare.SamplingMapper;
import io.vlsuite.inference.worker.WorkerNode;
import io.vlsuite.inference.worker.WorkerSettings;
import io.vlsuite.media.BucketLayout;
import io.vlsuite.media.JobDocumentStore;
import io.vlsuite.media.MediaStore;
import io.vlsuite.media.s3.S3ObjectStorage;
import io.vlsuite.media.s3.StorageSettings;
import io.vlsuite.qwen2vl.image.ImageProcessor;
import io.vlsuite.qwen2vl.template.PromptBuilder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Real Kafka topics (fresh names per harness, so tests sharing the JVM's broker never see each other's records),
 * the real S3 server for job documents and media, the real tokenizer and chat template of the bundled model, and
 * an engine of the test's choice. Needs {@code EmbeddedInfraExtension} on the test class.
 */
public final class WorkerHarness implements AutoCloseable {

    public static final Path MODEL = Path.of(System.getProperty("user.dir")).resolve("../models/tiny-trained");
    private static final PromptBuilder PROMPTS = PromptBuilder.load(MODEL);

    public final InferenceProperties.TopicNames topics;
    public final String groupId = "workers-" + UUID.randomUUID();
    public final String bootstrap = System.getProperty("spring.kafka.bootstrap-servers");
    public final JobDocumentStore documentStore;
    public final JobDocuments documents;
    public final MediaStore media;
    private final S3ObjectStorage storage;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> eventConsumer;
    private final KafkaConsumer<String, byte[]> dltConsumer;
    public final List<JobEvent> events = new CopyOnWriteArrayList<>();
    public final List<ConsumerRecord<String, byte[]>> deadLetters = new CopyOnWriteArrayList<>();
    private final List<WorkerNode> nodes = new ArrayList<>();
    private final Thread collector;
    private volatile boolean closed;

    public WorkerHarness(int partitions) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        topics = new InferenceProperties.TopicNames("t-interactive-" + suffix, "t-batch-" + suffix,
                "t-events-" + suffix, "t-dlt-" + suffix, "t-control-" + suffix);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topics.interactive(), partitions, (short) 1),
                    new NewTopic(topics.batch(), partitions, (short) 1), new NewTopic(topics.events(), 1, (short) 1),
                    new NewTopic(topics.dlt(), partitions, (short) 1), new NewTopic(topics.control(), 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create test topics", e);
        }
        storage = S3ObjectStorage.create(StorageSettings.of(URI.create(System.getProperty("vlsuite.media-store.endpoint")),
                System.getProperty("vlsuite.media-store.access-key"), System.getProperty("vlsuite.media-store.secret-key")), null);
        BucketLayout.DEFAULTS.buckets().forEach(storage::ensureBucket);
        documentStore = new JobDocumentStore(storage, BucketLayout.DEFAULTS);
        documents = new StoreJobDocuments(documentStore);
        media = new MediaStore(storage, BucketLayout.DEFAULTS);
        producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, "acks", "all"), new StringSerializer(),
                new ByteArraySerializer());
        eventConsumer = readerOf(topics.events(), 1);
        dltConsumer = readerOf(topics.dlt(), partitions);
        collector = Thread.ofPlatform().daemon(true).start(this::collect);
    }

    private KafkaConsumer<String, byte[]> readerOf(String topic, int partitions) {
        var c = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", bootstrap,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> tps = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            tps.add(new TopicPartition(topic, p));
        }
        c.assign(tps);
        c.seekToBeginning(tps);
        return c;
    }

    private void collect() {
        while (!closed) {
            try {
                for (var r : eventConsumer.poll(Duration.ofMillis(50))) {
                    events.add(JobJson.MAPPER.readValue(r.value(), JobEvent.class));
                }
                for (var r : dltConsumer.poll(Duration.ofMillis(50))) {
                    deadLetters.add(r);
                }
            } catch (Exception e) {
                if (!closed) {
                    e.printStackTrace();
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ workers

    public WorkerSettings settings(int capacity, Duration maxPollInterval) {
        return new WorkerSettings("w-" + UUID.randomUUID().toString().substring(0, 6), groupId, topics, capacity, 0,
                maxPollInterval, Duration.ofMillis(50), Duration.ofMillis(50), Duration.ofSeconds(10), 2,
                Duration.ofMillis(100), Duration.ofMinutes(1));
    }

    public WorkerNode startWorker(InferenceEngine engine, WorkerSettings settings, ConsumerRebalanceListener observer) {
        return startWorker(engine, settings, observer, Map.of());
    }

    public WorkerNode startWorker(InferenceEngine engine, WorkerSettings settings, ConsumerRebalanceListener observer,
                                  Map<String, Object> extraConsumerProps) {
        return startWorker(engine, settings, observer, extraConsumerProps, documents);
    }

    public WorkerNode startWorker(InferenceEngine engine, WorkerSettings settings, ConsumerRebalanceListener observer,
                                  Map<String, Object> extraConsumerProps, JobDocuments documents) {
        var preparer = new JobPreparer(PROMPTS, ImageProcessor.forModel(MODEL), new StoreMediaReader(media),
                new SamplingMapper(GenerationDefaults.load(MODEL)), 4096);
        Map<String, Object> consumerProps = new HashMap<>(extraConsumerProps);
        consumerProps.put("bootstrap.servers", bootstrap);
        var node = new WorkerNode(settings, consumerProps, Map.of("bootstrap.servers", bootstrap), engine, preparer,
                documents, new InferenceMetrics(new SimpleMeterRegistry(), engine), observer);
        node.start();
        nodes.add(node);
        await(Duration.ofSeconds(30), node::ready, "worker assignment and control positions");
        return node;
    }

    // ------------------------------------------------------------------------------------------------ jobs

    public static JobRecord textJob(Lane lane, String text, boolean stream) {
        return job(lane, text, stream, null);
    }

    public static JobRecord job(Lane lane, String text, boolean stream, Instant deadline) {
        return new JobRecord("job-" + UUID.randomUUID(), "acme", lane, "tiny",
                List.of(new ChatMessage("user", List.of(ContentPart.text(text)))),
                new Sampling(64, null, null, null, null, null, null, null, null, null, null, null, null, null, null),
                stream, Instant.now(), deadline, "req-1");
    }

    /** A job with one stored image (56x56: grid 1x4x4, 4 vision tokens). */
    public static JobRecord imageJob(Lane lane, String key) {
        var ref = new io.vlsuite.contracts.job.MediaRef(io.vlsuite.contracts.job.MediaRef.IMAGE, List.of(key), 56, 56,
                List.of(1, 4, 4), null);
        return new JobRecord("job-" + UUID.randomUUID(), "acme", lane, "tiny",
                List.of(new ChatMessage("user", List.of(ContentPart.media(ref), ContentPart.text("What is this?")))),
                new Sampling(8, 0.0, null, null, null, null, null, null, null, null, null, null, null, null, null),
                false, Instant.now(), null, "req-1");
    }

    /** Creates the job document (queued), as preprocess-service does before publishing. */
    public void createDocument(JobRecord job) {
        createDocument(job, JobStatus.QUEUED, null);
    }

    public void createDocument(JobRecord job, JobStatus status, JobEvent result) {
        Instant now = Instant.now();
        var doc = new JobDocument(job.jobId(), job.tenant(), status, job.lane(), now, now, job, result, null, null,
                null, null, null, null);
        try {
            documentStore.create(job.tenant(), job.jobId(), JobJson.MAPPER.writeValueAsBytes(doc));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public JobDocument document(JobRecord job) {
        return documents.find(job.tenant(), job.jobId()).orElseThrow();
    }

    public void publish(JobRecord job) {
        send(job.lane() == Lane.BATCH ? topics.batch() : topics.interactive(), job.jobId(), json(job));
    }

    public void send(String topic, String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public void cancel(JobRecord job) {
        send(topics.control(), job.jobId(), json(JobControl.cancel(job.jobId(), job.tenant())));
    }

    private static byte[] json(Object o) {
        try {
            return JobJson.MAPPER.writeValueAsBytes(o);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------------------------------------ events

    public List<JobEvent> eventsOf(String jobId) {
        return events.stream().filter(e -> jobId.equals(e.jobId())).toList();
    }

    public List<JobEvent> terminalsOf(String jobId) {
        return eventsOf(jobId).stream().filter(JobEvent::isTerminal).toList();
    }

    public JobEvent awaitTerminal(String jobId, Duration timeout) {
        await(timeout, () -> !terminalsOf(jobId).isEmpty(), "terminal event of " + jobId);
        return terminalsOf(jobId).getFirst();
    }

    public JobEvent awaitEvent(String jobId, Predicate<JobEvent> which, Duration timeout) {
        await(timeout, () -> eventsOf(jobId).stream().anyMatch(which), "event of " + jobId);
        return eventsOf(jobId).stream().filter(which).findFirst().orElseThrow();
    }

    /** The group's committed offsets of a topic, summed over partitions. */
    public long committed(String topic) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset()).sum();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static void await(Duration timeout, java.util.function.BooleanSupplier condition, String what) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        for (WorkerNode node : nodes) {
            try {
                node.close();
            } catch (RuntimeException ignored) {
                // already killed
            }
        }
        closed = true;
        try {
            collector.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        eventConsumer.close();
        dltConsumer.close();
        producer.close();
        storage.close();
    }
}
