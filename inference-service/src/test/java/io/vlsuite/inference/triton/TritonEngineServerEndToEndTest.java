package io.vlsuite.inference.triton;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.vlsuite.contracts.job.Lane;
import io.vlsuite.contracts.triton.GRPCInferenceServiceGrpc;
import io.vlsuite.contracts.triton.ModelMetadataRequest;
import io.vlsuite.contracts.triton.ModelReadyRequest;
import io.vlsuite.contracts.triton.ModelStreamInferResponse;
import io.grpc.stub.StreamObserver;
import io.vlsuite.contracts.triton.ServerLiveRequest;
import io.vlsuite.contracts.triton.ServerReadyRequest;
import io.vlsuite.inference.config.InferenceProperties;
import io.vlsuite.inference.embedded.EmbeddedEngine;
import io.vlsuite.inference.engine.Completion;
import io.vlsuite.inference.engine.EngineFailure;
import io.vlsuite.inference.engine.FinishReason;
import io.vlsuite.inference.engine.InferenceEngine;
import io.vlsuite.inference.engine.InferenceException;
import io.vlsuite.inference.engine.InferenceListener;
import io.vlsuite.inference.engine.InferenceRequest;
import io.vlsuite.inference.engine.TokenDelta;
import io.vlsuite.inference.engineserver.EngineServer;
import io.vlsuite.inference.engineserver.ServedModel;
import io.vlsuite.qwen2vl.image.ImageProcessor;
import io.vlsuite.qwen2vl.image.RgbImage;
import io.vlsuite.qwen2vl.image.VisionInput;
import io.vlsuite.qwen2vl.sampling.SamplingParams;
import io.vlsuite.qwen2vl.template.ChatMessage;
import io.vlsuite.qwen2vl.template.ChatOptions;
import io.vlsuite.qwen2vl.template.ContentPart;
import io.vlsuite.qwen2vl.template.MediaGrid;
import io.vlsuite.qwen2vl.template.PromptBuilder;
import io.vlsuite.qwen2vl.tokenizer.Qwen2Tokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.vlsuite.inference.triton.TensorNames.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Triton client against the Java engine server over real gRPC (netty, loopback TCP), the server running the
 * bundled tiny-trained model on the embedded engine: results equal the embedded engine run directly.
 */
class TritonEngineServerEndToEndTest {

    static final Path MODEL = Path.of(System.getProperty("user.dir")).resolve("../models/tiny-trained");
    static EmbeddedEngine embedded;
    static EngineServer server;
    static TritonEngine triton;
    static PromptBuilder prompts;
    static Qwen2Tokenizer tokenizer;

    @BeforeAll
    static void start() {
        embedded = EmbeddedEngine.load(MODEL, new InferenceProperties.Embedded(8, 512, 512, DataSize.ofMegabytes(32), 16));
        tokenizer = Qwen2Tokenizer.load(MODEL);
        prompts = PromptBuilder.load(MODEL);
        server = EngineServer.start(embedded, tokenizer, ServedModel.ensemble("ensemble"), "127.0.0.1", 0, 64 << 20);
        triton = TritonEngine.connect(TritonSettings.of(List.of("127.0.0.1:" + server.port()), "ensemble",
                TritonProfile.ENSEMBLE).withStreams(2, 4));
    }

    @AfterAll
    static void stop() {
        if (triton != null) {
            triton.close();
        }
        if (server != null) {
            server.close();
        }
        if (embedded != null) {
            embedded.close();
        }
    }

    static InferenceRequest text(String id, String question, SamplingParams params, Instant deadline) {
        var prompt = prompts.build(List.of(ChatMessage.of("user", question)), ChatOptions.DEFAULT, List.of());
        return new InferenceRequest(id, prompt.text(), prompt.inputIds(), List.of(), params, Lane.INTERACTIVE, deadline);
    }

    static Recorder run(InferenceEngine engine, InferenceRequest request) {
        var r = new Recorder();
        engine.submit(request, r);
        return r;
    }

    static Completion directly(InferenceRequest request) throws Exception {
        var copy = new InferenceRequest(request.requestId() + "-direct", request.promptText(), request.promptTokenIds(),
                request.vision(), request.sampling(), request.lane(), request.deadline());
        return run(embedded, copy).done.get(60, TimeUnit.SECONDS);
    }

