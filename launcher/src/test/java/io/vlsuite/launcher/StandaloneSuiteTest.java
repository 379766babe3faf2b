package io.vlsuite.launcher;

import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.MakeBucketArgs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** The standalone suite as a user starts it: real broker, real S3 server, three services, all on loopback. */
class StandaloneSuiteTest {

    @TempDir
    static Path dataDir;
    static final String WEBHOOK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static StandaloneSuite suite;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        suite = StandaloneSuite.start(StandaloneSettings.ephemeral(dataDir, "test-key", WEBHOOK_SECRET));
    }

    @AfterAll
    static void stop() {
        if (suite != null) {
            suite.close();
        }
    }

    @Test
    void healthThroughTheGatewayIsUpWithKafkaAndS3Reachable() throws Exception {
        var response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + suite.gatewayPort() + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"UP\"").contains("preprocessService");
    }

    @Test
    void aRecordRoundTripsThroughTheEmbeddedBroker() {
        String bootstrap = suite.infra().kafkaBootstrapServers();
        suite.infra().kafka().createTopics(List.of("vlsuite.smoke"), 1);
        try (var producer = new KafkaProducer<String, String>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("vlsuite.smoke", "job-1", "hello kafka")).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "smoke");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("vlsuite.smoke"));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            String value = null;
            while (value == null && System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    assertThat(record.key()).isEqualTo("job-1");
                    value = record.value();
                }
            }
            assertThat(value).isEqualTo("hello kafka");
        }
    }

    @Test
    void anObjectRoundTripsThroughTheS3ServerAndLandsInTheDataFolder() throws Exception {
        MinioClient client = MinioClient.builder().endpoint(suite.infra().s3Endpoint().toString())
                .credentials(StandaloneSuite.S3_ACCESS_KEY, StandaloneSuite.S3_SECRET_KEY).build();
        client.makeBucket(MakeBucketArgs.builder().bucket("smoke").build());
        byte[] bytes = "hello s3".getBytes(StandardCharsets.UTF_8);
        client.putObject(PutObjectArgs.builder().bucket("smoke").object("a/b.txt")
                .stream(new ByteArrayInputStream(bytes), (long) bytes.length, -1L).build());
        try (var in = client.getObject(GetObjectArgs.builder().bucket("smoke").object("a/b.txt").build())) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
        try (var files = Files.walk(dataDir.resolve("s3"))) {
            assertThat(files.anyMatch(p -> p.endsWith("b.txt"))).isTrue();
        }
    }

    @Test
    void theBundledModelIsExtractedCompletely() throws Exception {
        assertThat(suite.modelDir()).isEqualTo(dataDir.resolve("models").resolve("tiny-trained"));
        for (String file : BundledModel.files()) {
            assertThat(Files.size(suite.modelDir().resolve(file)))
                    .as(file).isEqualTo(Files.size(Path.of("../models/tiny-trained").resolve(file)));
        }
        try (var listing = Files.list(Path.of("../models/tiny-trained"))) {
            assertThat(BundledModel.files()).as("FILES lists every file of models/tiny-trained")
                    .containsExactlyInAnyOrderElementsOf(listing.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void theBannerShowsTheUrlsAndAReadyToPasteCurl() {
        var out = new ByteArrayOutputStream();
        StandaloneLauncher.printBanner(suite, new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("http://localhost:" + suite.gatewayPort() + "/v1")
                .contains("curl -s http://localhost:" + suite.gatewayPort() + "/v1/models -H 'Authorization: Bearer test-key'");
    }

    @Test
    void theStartCommandsDemoQuestionIsAnsweredByTheModel() {
        var out = new ByteArrayOutputStream();
        StandaloneLauncher.askDemoQuestion(suite, new PrintStream(out, true, StandardCharsets.UTF_8));
        // The reference answer of transformers (greedy) for this picture: testdata/tiny-trained-eval row 12.
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("  Q: Describe this image.\n  A: A orange triangle.\n");
    }

    @Test
    void aBusyPortIsOneClearSentence() throws Exception {
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            int busy = socket.getLocalPort();
            var settings = new StandaloneSettings(dataDir.resolve("second"), 0, busy, 0, 0, 0, 0, "k", false, Optional.empty(),
                    WEBHOOK_SECRET, false);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> StandaloneSuite.start(settings))
                    .isInstanceOf(io.vlsuite.embedded.Ports.PortInUseException.class)
                    .hasMessage("preprocess-service cannot start: port " + busy + " on 127.0.0.1 is already in use "
                            + "(another vlsuite or another program?). Stop it or set VLSUITE_PREPROCESS_PORT to a free port.");
        }
    }
}
