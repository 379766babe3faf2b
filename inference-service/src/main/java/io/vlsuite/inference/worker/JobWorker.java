package io.vlsuite.inference.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.vlsuite.contracts.job.JobRecord;
import io.vlsuite.contracts.job.Lane;
import io.vlsuite.inference.engine.InferenceEngine;
import io.vlsuite.inference.jobs.JobJson;
import io.vlsuite.inference.metrics.InferenceMetrics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The Kafka side of a worker: one thread that only polls, and never waits for a job. Jobs run on their own
 * threads ({@link JobRunner}); the loop keeps an in-flight window as large as the engine's capacity:
 * <ul>
 *   <li><b>Priority.</b> Interactive records are started before batch ones; batch partitions are paused whenever
 *       interactive work is waiting (fetched, or reported as lag on an interactive partition).</li>
 *   <li><b>Back-pressure without rebalances.</b> When the window is full (or the engine is not ready) every
 *       partition is paused and the loop
 *       keeps polling (which returns nothing but keeps the consumer in its group), so a job may run far longer than
 *       {@code max.poll.interval.ms}; partitions are resumed when slots free.</li>
 *   <li><b>At-least-once, exactly one result.</b> An offset is committed only after its job's terminal event is
 *       acknowledged, per partition up to the first unfinished job; a redelivered job whose document is terminal is
 *       skipped (its terminal event re-published).</li>
 *   <li><b>Shutdown.</b> Stops taking jobs, lets running ones finish for up to the shutdown timeout, then hands the
 *       rest back (cancelled in the engine, offsets not committed) so another worker redelivers them.</li>
 * </ul>
 */