    @Test
    void aStreamedTextRequestMatchesTheEmbeddedEngineRunDirectly() throws Exception {
        InferenceRequest request = text("t1", "Describe the weather", SamplingParams.greedy(12), null);
        Recorder r = run(triton, request);
        Completion c = r.done.get(60, TimeUnit.SECONDS);
        Completion direct = directly(request);

        assertThat(c.tokenIds()).isNotEmpty().isEqualTo(direct.tokenIds());
        assertThat(c.text()).isEqualTo(direct.text());
        assertThat(c.finishReason()).isEqualTo(direct.finishReason());
        assertThat(c.usage()).isEqualTo(direct.usage());
        // Started first, one delta per token in order, then one completion whose text the deltas add up to.
        assertThat(r.calls.getFirst()).isEqualTo("started");
        assertThat(r.calls.getLast()).isEqualTo("completed");
        assertThat(r.calls).filteredOn("delta"::equals).hasSize(direct.tokenIds().size());
        assertThat(r.deltaTokens).isEqualTo(direct.tokenIds());
        assertThat(r.text.toString()).isEqualTo(c.text());
        assertThat(c.timings().timeToFirstToken()).isNotNull();
    }

    static VisionInput image() {
        byte[] rgb = new byte[56 * 56 * 3];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (byte) (i * 7 % 251);
        }
        return ImageProcessor.forModel(MODEL).process(new RgbImage(56, 56, rgb));
    }

    @Test
    void anImageRequestTravelsAsPixelValuesAndGridsAndMatchesTheDirectRun() throws Exception {
        VisionInput image = image();
        var prompt = prompts.build(List.of(ChatMessage.of("user", List.of(new ContentPart.Image("img"),
                new ContentPart.Text("What is in the picture?")))), ChatOptions.DEFAULT, List.of(MediaGrid.image(image.gridThw()[1], image.gridThw()[2])));
        var request = new InferenceRequest("img1", prompt.text(), prompt.inputIds(), List.of(image),
                SamplingParams.greedy(10), Lane.BATCH, null);

        Completion c = run(triton, request).done.get(60, TimeUnit.SECONDS);
        Completion direct = directly(request);
        assertThat(c.tokenIds()).isNotEmpty().isEqualTo(direct.tokenIds());
        assertThat(c.text()).isEqualTo(direct.text());
        assertThat(c.usage().promptTokens()).isEqualTo(prompt.inputIds().length);
    }

    @Test
    void withoutInputIdsTheServerTokenizesTheTextAndExpandsTheVisionPadsItself() throws Exception {
        VisionInput image = image();
        var prompt = prompts.build(List.of(ChatMessage.of("user", List.of(new ContentPart.Image("img"),
                new ContentPart.Text("Name the colours")))), ChatOptions.DEFAULT,
                List.of(MediaGrid.image(image.gridThw()[1], image.gridThw()[2])));
        var request = new InferenceRequest("tx1", prompt.text(), prompt.inputIds(), List.of(image),
                SamplingParams.greedy(10), Lane.INTERACTIVE, null);
        try (var textOnly = EngineServer.start(embedded, tokenizer, ServedModel.ensemble("ensemble").withoutInput(INPUT_IDS),
                "127.0.0.1", 0, 64 << 20);
             var client = TritonEngine.connect(TritonSettings.of(List.of("127.0.0.1:" + textOnly.port()), "ensemble",
                     TritonProfile.ENSEMBLE))) {
            Completion c = run(client, request).done.get(60, TimeUnit.SECONDS);
            Completion direct = directly(request);
            assertThat(c.tokenIds()).isNotEmpty().isEqualTo(direct.tokenIds());
            assertThat(c.text()).isEqualTo(direct.text());
        }
    }

    @Test
    void aPoolOfTwoEngineServersSharesTheRequestsAndALostServerFailsItsRequestsRetryably() throws Exception {
        var first = EngineServer.start(embedded, tokenizer, ServedModel.ensemble("ensemble"), "127.0.0.1", 0, 64 << 20);
        try (var second = EngineServer.start(embedded, tokenizer, ServedModel.ensemble("ensemble"), "127.0.0.1", 0, 64 << 20);
             var pool = TritonEngine.connect(TritonSettings.of(List.of("127.0.0.1:" + first.port(),
                     "127.0.0.1:" + second.port()), "ensemble", TritonProfile.ENSEMBLE).withStreams(2, 2))) {
            var long1 = new Recorder();
            var long2 = new Recorder();
            var sampling = SamplingParams.builder().temperature(0).maxTokens(400).ignoreEos(true).build();
            pool.submit(text("p1", "One", sampling, null), long1);
            pool.submit(text("p2", "Two", sampling, null), long2);
            assertThat(long1.firstDelta.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(long2.firstDelta.await(30, TimeUnit.SECONDS)).isTrue();
            // One stream per endpoint: each server runs one of the two.
            assertThat(first.liveRequests()).isEqualTo(1);
            assertThat(second.liveRequests()).isEqualTo(1);

            first.closeNow();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (long1.failure == null && long2.failure == null && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            Recorder lost = long1.failure != null ? long1 : long2;
            assertThat(lost.failure).isNotNull();
            assertThat(lost.failure.code()).isEqualTo("engine_unavailable");
            assertThat(lost.failure.retryable()).isTrue();
            assertThat(lost.calls.getLast()).isEqualTo("failed");
            assertThat(lost.calls).doesNotContain("completed");
        } finally {
            first.close();
        }
        awaitIdle();
    }

    @Test
    void cancellingOneRequestStopsItOnTheServerAndFreesItsSlot() throws Exception {
        Recorder other = run(triton, text("keep", "Keep going", SamplingParams.builder().temperature(0).maxTokens(30)
                .ignoreEos(true).build(), null));
        Recorder r = new Recorder();
        var handle = triton.submit(text("c1", "Count forever", SamplingParams.builder().temperature(0).maxTokens(400)
                .ignoreEos(true).build(), null), r);
        assertThat(r.firstDelta.await(30, TimeUnit.SECONDS)).isTrue();
        handle.cancel();
        Completion c = r.done.get(10, TimeUnit.SECONDS);
        assertThat(c.finishReason()).isEqualTo(FinishReason.CANCELLED);
        assertThat(c.tokenIds().size()).isLessThan(400);
        // Only that request stopped: the stream's other request runs to its end.
        assertThat(other.done.get(60, TimeUnit.SECONDS).finishReason()).isEqualTo(FinishReason.LENGTH);
        awaitIdle();
    }

    @Test
    void aDeadlineStopsTheRequestWithReasonDeadline() throws Exception {
        // 20 ms: far less than 400 tokens take even on an idle machine (the tiny model decodes ~2k tokens/s).
        Recorder r = run(triton, text("d1", "Slow", SamplingParams.builder().temperature(0).maxTokens(400)
                .ignoreEos(true).build(), Instant.now().plusMillis(20)));
        Completion c = r.done.get(30, TimeUnit.SECONDS);
        assertThat(c.finishReason()).isEqualTo(FinishReason.DEADLINE);
        assertThat(c.tokenIds().size()).isLessThan(400);
        awaitIdle();
    }

    @Test
    void manyConcurrentRequestsOverTwoStreamsAllMatchTheirDirectRuns() throws Exception {
        List<InferenceRequest> requests = new ArrayList<>();
        List<Recorder> recorders = new ArrayList<>();
        for (int i = 0; i < triton.capacity(); i++) {
            // Long enough (EOS ignored) to all be running when the ninth arrives.
            InferenceRequest req = text("m" + i, "Question number " + i, SamplingParams.builder().temperature(0)
                    .maxTokens(200 + i).ignoreEos(true).build(), null);
            requests.add(req);
            recorders.add(run(triton, req));
        }
        assertThat(triton.capacity()).isEqualTo(8);
        assertThatThrownBy(() -> triton.submit(text("over", "one too many", SamplingParams.greedy(2), null), new Recorder()))
                .isInstanceOfSatisfying(InferenceException.class, e -> assertThat(e.code()).isEqualTo("engine_overloaded"));
        for (int i = 0; i < requests.size(); i++) {
            Completion c = recorders.get(i).done.get(60, TimeUnit.SECONDS);
            assertThat(c.tokenIds()).as("request %d", i).isEqualTo(directly(requests.get(i)).tokenIds());
        }
    }

    @Test
    void aRequestTheEngineRejectsFailsInBandAndTheStreamStaysUsable() throws Exception {
        Recorder bad = run(triton, text("long", "word ".repeat(600), SamplingParams.greedy(4), null));
        assertThatThrownBy(() -> bad.done.get(30, TimeUnit.SECONDS)).hasMessageContaining("prompt_too_long");
        assertThat(bad.failure.code()).isEqualTo("prompt_too_long");
        assertThat(bad.failure.retryable()).isFalse();
        assertThat(bad.calls).containsExactly("started", "failed");
        for (int i = 0; i < 2; i++) { // both streams still answer
            assertThat(run(triton, text("after" + i, "Hi", SamplingParams.greedy(3), null)).done.get(30, TimeUnit.SECONDS)
                    .tokenIds()).isNotEmpty();
        }
    }

    @Test
    void unaryModelInferReturnsTheWholeOutputAtOnce() throws Exception {
        InferenceRequest request = text("u1", "Tell me something", SamplingParams.greedy(8), null);
        var message = new InferRequestBuilder("ensemble", "", "u1", true)
                .string(TEXT_INPUT, request.promptText()).int32(MAX_TOKENS, 8).int32(TOP_K, 1)
                .int32(INPUT_IDS, request.promptTokenIds()).build();
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        try {
            var response = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                    .modelInfer(message);
            var out = Tensor.of(response);
            Completion direct = directly(request);
            assertThat(out.get(TEXT_OUTPUT).string()).isEqualTo(direct.text());
            assertThat(out.get(OUTPUT_IDS).int32s()).containsExactly(direct.tokenIds().stream().mapToInt(Integer::intValue).toArray());
            assertThat(out.get(FINISH_REASON).string()).isEqualTo(direct.finishReason().wireName());
            assertThat(out.get(TEXT_OUTPUT).shape()).containsExactly(1L, 1L);
            assertThat(response.getId()).isEqualTo("u1");
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void aNonStreamingRequestOnTheStreamGetsOneFinalResponseAndAnUnknownModelAnInBandError() throws Exception {
        InferenceRequest request = text("ns1", "Say something", SamplingParams.greedy(6), null);
        List<ModelStreamInferResponse> responses = new CopyOnWriteArrayList<>();
        CountDownLatch two = new CountDownLatch(2);
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        try {
            var requests = GRPCInferenceServiceGrpc.newStub(channel).modelStreamInfer(new StreamObserver<>() {
                @Override
                public void onNext(ModelStreamInferResponse r) {
                    responses.add(r);
                    two.countDown();
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                }
            });
            requests.onNext(new InferRequestBuilder("no_such_model", "", "bad1", true).string(TEXT_INPUT, "x")
                    .int32(MAX_TOKENS, 1).build());
            requests.onNext(new InferRequestBuilder("ensemble", "", "ns1", true).string(TEXT_INPUT, request.promptText())
                    .int32(MAX_TOKENS, 6).int32(TOP_K, 1).int32(INPUT_IDS, request.promptTokenIds()).build());
            assertThat(two.await(30, TimeUnit.SECONDS)).isTrue();
            requests.onCompleted();
        } finally {
            channel.shutdownNow();
        }
        assertThat(responses).hasSize(2);
        ModelStreamInferResponse error = responses.stream().filter(r -> !r.getErrorMessage().isEmpty()).findFirst().orElseThrow();
        assertThat(error.getInferResponse().getId()).isEqualTo("bad1");
        assertThat(error.getErrorMessage()).startsWith("triton_model_not_found: ");
        assertThat(ResponsePiece.isFinal(error.getInferResponse())).isTrue();
        ModelStreamInferResponse answer = responses.stream().filter(r -> r.getErrorMessage().isEmpty()).findFirst().orElseThrow();
        assertThat(ResponsePiece.isFinal(answer.getInferResponse())).isTrue();
        assertThat(Tensor.of(answer.getInferResponse()).get(TEXT_OUTPUT).string()).isEqualTo(directly(request).text());
    }

    @Test
    void healthAndModelDescriptionRpcsAnswerLikeTriton() {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        try {
            var stub = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
            assertThat(stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
            assertThat(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
            assertThat(stub.modelReady(ModelReadyRequest.newBuilder().setName("ensemble").build()).getReady()).isTrue();
            assertThat(stub.modelReady(ModelReadyRequest.newBuilder().setName("nope").build()).getReady()).isFalse();
            var meta = stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("ensemble").build());
            assertThat(meta.getInputsList()).anySatisfy(t -> {
                assertThat(t.getName()).isEqualTo(TEXT_INPUT);
                assertThat(t.getDatatype()).isEqualTo("BYTES");
                assertThat(t.getShapeList()).containsExactly(-1L, 1L);
            });
            assertThat(meta.getOutputsList()).extracting(t -> t.getName()).contains(TEXT_OUTPUT, OUTPUT_IDS);
        } finally {
            channel.shutdownNow();
        }
        assertThat(triton.ready()).isTrue();
        assertThat(triton.name()).isEqualTo("triton");
    }

    @Test
    void startUpFailsNamingTheTensorTheServedModelLacks() {
        try (var lacking = EngineServer.start(embedded, tokenizer, ServedModel.ensemble("ensemble").withoutInput(MAX_TOKENS),
                "127.0.0.1", 0, 4 << 20)) {
            assertThatThrownBy(() -> TritonEngine.connect(TritonSettings.of(List.of("127.0.0.1:" + lacking.port()),
                    "ensemble", TritonProfile.ENSEMBLE)))
                    .isInstanceOfSatisfying(InferenceException.class, e -> {
                        assertThat(e.code()).isEqualTo("triton_model_mismatch");
                        assertThat(e.retryable()).isFalse();
                        assertThat(e.getMessage()).contains("'max_tokens'", "'ensemble'");
                    });
        }
    }

    @Test
    void theEngineIsNotReadyOnceItsOnlyServerStopsAnsweringHealthChecks() throws Exception {
        var lone = EngineServer.start(embedded, tokenizer, ServedModel.ensemble("ensemble"), "127.0.0.1", 0, 4 << 20);
        try (var client = TritonEngine.connect(TritonSettings.of(List.of("127.0.0.1:" + lone.port()), "ensemble",
                TritonProfile.ENSEMBLE))) {
            assertThat(client.ready()).isTrue();
            lone.closeNow();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (client.ready() && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            assertThat(client.ready()).isFalse();
        } finally {
            lone.closeNow();
        }
    }

    @Test
    void startUpFailsWhenNoServerAnswers() {
        var settings = TritonSettings.of(List.of("127.0.0.1:1"), "ensemble", TritonProfile.ENSEMBLE)
                .withStartupTimeout(Duration.ofMillis(500));
        assertThatThrownBy(() -> TritonEngine.connect(settings)).isInstanceOfSatisfying(InferenceException.class, e -> {
            assertThat(e.code()).isEqualTo("engine_unavailable");
            assertThat(e.retryable()).isTrue();
        });
    }

    private static void awaitIdle() throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((server.liveRequests() > 0 || embedded.load().running() > 0) && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(server.liveRequests()).as("requests live on the engine server").isZero();
        assertThat(embedded.load().running()).as("requests running in the embedded engine").isZero();
    }

    /** Records listener calls in order. */
    static final class Recorder implements InferenceListener {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final StringBuilder text = new StringBuilder();
        final List<Integer> deltaTokens = new CopyOnWriteArrayList<>();
        final CompletableFuture<Completion> done = new CompletableFuture<>();
        final CountDownLatch firstDelta = new CountDownLatch(1);
        volatile EngineFailure failure;

        @Override
        public void onStarted() {
            calls.add("started");
        }

        @Override
        public synchronized void onDelta(TokenDelta delta) {
            calls.add("delta");
            text.append(delta.text());
            deltaTokens.addAll(delta.tokenIds());
            firstDelta.countDown();
        }

        @Override
        public void onCompleted(Completion completion) {
            calls.add("completed");
            done.complete(completion);
        }

        @Override
        public void onFailed(EngineFailure f) {
            failure = f;
            calls.add("failed");
            done.completeExceptionally(new AssertionError(f.code() + ": " + f.message()));
        }
    }
}
