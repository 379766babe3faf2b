package io.vlsuite.inference.worker;

import io.vlsuite.contracts.job.JobEvent;
import io.vlsuite.contracts.job.JobRecord;
import io.vlsuite.contracts.job.JobStatus;
import io.vlsuite.contracts.job.Lane;
import io.vlsuite.embedded.junit.EmbeddedInfraExtension;
import io.vlsuite.inference.support.ScriptedEngine;
import io.vlsuite.inference.support.WorkerHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ledger check of reliability.md (F1/F18): two workers share the load, one is killed mid-run; every accepted job
 * still reaches exactly one terminal state, its document agrees, and every offset is committed.
 */
@ExtendWith(EmbeddedInfraExtension.class)
class WorkerLedgerTest {

    @Test
    void everyJobEndsCompletedOnceAlthoughAWorkerDiesMidRun() {
        try (var h = new WorkerHarness(2)) {
            var a = h.startWorker(new ScriptedEngine(2), h.settings(0, Duration.ofMinutes(1)), null);
            var b = new ScriptedEngine(2);
            h.startWorker(b, h.settings(0, Duration.ofMinutes(1)), null);
            List<JobRecord> jobs = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                JobRecord job = WorkerHarness.textJob(i % 3 == 0 ? Lane.INTERACTIVE : Lane.BATCH,
                        "tokens=5 delayMs=40", i % 2 == 0);
                h.createDocument(job);
                h.publish(job);
                jobs.add(job);
            }
            WorkerHarness.await(Duration.ofSeconds(60),
                    () -> jobs.stream().filter(j -> !h.terminalsOf(j.jobId()).isEmpty()).count() >= 6, "a quarter done");
            a.kill();

            WorkerHarness.await(Duration.ofSeconds(90),
                    () -> jobs.stream().allMatch(j -> !h.terminalsOf(j.jobId()).isEmpty()), "every job terminal");
            WorkerHarness.await(Duration.ofSeconds(30), () -> h.committed(h.topics.batch())
                    + h.committed(h.topics.interactive()) == jobs.size(), "every offset committed");
            for (JobRecord job : jobs) {
                List<JobEvent> terminals = h.terminalsOf(job.jobId());
                Set<String> outcomes = terminals.stream().map(e -> e.type() + ":" + e.choices().getFirst().text())
                        .collect(Collectors.toSet());
                assertThat(outcomes).as("terminal outcomes of %s", job.jobId())
                        .containsExactly(JobEvent.COMPLETED + ":w0 w1 w2 w3 w4 ");
                assertThat(h.document(job).status()).isEqualTo(JobStatus.COMPLETED);
            }
            assertThat(b.overCapacitySubmissions()).isZero();
        }
    }
}
