package io.vlsuite.inference;

import io.vlsuite.contracts.job.JobEvent;
import io.vlsuite.contracts.job.JobRecord;
import io.vlsuite.contracts.job.JobStatus;
import io.vlsuite.contracts.job.Lane;
import io.vlsuite.embedded.junit.EmbeddedInfraExtension;
import io.vlsuite.inference.config.InferenceProperties;
import io.vlsuite.inference.embedded.EmbeddedEngine;
import io.vlsuite.inference.engine.Completion;
import io.vlsuite.inference.engine.EngineFailure;
import io.vlsuite.inference.engine.InferenceListener;
import io.vlsuite.inference.engine.InferenceRequest;
import io.vlsuite.inference.engine.TokenDelta;
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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole service with the embedded engine and the bundled tiny-trained model: an image job stored in the real S3
 * server and published on the real Kafka broker comes back as a completed event whose tokens equal a direct run of
 * the same request on the engine; the metrics are exported under vLLM's names.
 */
@ExtendWith(EmbeddedInfraExtension.class)
class EmbeddedEngineFlowTest {

    static WorkerHarness h;
    static ConfigurableApplicationContext app;

    @BeforeAll
    static void start() {
        h = new WorkerHarness(2);
        app = InferenceServiceApplication.builder().run("--server.port=0", "--logging.structured.format.console=",
                "--vlsuite.inference.model-dir=../models/tiny-trained",
                "--vlsuite.inference.embedded.max-model-len=2048",
                "--vlsuite.inference.worker.group-id=" + h.groupId,
                "--vlsuite.inference.worker.topics.interactive=" + h.topics.interactive(),
                "--vlsuite.inference.worker.topics.batch=" + h.topics.batch(),
                "--vlsuite.inference.worker.topics.events=" + h.topics.events(),
                "--vlsuite.inference.worker.topics.dlt=" + h.topics.dlt(),
                "--vlsuite.inference.worker.topics.control=" + h.topics.control());
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        h.close();
    }

    @Test
    void anImageJobRunsOnTheEmbeddedEngineAndMatchesADirectRun() throws Exception {
        var stored = h.media.putImage(png(56, 56), new MediaMetadata("data_url", 56, 56, 56, 56, new Grid(1, 4, 4)));
        JobRecord job = WorkerHarness.imageJob(Lane.BATCH, stored.info().key());
        h.createDocument(job);
        h.publish(job);

        JobEvent done = h.awaitTerminal(job.jobId(), Duration.ofSeconds(60));
        assertThat(done.type()).as("event %s", done).isEqualTo(JobEvent.COMPLETED);
        Completion direct = runDirectly(job);
        var choice = done.choices().getFirst();
        assertThat(choice.tokenIds()).isEqualTo(direct.tokenIds());
        assertThat(choice.text()).isEqualTo(direct.text());
        assertThat(choice.finishReason()).isEqualTo(direct.finishReason().wireName());
        // Prompt tokens include the 4 vision tokens of the 1x4x4 grid.
        assertThat(done.usage().promptTokens()).isEqualTo(direct.usage().promptTokens());
        assertThat(done.usage().completionTokens()).isEqualTo(direct.tokenIds().size());
        assertThat(done.timings().timeToFirstTokenMs()).isNotNull();
        assertThat(h.document(job).status()).isEqualTo(JobStatus.COMPLETED);

        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + app.getEnvironment().getProperty("local.server.port") + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("time_to_first_token_seconds_bucket", "time_per_output_token_seconds_bucket",
                "e2e_request_latency_seconds_bucket", "prompt_tokens_total " + "", "generation_tokens_total",
                "num_requests_running", "num_requests_waiting", "kv_cache_usage_perc",
                "consumer_lag_records{lane=\"batch\"}", "request_success_total{finished_reason=\"" + choice.finishReason());
        assertThat(metrics).containsPattern("prompt_tokens_total " + done.usage().promptTokens() + "(\\.0)?\\n");
    }

    /** The same job on a fresh engine, bypassing Kafka. */
    private static Completion runDirectly(JobRecord job) {
        var settings = new InferenceProperties.Embedded(2, 512, 2048, DataSize.ofMegabytes(64), 16);
        try (var engine = EmbeddedEngine.load(WorkerHarness.MODEL, settings)) {
            var preparer = new JobPreparer(PromptBuilder.load(WorkerHarness.MODEL),
                    ImageProcessor.forModel(WorkerHarness.MODEL), new StoreMediaReader(h.media),
                    new SamplingMapper(GenerationDefaults.load(WorkerHarness.MODEL)), 2048);
            InferenceRequest request = preparer.prepare(job);
            assertThat(request.vision()).singleElement().satisfies(v -> assertThat(v.gridThw()).containsExactly(1, 4, 4));
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
