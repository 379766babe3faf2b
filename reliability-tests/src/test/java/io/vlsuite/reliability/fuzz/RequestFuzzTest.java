package io.vlsuite.reliability.fuzz;

import io.vlsuite.reliability.RunningSuite;
import io.vlsuite.reliability.SuiteClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random and mutated JSON bodies to {@code /v1/chat/completions} and {@code /v1/jobs} (preprocess-service directly,
 * so the gateway's rate limiter does not throttle the fuzzer): never a 5xx, and every refusal is problem+json with
 * a code. Seeded; a failure names the seed, iteration and body.
 */
class RequestFuzzTest {

    /** Valid requests the mutations start from; small max_tokens so accepted ones stay cheap. */
    static final List<String> SEEDS = List.of(
            SuiteClient.SMALL_CHAT,
            "{\"model\":\"vlsuite/tiny-trained\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                    + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Hi\"},{\"type\":\"image_url\","
                    + "\"image_url\":{\"url\":\"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC\"}}]}],"
                    + "\"max_tokens\":2,\"temperature\":0.5,\"top_p\":0.9,\"top_k\":5,\"stop\":[\"x\"],\"seed\":3}",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_completion_tokens\":2,\"stream\":true,"
                    + "\"stream_options\":{\"include_usage\":true},\"n\":2,\"metadata\":{\"a\":\"b\"},"
                    + "\"webhook\":\"http://127.0.0.1:9/hook\"}");
    static final String[] TOKENS = {"{", "}", "[", "]", ",", ":", "\"", "null", "true", "-1", "1e309", "0.5",
            "\"messages\"", "\"role\"", "\"content\"", "\"image_url\"", "\"url\"", "\"data:image/png;base64,\"",
            "\"max_tokens\"", "99999999999999999999", "\"\\u0000\"", "\"\\ud800\"", "\"<|image_pad|>\"", "\u00ff", "\\"};

    @Test
    void mutatedBodiesNeverCauseA5xx() {
        fuzz(Long.getLong("fuzz.seed", 20261126L), Duration.ofSeconds(Long.getLong("fuzz.request.seconds", 25L)));
    }

    @Test
    @Tag("slow")
    void mutatedBodiesForLonger() {
        fuzz(System.nanoTime(), Duration.ofSeconds(Long.getLong("fuzz.request.slow-seconds", 180L)));
    }

    private static void fuzz(long seed, Duration budget) {
        SuiteClient client = RunningSuite.get().direct();
        Random random = new Random(seed);
        long deadline = System.nanoTime() + budget.toNanos();
        int iterations = 0;
        int accepted = 0;
        while (System.nanoTime() < deadline) {
            String path = random.nextBoolean() ? "/v1/chat/completions" : "/v1/jobs";
            byte[] body = body(random);
            SuiteClient.Answer answer = client.sendOnce(client.request(path)
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
            String where = "seed " + seed + ", iteration " + iterations + ", " + path + " body "
                    + new String(body, StandardCharsets.UTF_8);
            assertThat(answer.status()).as("%s -> %s", where, answer.body()).isLessThan(500);
            if (answer.status() >= 400) {
                assertThat(answer.contentType()).as(where).startsWith("application/problem+json");
                assertThat(answer.code()).as(where).isNotBlank();
            } else {
                accepted++;
            }
            iterations++;
        }
        System.out.printf("request fuzz: seed %d, %d bodies, %d accepted%n", seed, iterations, accepted);
        assertThat(iterations).isGreaterThan(20);
    }

    private static byte[] body(Random random) {
        String seed = SEEDS.get(random.nextInt(SEEDS.size()));
        return switch (random.nextInt(3)) {
            // Byte-level havoc: breaks UTF-8 and JSON syntax.
            case 0 -> Mutator.mutate(seed.getBytes(StandardCharsets.UTF_8), random);
            // Token-level: still mostly JSON, with wrong types, odd numbers and reserved strings in odd places.
            case 1 -> {
                StringBuilder s = new StringBuilder(seed);
                for (int i = 1 + random.nextInt(4); i > 0; i--) {
                    int at = random.nextInt(s.length());
                    int len = random.nextInt(Math.min(8, s.length() - at) + 1);
                    s.replace(at, at + len, TOKENS[random.nextInt(TOKENS.length)]);
                }
                yield s.toString().getBytes(StandardCharsets.UTF_8);
            }
            // Structured nonsense: deep nesting and huge arrays within the body limit.
            default -> {
                int depth = 1 + random.nextInt(3000);
                String open = random.nextBoolean() ? "[" : "{\"a\":";
                String close = open.equals("[") ? "]" : "}";
                yield ("{\"messages\":" + open.repeat(depth) + "1" + close.repeat(depth) + "}")
                        .getBytes(StandardCharsets.UTF_8);
            }
        };
    }
}
