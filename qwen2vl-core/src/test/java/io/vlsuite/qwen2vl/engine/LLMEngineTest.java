package io.vlsuite.qwen2vl.engine;

import io.vlsuite.qwen2vl.Qwen2VlException;
import io.vlsuite.qwen2vl.sampling.SamplingParams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The threaded engine: submissions from many threads, streaming, cancel, shutdown. */
@Timeout(30)
class LLMEngineTest {

    private static EngineConfig config() {
        return EngineConfig.builder().blockSize(4).numKvBlocks(64).maxNumSeqs(4).maxNumBatchedTokens(32)
                .maxModelLen(512).eosTokenIds(Set.of(ToyVocabulary.END_OF_TEXT, ToyVocabulary.IM_END)).build();
    }

    /** A model that takes a little wall time per step, so requests overlap in flight. */
    static ModelRunner slow(ToyModel model, long millisPerStep) {
        return new ModelRunner() {
            @Override
            public int vocabSize() {
                return model.vocabSize();
            }

            @Override
            public long kvBytesPerToken() {
                return model.kvBytesPerToken();
            }

            @Override
            public void allocateKvCache(int numBlocks, int blockSize) {
                model.allocateKvCache(numBlocks, blockSize);
            }

            @Override
            public float[][] forward(List<SequenceChunk> chunks) {
                try {
                    Thread.sleep(millisPerStep);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return model.forward(chunks);
            }
        };
    }

    @Test
    void concurrentSubmissionsStreamTheirOwnTokensAndMatchTheOracle() throws Exception {
        ToyModel model = new ToyModel();
        try (LLMEngine engine = new LLMEngine(slow(model, 1), new ToyVocabulary(), config());
             ExecutorService clients = Executors.newFixedThreadPool(4)) {
            List<Future<Void>> futures = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int n = i;
                futures.add(clients.submit(() -> {
                    PreparedPrompt prompt = n % 3 == 0 ? Prompts.withImage(2, 2, 2, 3, n) : Prompts.randomText(3 + n, n);
                    SamplingParams params = SamplingParams.builder().temperature(0).maxTokens(12).ignoreEos(true)
                            .build();
                    ConcurrentLinkedQueue<EngineEvent> events = new ConcurrentLinkedQueue<>();
                    RequestHandle handle = engine.submit(new EngineRequest("r" + n, prompt, params), events::add);
                    GenerationResult result = handle.result().get(20, TimeUnit.SECONDS);

                    assertThat(result.tokenIds()).containsExactly(model.expectedGreedy(prompt, 12));
                    List<EngineEvent> list = List.copyOf(events);
                    assertThat(list.getLast()).isEqualTo(new EngineEvent.Finished("r" + n, result));
                    assertThat(list.subList(0, list.size() - 1)).hasSize(12)
                            .allMatch(e -> e instanceof EngineEvent.Delta d && d.requestId().equals("r" + n));
                    StringBuilder streamed = new StringBuilder();
                    list.stream().filter(e -> e instanceof EngineEvent.Delta)
                            .forEach(e -> streamed.append(((EngineEvent.Delta) e).text()));
                    assertThat(streamed.toString()).isEqualTo(result.text());
                    return null;
                }));
            }
            for (Future<Void> f : futures) {
                f.get(25, TimeUnit.SECONDS);
            }
            EngineStats stats = engine.stats();
            assertThat(stats.finishedTotal()).containsEntry(FinishReason.LENGTH, 10L);
            assertThat(stats.generationTokensTotal()).isEqualTo(120);
            assertThat(stats.kvBlocksUsed()).isZero();
        }
        // With maxNumSeqs 4 and 10 requests, some steps must have batched several sequences.
        assertThat(model.calls().stream().mapToInt(c -> c.chunks().size()).max().orElse(0)).isGreaterThan(1);
    }

