package io.vlsuite.inference.triton;

import io.vlsuite.contracts.job.ChatMessage;
import io.vlsuite.contracts.job.ContentPart;
import io.vlsuite.contracts.job.JobEvent;
import io.vlsuite.contracts.job.JobRecord;
import io.vlsuite.contracts.job.JobStatus;
import io.vlsuite.contracts.job.Lane;
import io.vlsuite.contracts.job.Sampling;
import io.vlsuite.embedded.junit.EmbeddedInfraExtension;
import io.vlsuite.inference.InferenceServiceApplication;
import io.vlsuite.inference.config.InferenceProperties;
import io.vlsuite.inference.embedded.EmbeddedEngine;
import io.vlsuite.inference.engine.Completion;
import io.vlsuite.inference.engine.EngineFailure;
import io.vlsuite.inference.engine.InferenceEngine;
import io.vlsuite.inference.engine.InferenceListener;
import io.vlsuite.inference.engine.InferenceRequest;
import io.vlsuite.inference.engine.TokenDelta;
import io.vlsuite.inference.engineserver.EngineServer;
import io.vlsuite.inference.media.StoreMediaReader;
import io.vlsuite.inference.prepare.GenerationDefaults;
import io.vlsuite.inference.prepare.JobPreparer;
import io.vlsuite.inference.prepare.SamplingMapper;
import io.vlsuite.inference.support.WorkerHarness;
import io.vlsuite.media.Grid;
import io.vlsuite.media.MediaMetadata;
import io.vlsuite.qwen2vl.image.ImageProcessor;
import io.vlsuite.qwen2vl.template.PromptBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.unit.DataSize;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jobs from the real Kafka topics to their results through the Triton gRPC client: one service instance is an
 * engine server (embedded engine, tiny-trained model, no worker), another is a worker with
 * {@code engine=triton} pointing at it. Both are the real application with its configuration.
 */
@ExtendWith(EmbeddedInfraExtension.class)
class TritonWorkerFlowTest {

    static WorkerHarness h;
    static ConfigurableApplicationContext engineServer;
    static ConfigurableApplicationContext worker;

    @BeforeAll
    static void start() {
        h = new WorkerHarness(2);
        engineServer = InferenceServiceApplication.builder().run("--server.port=0", "--logging.structured.format.console=",
                "--vlsuite.inference.model-dir=../models/tiny-trained",
                "--vlsuite.inference.embedded.max-model-len=8192",
                "--vlsuite.inference.worker.enabled=false",
                "--vlsuite.inference.engine-server.enabled=true",
                "--vlsuite.inference.engine-server.port=0",
                "--vlsuite.inference.engine-server.bind-address=127.0.0.1");
        int port = engineServer.getBean(EngineServer.class).port();
        worker = InferenceServiceApplication.builder().run("--server.port=0", "--logging.structured.format.console=",
                "--vlsuite.inference.model-dir=../models/tiny-trained",
                "--vlsuite.inference.engine=triton",
                "--vlsuite.inference.triton.endpoints=127.0.0.1:" + port,
                "--vlsuite.inference.triton.profile=ensemble",
                "--vlsuite.inference.triton.max-streams=2",
                "--vlsuite.inference.triton.max-in-flight-per-stream=2",
                "--vlsuite.inference.worker.group-id=" + h.groupId,
                "--vlsuite.inference.worker.topics.interactive=" + h.topics.interactive(),
                "--vlsuite.inference.worker.topics.batch=" + h.topics.batch(),
                "--vlsuite.inference.worker.topics.events=" + h.topics.events(),
                "--vlsuite.inference.worker.topics.dlt=" + h.topics.dlt(),
                "--vlsuite.inference.worker.topics.control=" + h.topics.control());
    }

    @AfterAll
    static void stop() {
        if (worker != null) {
            worker.close();
        }
        if (engineServer != null) {
            engineServer.close();
        }
        h.close();
    }

    @Test
    void theWorkerRunsOnTheTritonEngine() {
        InferenceEngine engine = worker.getBean(InferenceEngine.class);
        assertThat(engine).isInstanceOf(TritonEngine.class);
        assertThat(engine.capacity()).isEqualTo(4);
        assertThat(engine.ready()).isTrue();
    }