public final class JobWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JobWorker.class);

    private final WorkerSettings settings;
    private final Consumer<String, byte[]> consumer;
    private final JobRunner runner;
    private final InferenceMetrics metrics;
    private final ConsumerRebalanceListener observer;
    private final InstantSource clock;
    private final InferenceEngine engine;
    private final int capacity;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService timer;

    /** Poll-thread state. */
    private final Map<TopicPartition, PartitionOffsets> offsets = new HashMap<>();
    private final ArrayDeque<JobRun> waitingInteractive = new ArrayDeque<>();
    private final ArrayDeque<JobRun> waitingBatch = new ArrayDeque<>();
    private final Set<JobRun> running = new HashSet<>();
    private int runningPoison;

    /** Shared with runner threads and the control listener. */
    private final ConcurrentLinkedQueue<Finished> finished = new ConcurrentLinkedQueue<>();
    private final Map<String, JobRun> active = new ConcurrentHashMap<>();
    private final Map<String, Instant> earlyCancels = new ConcurrentHashMap<>();

    private final Thread thread;
    private volatile boolean stopRequested;
    private volatile boolean assigned;

    private record Finished(JobRun run, ConsumerRecord<String, byte[]> record, JobRun.Outcome outcome) {
    }

    /**
     * @param consumerProperties Kafka client settings (bootstrap servers, security); group, deserializers, commit
     *                           and poll settings are set here
     * @param observer           told about every rebalance after the worker handled it (tests, operators)
     */
    public JobWorker(WorkerSettings settings, Map<String, Object> consumerProperties, JobRunnerFactory runners,
                     InferenceEngine engine, InferenceMetrics metrics, ConsumerRebalanceListener observer,
                     InstantSource clock) {
        this.settings = settings;
        this.engine = engine;
        this.capacity = settings.capacity() > 0 ? Math.min(settings.capacity(), engine.capacity()) : engine.capacity();
        this.metrics = metrics;
        this.observer = observer;
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("job-timer-", 0).daemon(true)
                .factory());
        this.runner = runners.create(timer);
        this.consumer = new KafkaConsumer<>(consumerConfig(consumerProperties), new StringDeserializer(),
                new ByteArrayDeserializer());
        this.thread = Thread.ofPlatform().name("job-worker-" + settings.workerId()).unstarted(this::loop);
    }

    /** Builds the runner once the worker's timer exists. */
    @FunctionalInterface
    public interface JobRunnerFactory {
        JobRunner create(ScheduledExecutorService timer);
    }

    private Map<String, Object> consumerConfig(Map<String, Object> base) {
        Map<String, Object> c = new HashMap<>(base);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.maxPollRecords() > 0 ? settings.maxPollRecords() : capacity);
        c.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) settings.maxPollInterval().toMillis());
        c.putIfAbsent(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        c.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "vlsuite-worker-" + settings.workerId());
        c.remove(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG);
        c.remove(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);
        return c;
    }

    public void start() {
        thread.start();
    }

    /** The in-flight window: most jobs running at once. */
    public int capacity() {
        return capacity;
    }

    public String workerId() {
        return settings.workerId();
    }

    /** Whether the poll loop thread is running. */
    public boolean alive() {
        return thread.isAlive();
    }

    /** Whether the consumer has received its first assignment (tests wait for it). */
    public boolean assigned() {
        return assigned;
    }

    /**
     * A cancel command: stops the job if this worker holds it, else remembers it for a while in case the job's
     * record arrives later. Safe from any thread.
     */
    public void cancel(String jobId) {
        JobRun run = active.get(jobId);
        if (run != null) {
            log.info("cancelling job {}", jobId);
            run.cancel();
        } else {
            earlyCancels.put(jobId, clock.instant());
        }
    }

    /**
     * Stops gracefully: no new jobs, running ones may finish within the shutdown timeout, the rest is handed back.
     * Blocks until the consumer is closed.
     */
    @Override
    public void close() {
        stopRequested = true;
        try {
            thread.join(settings.shutdownTimeout().plusSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
        timer.shutdownNow();
    }

    /** Stops at once without finishing or committing anything: what a crash looks like to Kafka (tests). */
    public void kill() {
        killed = true;
        stopRequested = true;
        close();
    }

    private volatile boolean killed;

    // ------------------------------------------------------------------------------------------------ the loop

    private void loop() {
        try {
            consumer.subscribe(List.of(settings.topics().interactive(), settings.topics().batch()), new Rebalance());
            while (!stopRequested) {
                ConsumerRecords<String, byte[]> records = consumer.poll(settings.pollTimeout());
                accept(records);
                collectFinished();
                dispatch();
                commit(false);
                adjustPauses();
                report();
            }
            if (killed) {
                handBackAll();
                return;
            }
            drain();
        } catch (RuntimeException e) {
            log.error("worker {} poll loop failed; handing back its jobs", settings.workerId(), e);
            handBackAll();
        } finally {
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                log.warn("closing the consumer failed: {}", e.toString());
            }
        }
    }

    /** Shutdown: wait (polling, committing) for running jobs up to the timeout, then hand back what remains. */
    private void drain() {
        Instant giveUp = clock.instant().plus(settings.shutdownTimeout());
        for (JobRun run : waitingInteractive) {
            active.remove(run.jobId(), run);
        }
        for (JobRun run : waitingBatch) {
            active.remove(run.jobId(), run);
        }
        waitingInteractive.clear();
        waitingBatch.clear();
        consumer.pause(consumer.assignment());
        while ((!running.isEmpty() || runningPoison > 0) && clock.instant().isBefore(giveUp)) {
            consumer.poll(settings.pollTimeout());
            collectFinished();
            commit(false);
        }
        if (!running.isEmpty()) {
            log.warn("shutdown timeout: handing back {} running job(s)", running.size());
            running.forEach(JobRun::handBack);
            Instant grace = clock.instant().plusSeconds(5);
            while (!running.isEmpty() && clock.instant().isBefore(grace)) {
                consumer.poll(Duration.ofMillis(50));
                collectFinished();
            }
        }
        commit(true);
    }

    private void handBackAll() {
        running.forEach(JobRun::handBack);
        active.values().forEach(JobRun::handBack);
    }

    private void accept(ConsumerRecords<String, byte[]> records) {
        if (records.isEmpty()) {
            return;
        }
        // Interactive first, so that a poll returning both lanes starts the interactive ones before batch ones.
        List<ConsumerRecord<String, byte[]>> ordered = new ArrayList<>(records.count());
        records.records(settings.topics().interactive()).forEach(ordered::add);
        records.records(settings.topics().batch()).forEach(ordered::add);
        for (ConsumerRecord<String, byte[]> record : ordered) {
            TopicPartition tp = new TopicPartition(record.topic(), record.partition());
            offsets.computeIfAbsent(tp, k -> new PartitionOffsets()).fetched(record.offset());
            Lane lane = record.topic().equals(settings.topics().interactive()) ? Lane.INTERACTIVE : Lane.BATCH;
            JobRecord job;
            JsonNode tree = null;
            String problem;
            try {
                job = record.value() == null ? null : JobJson.MAPPER.readValue(record.value(), JobRecord.class);
                problem = job == null ? "the record has no value" : missingFields(job);
            } catch (Exception e) {
                job = null;
                tree = JobRunner.tryTree(record.value());
                problem = "undeserialisable job record: " + e.getMessage();
            }
            if (problem != null) {
                JsonNode t = tree;
                String p = problem;
                runningPoison++;
                executor.execute(() -> finished.add(new Finished(null, record, runner.poison(record, p, t))));
                continue;
            }
            JobRun run = new JobRun(record, job, lane, clock.instant());
            active.put(job.jobId(), run);
            if (earlyCancels.remove(job.jobId()) != null) {
                run.cancel();
            }
            (lane == Lane.INTERACTIVE ? waitingInteractive : waitingBatch).add(run);
        }
    }

    private static String missingFields(JobRecord job) {
        if (job.jobId() == null || job.jobId().isBlank()) {
            return "the job record has no jobId";
        }
        if (job.tenant() == null || job.tenant().isBlank()) {
            return "the job record has no tenant";
        }
        return null;
    }

    /**
     * Starts waiting jobs while slots are free and the engine is ready (interactive first); stopped ones start at
     * once to finish. Records fetched in the same poll that assigned the partitions (before the pause could apply)
     * wait here until the engine is ready instead of failing.
     */
    private void dispatch() {
        startStopped(waitingInteractive);
        startStopped(waitingBatch);
        if (!engine.ready()) {
            return;
        }
        while (running.size() < capacity && !(waitingInteractive.isEmpty() && waitingBatch.isEmpty())) {
            start(!waitingInteractive.isEmpty() ? waitingInteractive.poll() : waitingBatch.poll());
        }
    }

    private void startStopped(ArrayDeque<JobRun> queue) {
        Instant now = clock.instant();
        for (Iterator<JobRun> it = queue.iterator(); it.hasNext(); ) {
            JobRun run = it.next();
            if (run.stopping() || (run.job().deadline() != null && !now.isBefore(run.job().deadline()))) {
                it.remove();
                start(run);
            }
        }
    }

    private void start(JobRun run) {
        running.add(run);
        executor.execute(() -> finished.add(new Finished(run, run.record(), runner.run(run))));
    }

    private void collectFinished() {
        Finished f;
        while ((f = finished.poll()) != null) {
            if (f.run() == null) {
                runningPoison--;
            } else {
                running.remove(f.run());
                active.remove(f.run().jobId(), f.run());
            }
            if (f.outcome() == JobRun.Outcome.DONE) {
                PartitionOffsets po = offsets.get(new TopicPartition(f.record().topic(), f.record().partition()));
                if (po != null) {
                    po.finished(f.record().offset());
                }
            }
        }
        Instant forget = clock.instant().minus(settings.cancelMemory());
        earlyCancels.values().removeIf(at -> at.isBefore(forget));
    }

    /** Commits, per partition, up to the first unfinished job. */
    private void commit(boolean sync) {
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        offsets.forEach((tp, po) -> {
            long offset = po.committable();
            if (offset >= 0) {
                commits.put(tp, new OffsetAndMetadata(offset));
            }
        });
        if (commits.isEmpty()) {
            return;
        }
        try {
            if (sync) {
                consumer.commitSync(commits, Duration.ofSeconds(10));
            } else {
                consumer.commitAsync(commits, (done, e) -> {
                    // Runs on this thread, inside a later poll or commit.
                    if (e != null) {
                        log.warn("offset commit failed (will be retried): {}", e.toString());
                        commits.forEach((tp, om) -> {
                            PartitionOffsets po = offsets.get(tp);
                            if (po != null) {
                                po.commitFailed(om.offset());
                            }
                        });
                    }
                });
            }
            // Remembered at once so that the same offset is not sent again every tick; a failed async commit
            // forgets it again (see the callback).
            commits.forEach((tp, om) -> offsets.get(tp).committed(om.offset()));
        } catch (RuntimeException e) {
            log.warn("offset commit failed: {}", e.toString());
        }
    }

    /**
     * Window full: pause everything. Otherwise interactive partitions run, and batch partitions only while no
     * interactive work is waiting, here or in Kafka.
     */
    private void adjustPauses() {
        Set<TopicPartition> assignment = consumer.assignment();
        if (assignment.isEmpty()) {
            return;
        }
        int held = running.size() + waitingInteractive.size() + waitingBatch.size();
        List<TopicPartition> interactive = new ArrayList<>();
        List<TopicPartition> batch = new ArrayList<>();
        for (TopicPartition tp : assignment) {
            (tp.topic().equals(settings.topics().interactive()) ? interactive : batch).add(tp);
        }
        if (held >= capacity || !engine.ready()) {
            // Full, or the engine cannot take work (Triton unreachable): leave the jobs in Kafka rather than
            // fetching them only to fail them.
            consumer.pause(assignment);
            return;
        }
        consumer.resume(interactive);
        boolean interactiveWaiting = !waitingInteractive.isEmpty() || lag(interactive) > 0;
        if (interactiveWaiting) {
            consumer.pause(batch);
        } else {
            consumer.resume(batch);
        }
    }

    private long lag(Collection<TopicPartition> partitions) {
        long total = 0;
        for (TopicPartition tp : partitions) {
            total += consumer.currentLag(tp).orElse(0);
        }
        return total;
    }

    private void report() {
        Set<TopicPartition> interactive = new HashSet<>();
        Set<TopicPartition> batch = new HashSet<>();
        for (TopicPartition tp : consumer.assignment()) {
            (tp.topic().equals(settings.topics().interactive()) ? interactive : batch).add(tp);
        }
        metrics.lag(Lane.INTERACTIVE, lag(interactive));
        metrics.lag(Lane.BATCH, lag(batch));
        metrics.window(running.size(), waitingInteractive.size() + waitingBatch.size());
    }

    /** Runs in the poll thread (inside {@code poll}). */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (killed) {
                return; // a crash commits nothing
            }
            giveUp(partitions);
            // What is finished is committed before another worker takes over (cooperative: still allowed here).
            collectFinished();
            commitOnly(partitions);
            partitions.forEach(offsets::remove);
            observer.onPartitionsRevoked(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            giveUp(partitions);
            partitions.forEach(offsets::remove);
            observer.onPartitionsLost(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assigned = true;
            log.info("worker {} assigned {}", settings.workerId(), partitions);
            observer.onPartitionsAssigned(partitions);
        }

        /** Jobs of partitions this worker no longer owns are handed back: the new owner runs them. */
        private void giveUp(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            log.info("worker {} loses {}; handing back their jobs", settings.workerId(), partitions);
            for (ArrayDeque<JobRun> queue : List.of(waitingInteractive, waitingBatch)) {
                queue.removeIf(run -> {
                    boolean gone = partitions.contains(run.partition());
                    if (gone) {
                        active.remove(run.jobId(), run);
                    }
                    return gone;
                });
            }
            running.stream().filter(run -> partitions.contains(run.partition())).forEach(JobRun::handBack);
        }

        private void commitOnly(Collection<TopicPartition> partitions) {
            Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
            for (TopicPartition tp : partitions) {
                PartitionOffsets po = offsets.get(tp);
                long offset = po == null ? -1 : po.committable();
                if (offset >= 0) {
                    commits.put(tp, new OffsetAndMetadata(offset));
                }
            }
            if (!commits.isEmpty()) {
                try {
                    consumer.commitSync(commits, Duration.ofSeconds(10));
                } catch (RuntimeException e) {
                    log.warn("commit on revocation failed: {}", e.toString());
                }
            }
        }
    }
}
