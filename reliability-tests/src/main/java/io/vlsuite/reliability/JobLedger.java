package io.vlsuite.reliability;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Every job id that the suite accepted (202) goes in; {@link #settle} then waits until each one has reached a
 * terminal state and checks the ledger's invariant: exactly one terminal state per accepted job, and a completed
 * job carries exactly one result.
 */
public final class JobLedger {

    public static final Set<String> TERMINAL = Set.of("completed", "failed", "cancelled", "expired");

    private final ConcurrentLinkedQueue<String> accepted = new ConcurrentLinkedQueue<>();

    public void accepted(String jobId) {
        accepted.add(jobId);
    }

    public int size() {
        return accepted.size();
    }

    /** Waits for every accepted job to finish (up to {@code timeout} in total) and reports what was found. */
    public Report settle(SuiteClient client, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, String> finalStatus = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (String id : Set.copyOf(accepted)) {
            String status = null;
            JsonNode job = null;
            while (true) {
                SuiteClient.Answer answer = client.get("/v1/jobs/" + id);
                if (answer.status() != 200) {
                    problems.add(id + ": GET answered " + answer.status() + " " + answer.body());
                    break;
                }
                job = answer.json();
                status = job.path("status").asText();
                if (TERMINAL.contains(status) || System.nanoTime() > deadline) {
                    break;
                }
                SuiteClient.sleep(Duration.ofMillis(100));
            }
            if (status == null) {
                continue;
            }
            finalStatus.put(id, status);
            if (!TERMINAL.contains(status)) {
                problems.add(id + ": still " + status + " after the deadline");
            } else if (status.equals("completed")) {
                JsonNode choices = job.path("result").path("choices");
                if (!choices.isArray() || choices.size() != 1) {
                    problems.add(id + ": completed without exactly one result choice: " + job);
                }
            } else if (job.hasNonNull("result")) {
                problems.add(id + ": " + status + " but carries a result: " + job);
            }
        }
        // The same id accepted twice would be a duplicate job (idempotent retries answer 200, not 202).
        long duplicates = accepted.size() - Set.copyOf(accepted).size();
        if (duplicates > 0) {
            problems.add(duplicates + " job ids were accepted (202) more than once");
        }
        return new Report(accepted.size(), finalStatus, problems);
    }

    /** What {@link #settle} found. */
    public record Report(int accepted, Map<String, String> finalStatus, List<String> problems) {

        public long count(String status) {
            return finalStatus.values().stream().filter(status::equals).count();
        }

        public boolean clean() {
            return problems.isEmpty();
        }

        @Override
        public String toString() {
            return "ledger: accepted=" + accepted + " completed=" + count("completed") + " failed=" + count("failed")
                    + " cancelled=" + count("cancelled") + " expired=" + count("expired")
                    + (problems.isEmpty() ? " clean" : " PROBLEMS=" + problems);
        }
    }
}