    @Test
    void aStreamingTextJobFlowsThroughTheEngineServerWithDeltasInOrder() {
        JobRecord job = WorkerHarness.textJob(Lane.INTERACTIVE, "Write a long story about the sea", true);
        h.createDocument(job);
        h.publish(job);

        JobEvent done = h.awaitTerminal(job.jobId(), Duration.ofSeconds(60));
        assertThat(done.type()).as("event %s", done).isEqualTo(JobEvent.COMPLETED);
        List<JobEvent> events = h.eventsOf(job.jobId());
        assertThat(events).extracting(JobEvent::seq).isSorted().doesNotHaveDuplicates();
        assertThat(events.getFirst().type()).isEqualTo(JobEvent.STARTED);
        List<JobEvent> deltas = events.stream().filter(e -> e.type().equals(JobEvent.DELTA)).toList();
        assertThat(deltas).isNotEmpty();
        var result = done.choices().getFirst();
        assertThat(deltas.stream().map(e -> e.choices().getFirst().text()).collect(Collectors.joining()))
                .isEqualTo(result.text());
        assertThat(deltas.stream().flatMap(e -> e.choices().getFirst().tokenIds().stream()).toList())
                .isEqualTo(result.tokenIds()).isNotEmpty();
        assertThat(h.document(job).status()).isEqualTo(JobStatus.COMPLETED);
    }

    @Test
    void anImageJobThroughTritonMatchesTheEmbeddedEngineRunDirectly() throws Exception {
        var stored = h.media.putImage(png(56, 56), new MediaMetadata("data_url", 56, 56, 56, 56, new Grid(1, 4, 4)));
        JobRecord job = WorkerHarness.imageJob(Lane.BATCH, stored.info().key());
        h.createDocument(job);
        h.publish(job);

        JobEvent done = h.awaitTerminal(job.jobId(), Duration.ofSeconds(60));
        assertThat(done.type()).as("event %s", done).isEqualTo(JobEvent.COMPLETED);
        Completion direct = runDirectly(job);
        var choice = done.choices().getFirst();
        assertThat(choice.tokenIds()).isNotEmpty().isEqualTo(direct.tokenIds());
        assertThat(choice.text()).isEqualTo(direct.text());
        assertThat(choice.finishReason()).isEqualTo(direct.finishReason().wireName());
        assertThat(done.usage().promptTokens()).isEqualTo(direct.usage().promptTokens());
        assertThat(h.document(job).status()).isEqualTo(JobStatus.COMPLETED);
    }

    @Test
    void aCancelledJobStopsOnTheEngineServerAndFreesItsSlot() {
        JobRecord job = new JobRecord("job-" + UUID.randomUUID(), "acme", Lane.BATCH, "tiny",
                List.of(new ChatMessage("user", List.of(ContentPart.text("Count to a million")))),
                new Sampling(8000, 0.0, null, null, null, null, null, null, null, null, null, null, null, true, null),
                true, Instant.now(), null, "req-1");
        h.createDocument(job);
        h.publish(job);
        h.awaitEvent(job.jobId(), e -> e.type().equals(JobEvent.DELTA), Duration.ofSeconds(60));
        h.cancel(job);

        JobEvent cancelled = h.awaitTerminal(job.jobId(), Duration.ofSeconds(60));
        assertThat(cancelled.type()).isEqualTo(JobEvent.CANCELLED);
        assertThat(cancelled.choices().getFirst().tokenIds().size()).isLessThan(8000);
        var server = engineServer.getBean(EngineServer.class);
        InferenceEngine serverEngine = engineServer.getBean(InferenceEngine.class);
        WorkerHarness.await(Duration.ofSeconds(10), () -> server.liveRequests() == 0 && serverEngine.load().running() == 0,
                "the engine server's slot to be free");
        assertThat(worker.getBean(InferenceEngine.class).load().running()).isZero();
    }

    /** The same job on a fresh embedded engine, bypassing Kafka and gRPC. */
    private static Completion runDirectly(JobRecord job) {
        var settings = new InferenceProperties.Embedded(2, 512, 2048, DataSize.ofMegabytes(64), 16);
        try (var engine = EmbeddedEngine.load(WorkerHarness.MODEL, settings)) {
            var preparer = new JobPreparer(PromptBuilder.load(WorkerHarness.MODEL),
                    ImageProcessor.forModel(WorkerHarness.MODEL), new StoreMediaReader(h.media),
                    new SamplingMapper(GenerationDefaults.load(WorkerHarness.MODEL)), 2048);
            InferenceRequest request = preparer.prepare(job);
            CompletableFuture<Completion> result = new CompletableFuture<>();
            engine.submit(request, new InferenceListener() {
                @Override
                public void onStarted() {
                }

                @Override
                public void onDelta(TokenDelta delta) {
                }

                @Override
                public void onCompleted(Completion completion) {
                    result.complete(completion);
                }

                @Override
                public void onFailed(EngineFailure failure) {
                    result.completeExceptionally(new AssertionError(failure.toString()));
                }
            });
            return result.join();
        }
    }

    private static byte[] png(int w, int hgt) throws Exception {
        var img = new BufferedImage(w, hgt, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < hgt; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (x * 4) << 16 | (y * 4) << 8 | ((x + y) * 2));
            }
        }
        var out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }
}
