package io.vlsuite.reliability.load;

import io.vlsuite.launcher.StandaloneSettings;
import io.vlsuite.launcher.StandaloneSuite;
import io.vlsuite.reliability.JobLedger;
import io.vlsuite.reliability.SuiteClient;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * Drives N concurrent clients for a fixed time against the suite's gateway (the standalone suite it starts itself,
 * or a running one given by {@code --url} and {@code --key}) and prints throughput, latency percentiles, answers by
 * status and problem code, and the job ledger. Each client alternates a sync chat completion and an async job, so
 * both paths are loaded and the ledger has jobs to check.
 *
 * <pre>
 * ./mvnw -B -q -pl reliability-tests -am install -DskipTests
 * ./mvnw -B -q -pl reliability-tests -Pload exec:exec -Dload.clients=8 -Dload.seconds=30
 * </pre>
 */
public final class LoadTest {

    private LoadTest() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new TreeMap<>();
        for (String arg : args) {
            if (arg.startsWith("--") && arg.contains("=")) {
                options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            }
        }
        int clients = Integer.parseInt(options.getOrDefault("clients", "8"));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "30"));
        String url = options.getOrDefault("url", "");
        String key = options.getOrDefault("key", "");

        StandaloneSuite suite = null;
        if (url.isBlank()) {
            // The load generator measures the services, not the per-tenant quota: lift the gateway's limits for
            // the suite started here (a running suite keeps its own settings).
            System.setProperty("vlsuite.gateway.rate-limit.requests-per-second", "100000");
            System.setProperty("vlsuite.gateway.rate-limit.burst", "100000");
            System.setProperty("vlsuite.gateway.rate-limit.max-concurrent-requests", "4096");
            Path dataDir = Files.createTempDirectory("vlsuite-load");
            key = "load-test-key";
            suite = StandaloneSuite.start(StandaloneSettings.ephemeral(dataDir, key, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
            url = "http://127.0.0.1:" + suite.gatewayPort();
        }
        try {
            Result result = run(new SuiteClient(URI.create(url), key), clients, Duration.ofSeconds(seconds));
            System.out.println(result.report());
            if (!result.ledger().clean()) {
                System.exit(1);
            }
        } finally {
            if (suite != null) {
                suite.close();
            }
        }
    }

    record Result(int clients, Duration duration, long[] syncLatenciesMicros, long asyncAccepted,
                  Map<String, Long> answers, JobLedger.Report ledger) {

        String report() {
            long[] l = syncLatenciesMicros.clone();
            Arrays.sort(l);
            long total = answers.values().stream().mapToLong(Long::longValue).sum();
            double secs = duration.toMillis() / 1000.0;
            return String.format("""
                    clients=%d duration=%.0fs requests=%d (%.1f/s)
                    sync chat completions: %d ok (%.2f/s), latency p50=%.0f ms p90=%.0f ms p99=%.0f ms max=%.0f ms
                    async jobs accepted: %d
                    answers by status/code: %s
                    %s""", clients, secs, total, total / secs, l.length, l.length / secs,
                    pct(l, 0.50), pct(l, 0.90), pct(l, 0.99), l.length == 0 ? 0.0 : l[l.length - 1] / 1000.0,
                    asyncAccepted, answers, ledger);
        }

        private static double pct(long[] sorted, double p) {
            if (sorted.length == 0) {
                return 0;
            }
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1000.0;
        }
    }

    static Result run(SuiteClient client, int clients, Duration duration) throws Exception {
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        ConcurrentHashMap<String, LongAdder> answers = new ConcurrentHashMap<>();
        JobLedger ledger = new JobLedger();
        LongAdder accepted = new LongAdder();
        long end = System.nanoTime() + duration.toNanos();
        long started = System.nanoTime();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int clientNo = c;
                futures.add(pool.submit(() -> {
                    for (int i = 0; System.nanoTime() < end; i++) {
                        boolean sync = (i + clientNo) % 2 == 0;
                        // Distinct prompts per client: nothing is answered from a cache.
                        String body = SuiteClient.SMALL_CHAT.replace("Describe the picture.",
                                "Describe picture " + clientNo + "-" + i + ".");
                        long t0 = System.nanoTime();
                        SuiteClient.Answer answer;
                        try {
                            answer = client.sendOnce(client.request(sync ? "/v1/chat/completions" : "/v1/jobs")
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(body)).build());
                        } catch (RuntimeException e) {
                            answers.computeIfAbsent("io:" + e.getClass().getSimpleName(), k -> new LongAdder()).increment();
                            continue;
                        }
                        long micros = (System.nanoTime() - t0) / 1000;
                        String code = answer.code();
                        answers.computeIfAbsent(answer.status() + (code == null ? "" : ":" + code),
                                k -> new LongAdder()).increment();
                        if (sync && answer.status() == 200) {
                            latencies.add(micros);
                        } else if (!sync && answer.status() == 202) {
                            accepted.increment();
                            ledger.accepted(answer.json().path("id").asText());
                        }
                    }
                    return null;
                }));
            }
            for (var f : futures) {
                f.get();
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        JobLedger.Report report = ledger.settle(client, Duration.ofMinutes(5));
        Map<String, Long> counts = new TreeMap<>();
        answers.forEach((k, v) -> counts.put(k, v.sum()));
        return new Result(clients, elapsed, latencies.stream().mapToLong(Long::longValue).toArray(),
                accepted.sum(), counts, report);
    }
}