    @Test
    void cancellingAStreamingRequestEndsItAndFreesItsBlocks() throws Exception {
        try (LLMEngine engine = new LLMEngine(slow(new ToyModel(), 1), new ToyVocabulary(), config())) {
            CountDownLatch firstTokens = new CountDownLatch(3);
            SamplingParams endless = SamplingParams.builder().temperature(0).maxTokens(400).ignoreEos(true).build();
            RequestHandle handle = engine.submit(new EngineRequest("long", Prompts.randomText(5, 1), endless),
                    e -> firstTokens.countDown());
            assertThat(firstTokens.await(10, TimeUnit.SECONDS)).isTrue();
            handle.cancel();
            GenerationResult result = handle.result().get(10, TimeUnit.SECONDS);
            assertThat(result.finishReason()).isEqualTo(FinishReason.CANCELLED);
            assertThat(result.tokenIds().length).isLessThan(400);
            assertThat(engine.stats().kvBlocksUsed()).isZero();
            assertThat(engine.stats().numRunning()).isZero();
            // The id is free again once the request is over.
            assertThat(engine.generate(new EngineRequest("long", Prompts.randomText(5, 1), SamplingParams.greedy(2)))
                    .finishReason()).isEqualTo(FinishReason.LENGTH);
        }
    }

    @Test
    void shutdownCancelsWhatIsLeftAndRefusesNewWork() throws Exception {
        LLMEngine engine = new LLMEngine(slow(new ToyModel(), 2), new ToyVocabulary(), config());
        SamplingParams endless = SamplingParams.builder().temperature(0).maxTokens(400).ignoreEos(true).build();
        RequestHandle running = engine.submit(new EngineRequest("a", Prompts.randomText(5, 1), endless));
        RequestHandle queued = engine.submit(new EngineRequest("b", Prompts.randomText(5, 2), endless));
        engine.shutdown();
        assertThat(running.result().get(5, TimeUnit.SECONDS).finishReason()).isEqualTo(FinishReason.CANCELLED);
        assertThat(queued.result().get(5, TimeUnit.SECONDS).errorMessage()).isEqualTo("engine shut down");
        assertThatThrownBy(() -> engine.submit(new EngineRequest("c", Prompts.randomText(5, 1), endless)))
                .extracting(e -> ((Qwen2VlException) e).code()).isEqualTo("engine_shut_down");
    }

    @Test
    void submissionsBeyondTheRunningSlotsAndTheQueueFailFast() {
        EngineConfig config = EngineConfig.builder().blockSize(4).numKvBlocks(64).maxNumSeqs(1).maxQueuedRequests(1)
                .eosTokenIds(Set.of(ToyVocabulary.IM_END)).build();
        try (LLMEngine engine = new LLMEngine(slow(new ToyModel(), 2), new ToyVocabulary(), config)) {
            SamplingParams endless = SamplingParams.builder().temperature(0).maxTokens(300).ignoreEos(true).build();
            engine.submit(new EngineRequest("running", Prompts.randomText(3, 1), endless));
            engine.submit(new EngineRequest("queued", Prompts.randomText(3, 2), endless));
            assertThatThrownBy(() -> engine.submit(new EngineRequest("refused", Prompts.randomText(3, 3), endless)))
                    .extracting(e -> ((Qwen2VlException) e).code()).isEqualTo("engine_overloaded");
        }
    }

    @Test
    void badRequestsAreRejectedOnTheCallersThread() {
        // 2 ms per step keeps the first "dup" running while the second is submitted.
        try (LLMEngine engine = new LLMEngine(slow(new ToyModel(), 2), new ToyVocabulary(), config())) {
            assertThat(engine.maxSequenceLength()).isEqualTo(256);
            assertThatThrownBy(() -> engine.submit(new EngineRequest("x", Prompts.randomText(256, 1),
                    SamplingParams.greedy(1))))
                    .extracting(e -> ((Qwen2VlException) e).code()).isEqualTo("prompt_too_long");
            SamplingParams endless = SamplingParams.builder().temperature(0).maxTokens(200).ignoreEos(true).build();
            engine.submit(new EngineRequest("dup", Prompts.randomText(5, 1), endless));
            assertThatThrownBy(() -> engine.submit(new EngineRequest("dup", Prompts.randomText(5, 1), endless)))
                    .extracting(e -> ((Qwen2VlException) e).code()).isEqualTo("duplicate_request_id");
            engine.cancel("dup");
            engine.cancel("never-submitted");
        }
    }
}
