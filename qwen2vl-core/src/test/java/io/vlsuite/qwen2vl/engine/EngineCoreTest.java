package io.vlsuite.qwen2vl.engine;

import io.vlsuite.qwen2vl.Qwen2VlException;
import io.vlsuite.qwen2vl.sampling.SamplingParams;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Continuous batching, checked against the toy model's cache-free oracle. */
class EngineCoreTest {

    private static final int[] EOS = {ToyVocabulary.END_OF_TEXT, ToyVocabulary.IM_END};
    private final MutableClock clock = new MutableClock();

    private static EngineConfig.Builder config() {
        return EngineConfig.builder().blockSize(4).numKvBlocks(256).maxNumSeqs(16).maxNumBatchedTokens(64)
                .maxModelLen(512).eosTokenIds(Set.of(ToyVocabulary.END_OF_TEXT, ToyVocabulary.IM_END));
    }

    private EngineCore engine(ModelRunner model, EngineConfig config) {
        return new EngineCore(model, new ToyVocabulary(), config, clock);
    }

    private static void runToCompletion(EngineCore core) {
        for (int steps = 0; core.hasUnfinished(); steps++) {
            assertThat(steps).as("engine made no progress").isLessThan(10_000);
            core.step();
        }
    }

    private static GenerationResult result(RequestHandle handle) {
        assertThat(handle.result()).isDone();
        return handle.result().join();
    }

    private static List<PreparedPrompt> mixedPrompts() {
        return List.of(
                Prompts.randomText(5, 1),
                Prompts.withImage(3, 2, 3, 4, 2),
                Prompts.randomText(17, 3),
                Prompts.withImage(6, 4, 4, 9, 4),
                Prompts.randomText(1, 5),
                Prompts.randomText(40, 6));
    }

    private int[] runAlone(PreparedPrompt prompt, SamplingParams params, EngineConfig config) {
        EngineCore core = engine(new ToyModel(), config);
        RequestHandle h = core.add(new EngineRequest("alone", prompt, params), EngineListener.NONE);
        runToCompletion(core);
        return result(h).tokenIds();
    }

    @Test
    void greedyOutputsMatchTheOracleWhetherRunAloneOrBatched() {
        ToyModel model = new ToyModel();
        EngineCore core = engine(model, config().build());
        SamplingParams params = SamplingParams.greedy(24);
        List<PreparedPrompt> prompts = mixedPrompts();
        List<RequestHandle> handles = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            handles.add(core.add(new EngineRequest("r" + i, prompts.get(i), params), EngineListener.NONE));
        }
        runToCompletion(core);

        for (int i = 0; i < prompts.size(); i++) {
            int[] expected = model.expectedGreedy(prompts.get(i), 24, EOS);
            assertThat(result(handles.get(i)).tokenIds()).as("batched r" + i).containsExactly(expected);
            assertThat(runAlone(prompts.get(i), params, config().build())).as("alone r" + i).containsExactly(expected);
        }
        assertThat(core.stats().kvBlocksUsed()).isZero();
    }

    @Test
    void seededSamplingGivesTheSameTokensWhateverElseIsInTheBatch() {
        EngineCore core = engine(new ToyModel(), config().build());
        List<PreparedPrompt> prompts = mixedPrompts();
        List<RequestHandle> seeded = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            SamplingParams params = SamplingParams.builder().temperature(0.9).topP(0.95).topK(30).seed(100L + i)
                    .maxTokens(20).ignoreEos(true).build();
            seeded.add(core.add(new EngineRequest("s" + i, prompts.get(i), params), EngineListener.NONE));
            // Unseeded neighbours draw from their own generators and must not disturb the seeded ones.
            core.add(new EngineRequest("noise" + i, prompts.get(i), SamplingParams.builder().maxTokens(7).build()),
                    EngineListener.NONE);
        }
        runToCompletion(core);

        for (int i = 0; i < prompts.size(); i++) {
            SamplingParams params = SamplingParams.builder().temperature(0.9).topP(0.95).topK(30).seed(100L + i)
                    .maxTokens(20).ignoreEos(true).build();
            assertThat(result(seeded.get(i)).tokenIds()).as("s" + i)
                    .containsExactly(runAlone(prompts.get(i), params, config().build()));
        }
        SamplingParams otherSeed = SamplingParams.builder().temperature(0.9).seed(7L).maxTokens(20).ignoreEos(true)
                .build();
        assertThat(runAlone(prompts.get(0), otherSeed, config().build()))
                .isNotEqualTo(result(seeded.get(0)).tokenIds());
    }

    @Test
    void requestsArrivingMidBatchJoinBetweenStepsAndAreServedCorrectly() {
        ToyModel model = new ToyModel();
        EngineCore core = engine(model, config().build());
        SamplingParams params = SamplingParams.builder().temperature(0).maxTokens(30).ignoreEos(true).build();
        List<PreparedPrompt> prompts = mixedPrompts();
        Map<Integer, RequestHandle> handles = new HashMap<>();
        handles.put(0, core.add(new EngineRequest("r0", prompts.get(0), params), EngineListener.NONE));
        handles.put(1, core.add(new EngineRequest("r1", prompts.get(1), params), EngineListener.NONE));
        for (int s = 0; s < 5; s++) {
            core.step();
        }
        int callsBefore = model.calls().size();
        handles.put(2, core.add(new EngineRequest("r2", prompts.get(3), params), EngineListener.NONE));
        core.step();
        // The newcomer's prefill shares a forward call with the decodes of the running two.
        List<SequenceChunk> mixed = model.calls().get(callsBefore).chunks();
        assertThat(mixed).hasSize(3);
        assertThat(mixed.stream().filter(c -> c.length() == 1)).hasSize(2);
        assertThat(mixed.stream().filter(c -> c.length() == prompts.get(3).length())).hasSize(1);
        for (int s = 0; s < 3; s++) {
            core.step();
        }
        handles.put(3, core.add(new EngineRequest("r3", prompts.get(5), params), EngineListener.NONE));
        runToCompletion(core);

        int[] promptIndex = {0, 1, 3, 5};
        for (int i = 0; i < 4; i++) {
            assertThat(result(handles.get(i)).tokenIds()).as("r" + i)
                    .containsExactly(model.expectedGreedy(prompts.get(promptIndex[i]), 30));
        }
    }

    @Test
    void aTinyKvPoolForcesPreemptionAndEveryRequestStillGetsItsOwnOutput() {
        // 12 blocks of 4 tokens = 48 slots; four requests of up to 10 + 20 tokens need up to 32 blocks together.
        EngineConfig tiny = config().numKvBlocks(12).build();
        ToyModel model = new ToyModel();
        EngineCore core = engine(model, tiny);
        List<PreparedPrompt> prompts = List.of(Prompts.randomText(10, 11), Prompts.withImage(2, 2, 3, 2, 12),
                Prompts.randomText(9, 13), Prompts.randomText(10, 14));
        SamplingParams greedy = SamplingParams.builder().temperature(0).maxTokens(20).ignoreEos(true).build();
        SamplingParams seeded = SamplingParams.builder().temperature(1.0).seed(5L).maxTokens(20).ignoreEos(true)
                .build();
        List<RequestHandle> handles = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            SamplingParams params = i % 2 == 0 ? greedy : seeded;
            handles.add(core.add(new EngineRequest("r" + i, prompts.get(i), params), EngineListener.NONE));
        }
        runToCompletion(core);

        assertThat(core.stats().preemptionsTotal()).isPositive();
        assertThat(handles.stream().mapToInt(h -> result(h).numPreemptions()).sum()).isPositive();
        for (int i = 0; i < prompts.size(); i++) {
            GenerationResult r = result(handles.get(i));
            assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
            if (i % 2 == 0) {
                assertThat(r.tokenIds()).as("greedy r" + i).containsExactly(model.expectedGreedy(prompts.get(i), 20));
            } else {
                assertThat(r.tokenIds()).as("seeded r" + i).containsExactly(runAlone(prompts.get(i), seeded, tiny));
            }
        }
        assertThat(core.stats().kvBlocksUsed()).isZero();
    }

    @Test
    void theNewestBatchRequestIsPreemptedBeforeAnInteractiveOne() {
        EngineCore core = engine(new ToyModel(), config().numKvBlocks(8).build());
        SamplingParams params = SamplingParams.builder().temperature(0).maxTokens(14).ignoreEos(true).build();
        RequestHandle batch = core.add(new EngineRequest("batch", Prompts.randomText(6, 1), params, Priority.BATCH,
                null), EngineListener.NONE);
        RequestHandle interactive = core.add(new EngineRequest("interactive", Prompts.randomText(6, 2), params,
                Priority.INTERACTIVE, null), EngineListener.NONE);
        runToCompletion(core);
        assertThat(result(interactive).numPreemptions()).isZero();
        assertThat(result(batch).numPreemptions()).isPositive();
        assertThat(result(batch).finishReason()).isEqualTo(FinishReason.LENGTH);
    }

    @Test
    void anInteractiveArrivalEvictsRunningBatchWorkInsteadOfWaitingForIt() {
        ToyModel model = new ToyModel();
        EngineCore core = engine(model, config().maxNumSeqs(2).build());
        SamplingParams long40 = SamplingParams.builder().temperature(0).maxTokens(40).ignoreEos(true).build();
        List<String> finished = new ArrayList<>();
        EngineListener recorder = e -> {
            if (e instanceof EngineEvent.Finished f) {
                finished.add(f.requestId());
            }
        };
        RequestHandle b1 = core.add(new EngineRequest("b1", Prompts.randomText(6, 1), long40, Priority.BATCH, null),
                recorder);
        RequestHandle b2 = core.add(new EngineRequest("b2", Prompts.randomText(7, 2), long40, Priority.BATCH, null),
                recorder);
        for (int s = 0; s < 3; s++) {
            core.step();
        }
        RequestHandle urgent = core.add(new EngineRequest("urgent", Prompts.randomText(5, 3),
                SamplingParams.builder().temperature(0).maxTokens(5).ignoreEos(true).build()), recorder);
        core.step();
        assertThat(model.calls().getLast().chunks()).extracting(SequenceChunk::length).containsExactly(1, 5);
        runToCompletion(core);

        assertThat(finished.getFirst()).isEqualTo("urgent");
        assertThat(result(b2).numPreemptions()).isEqualTo(1);
        assertThat(result(b1).numPreemptions()).isZero();
        assertThat(result(b1).tokenIds()).containsExactly(model.expectedGreedy(Prompts.randomText(6, 1), 40));
        assertThat(result(b2).tokenIds()).containsExactly(model.expectedGreedy(Prompts.randomText(7, 2), 40));
        assertThat(result(urgent).tokenIds()).containsExactly(model.expectedGreedy(Prompts.randomText(5, 3), 5));
    }

    @Test
    void cancellingFreesTheBlocksBeforeTheNextStep() {
        ToyModel model = new ToyModel();
        EngineCore core = engine(model, config().build());
        SamplingParams params = SamplingParams.builder().temperature(0).maxTokens(50).ignoreEos(true).build();
        List<EngineEvent> events = new ArrayList<>();
        RequestHandle doomed = core.add(new EngineRequest("doomed", Prompts.randomText(30, 1), params), events::add);
        RequestHandle other = core.add(new EngineRequest("other", Prompts.randomText(5, 2), params),
                EngineListener.NONE);
        for (int s = 0; s < 4; s++) {
            core.step();
        }
        int usedBefore = core.stats().kvBlocksUsed();
        doomed.cancel();

        assertThat(core.stats().kvBlocksUsed()).isEqualTo(usedBefore - 9); // 33 cached tokens in 4-token blocks
        GenerationResult r = result(doomed);
        assertThat(r.finishReason()).isEqualTo(FinishReason.CANCELLED);
        assertThat(r.tokenIds()).hasSize(4);
        assertThat(events.getLast()).isInstanceOf(EngineEvent.Finished.class);
        int calls = model.calls().size();
        core.step();
        assertThat(model.calls().get(calls).chunks()).hasSize(1);
        assertThat(core.abort("doomed")).isFalse();
        runToCompletion(core);
        assertThat(result(other).finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(core.stats().finishedTotal()).containsEntry(FinishReason.CANCELLED, 1L);
    }

    @Test
    void deadlinesEndQueuedAndRunningRequests() {
        EngineCore core = engine(new ToyModel(), config().maxNumSeqs(1).build());
        SamplingParams params = SamplingParams.builder().temperature(0).maxTokens(100).ignoreEos(true).build();
        var t0 = clock.instant();
        RequestHandle running = core.add(new EngineRequest("running", Prompts.randomText(4, 1), params,
                Priority.INTERACTIVE, t0.plusSeconds(10)), EngineListener.NONE);
        RequestHandle queued = core.add(new EngineRequest("queued", Prompts.randomText(4, 2), params,
                Priority.INTERACTIVE, t0.plusSeconds(5)), EngineListener.NONE);
        RequestHandle patient = core.add(new EngineRequest("patient", Prompts.randomText(4, 3),
                SamplingParams.builder().temperature(0).maxTokens(3).ignoreEos(true).build()), EngineListener.NONE);
        core.step();
        core.step();
        clock.advance(Duration.ofSeconds(6));
        core.step();
        assertThat(result(queued).finishReason()).isEqualTo(FinishReason.DEADLINE);
        assertThat(result(queued).timings().queueTime()).isNull();
        assertThat(result(queued).tokenIds()).isEmpty();
        assertThat(running.result()).isNotDone();

        clock.advance(Duration.ofSeconds(5));
        core.step();
        assertThat(result(running).finishReason()).isEqualTo(FinishReason.DEADLINE);
        assertThat(result(running).tokenIds()).hasSize(3);
        runToCompletion(core);
        assertThat(result(patient).finishReason()).isEqualTo(FinishReason.LENGTH);
    }

    @Test
    void interactiveRequestsRunBeforeBatchOnesAndArrivalOrderHoldsWithinAClass() {
        EngineCore core = engine(new ToyModel(), config().maxNumSeqs(1).build());
        SamplingParams params = SamplingParams.builder().temperature(0).maxTokens(3).ignoreEos(true).build();
        List<String> finished = new ArrayList<>();
        EngineListener recorder = e -> {
            if (e instanceof EngineEvent.Finished f) {
                finished.add(f.requestId());
            }
        };
        core.add(new EngineRequest("b1", Prompts.randomText(3, 1), params, Priority.BATCH, null), recorder);
        core.add(new EngineRequest("b2", Prompts.randomText(3, 2), params, Priority.BATCH, null), recorder);
        core.add(new EngineRequest("i1", Prompts.randomText(3, 3), params, Priority.INTERACTIVE, null), recorder);
        core.add(new EngineRequest("i2", Prompts.randomText(3, 4), params, Priority.INTERACTIVE, null), recorder);
        runToCompletion(core);
        assertThat(finished).containsExactly("i1", "i2", "b1", "b2");
    }

    @Test
    void chunkedPrefillOfALongVisionPromptEqualsUnchunkedPrefill() {
        PreparedPrompt longPrompt = Prompts.withImage(10, 8, 10, 15, 9); // 105 tokens
        SamplingParams params = SamplingParams.builder().temperature(0).maxTokens(12).ignoreEos(true).build();

        ToyModel chunkedModel = new ToyModel();
        EngineCore chunked = engine(chunkedModel, config().maxNumSeqs(4).maxNumBatchedTokens(7).build());
        RequestHandle a = chunked.add(new EngineRequest("long", longPrompt, params), EngineListener.NONE);
        RequestHandle b = chunked.add(new EngineRequest("short", Prompts.randomText(3, 1), params),
                EngineListener.NONE);
        runToCompletion(chunked);

        int[] expected = chunkedModel.expectedGreedy(longPrompt, 12);
        assertThat(result(a).tokenIds()).containsExactly(expected);
        assertThat(runAlone(longPrompt, params, config().maxNumBatchedTokens(4096).build())).containsExactly(expected);
        assertThat(result(b).tokenIds()).containsExactly(chunkedModel.expectedGreedy(Prompts.randomText(3, 1), 12));

        // Every step stayed within the token budget, and the long prompt's chunks tile it without gaps.
        int next = 0;
        int prefillCalls = 0;
        for (ToyModel.Call call : chunkedModel.calls()) {
            assertThat(call.chunks().stream().mapToInt(SequenceChunk::length).sum()).isLessThanOrEqualTo(7);
            for (SequenceChunk c : call.chunks()) {
                if (c.sequenceId() == 0 && c.cacheStart() < longPrompt.length()) {
                    assertThat(c.cacheStart()).isEqualTo(next);
                    next += c.length();
                    prefillCalls++;
                    assertThat(c.computeLogits()).isEqualTo(next == longPrompt.length());
                }
            }
        }
        assertThat(next).isEqualTo(longPrompt.length());
        assertThat(prefillCalls).isGreaterThanOrEqualTo(105 / 7);
    }

    @Test
    void eachStepIsOneForwardCallCarryingEveryScheduledSequence() {
        ToyModel model = new ToyModel();
        EngineCore core = engine(model, config().build());
        SamplingParams params = SamplingParams.builder().temperature(0).maxTokens(5).ignoreEos(true).build();
        for (int i = 0; i < 3; i++) {
            core.add(new EngineRequest("r" + i, Prompts.randomText(4 + i, i), params), EngineListener.NONE);
        }
        runToCompletion(core);
        assertThat(model.calls()).hasSize((int) core.stats().stepsTotal()).hasSize(5);
        for (ToyModel.Call call : model.calls()) {
            assertThat(call.chunks()).hasSize(3);
            assertThat(call.chunks().stream().map(SequenceChunk::sequenceId).distinct()).hasSize(3);
            assertThat(call.chunks()).allMatch(SequenceChunk::computeLogits);
        }
        assertThat(model.calls().get(1).chunks()).allMatch(c -> c.length() == 1);
    }

    @Test
    void generatedTokensArePositionedAtIndexPlusRopeDeltaOnAllAxes() {
        ToyModel model = new ToyModel();
        EngineCore core = engine(model, config().build());
        PreparedPrompt prompt = Prompts.withImage(2, 4, 4, 3, 1); // 21 tokens, ropeDelta = 9 - 21 = -12
        assertThat(prompt.ropeDelta()).isEqualTo(-12);
        core.add(new EngineRequest("r", prompt, SamplingParams.builder().temperature(0).maxTokens(3).ignoreEos(true)
                .build()), EngineListener.NONE);
        runToCompletion(core);
        SequenceChunk decode = model.calls().get(1).chunks().getFirst();
        assertThat(decode.cacheStart()).isEqualTo(21);
        for (int axis = 0; axis < 3; axis++) {
            assertThat(decode.positions()[axis]).containsExactly(21 - 12);
        }
        SequenceChunk prefill = model.calls().getFirst().chunks().getFirst();
        assertThat(prefill.embeddingOverrides()[2]).isSameAs(prompt.embeddingOverrides()[2]);
        assertThat(prefill.embeddingOverrides()[0]).isNull();
        assertThat(decode.embeddingOverrides()).isNull();
    }

    @Test
    void requestsThatCanNeverRunAreRejectedUpFront() {
        EngineCore small = engine(new ToyModel(), config().numKvBlocks(4).build()); // 16 tokens
        SamplingParams params = SamplingParams.greedy(4);
        assertThatThrownBy(() -> small.add(new EngineRequest("big", Prompts.randomText(16, 1), params),
                EngineListener.NONE))
                .isInstanceOf(Qwen2VlException.class)
                .hasMessageContaining("KV cache pool")
                .extracting(e -> ((Qwen2VlException) e).code()).isEqualTo("prompt_too_long");
        small.add(new EngineRequest("fits", Prompts.randomText(15, 1), params), EngineListener.NONE);
        assertThatThrownBy(() -> small.add(new EngineRequest("fits", Prompts.randomText(3, 1), params),
                EngineListener.NONE))
                .extracting(e -> ((Qwen2VlException) e).code()).isEqualTo("duplicate_request_id");

        EngineCore shortModel = engine(new ToyModel(), config().maxModelLen(10).build());
        assertThatThrownBy(() -> shortModel.add(new EngineRequest("r", Prompts.randomText(10, 1), params),
                EngineListener.NONE))
                .hasMessageContaining("maximum length of 10")
                .extracting(e -> ((Qwen2VlException) e).code()).isEqualTo("prompt_too_long");
        assertThatThrownBy(() -> shortModel.add(new EngineRequest("e", Prompts.text(), params), EngineListener.NONE))
                .extracting(e -> ((Qwen2VlException) e).code()).isEqualTo("empty_prompt");
        assertThatThrownBy(() -> shortModel.add(new EngineRequest("v", Prompts.text(1, 64), params),
                EngineListener.NONE))
                .extracting(e -> ((Qwen2VlException) e).code()).isEqualTo("invalid_prompt");
    }

    @Test
    void aFullQueueRefusesNewRequestsUntilItDrains() {
        EngineCore core = engine(new ToyModel(), config().maxNumSeqs(1).maxQueuedRequests(2).build());
        SamplingParams params = SamplingParams.builder().temperature(0).maxTokens(2).ignoreEos(true).build();
        core.add(new EngineRequest("a", Prompts.randomText(3, 1), params), EngineListener.NONE);
        core.add(new EngineRequest("b", Prompts.randomText(3, 2), params), EngineListener.NONE);
        assertThatThrownBy(() -> core.add(new EngineRequest("c", Prompts.randomText(3, 3), params),
                EngineListener.NONE))
                .extracting(e -> ((Qwen2VlException) e).code()).isEqualTo("engine_overloaded");
        core.step(); // "a" starts running, one waits
        core.add(new EngineRequest("c", Prompts.randomText(3, 3), params), EngineListener.NONE);
        runToCompletion(core);
        assertThat(core.stats().finishedTotal()).containsEntry(FinishReason.LENGTH, 3L);
    }

    @Test
    void generationStopsAtMaxTokensOrWhenTheSequenceFillsThePool() {
        EngineCore core = engine(new ToyModel(), config().numKvBlocks(4).build()); // 16 tokens
        RequestHandle capped = core.add(new EngineRequest("capped", Prompts.randomText(3, 1),
                SamplingParams.builder().temperature(0).maxTokens(5).ignoreEos(true).build()), EngineListener.NONE);
        runToCompletion(core);
        assertThat(result(capped).finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(result(capped).usage()).isEqualTo(new Usage(3, 5));

        RequestHandle filling = core.add(new EngineRequest("filling", Prompts.randomText(10, 1),
                SamplingParams.builder().temperature(0).maxTokens(100).ignoreEos(true).build()), EngineListener.NONE);
        runToCompletion(core);
        assertThat(result(filling).finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(result(filling).usage()).isEqualTo(new Usage(10, 6));
        assertThat(core.stats().generationTokensTotal()).isEqualTo(11);
        assertThat(core.stats().promptTokensTotal()).isEqualTo(13);
    }

    @Test
    void aFailedModelStepFailsItsRequestsFreesTheirBlocksAndTheEngineGoesOn() {
        ToyModel model = new ToyModel();
        model.failOn(call -> call == 2);
        EngineCore core = engine(model, config().build());
        SamplingParams params = SamplingParams.builder().temperature(0).maxTokens(10).ignoreEos(true).build();
        RequestHandle a = core.add(new EngineRequest("a", Prompts.randomText(5, 1), params), EngineListener.NONE);
        RequestHandle b = core.add(new EngineRequest("b", Prompts.randomText(6, 2), params), EngineListener.NONE);
        runToCompletion(core);
        assertThat(result(a).finishReason()).isEqualTo(FinishReason.ERROR);
        assertThat(result(a).errorMessage()).contains("injected model failure");
        assertThat(result(b).finishReason()).isEqualTo(FinishReason.ERROR);
        assertThat(core.stats().kvBlocksUsed()).isZero();

        RequestHandle c = core.add(new EngineRequest("c", Prompts.randomText(5, 1), params), EngineListener.NONE);
        runToCompletion(core);
        assertThat(result(c).tokenIds()).containsExactly(model.expectedGreedy(Prompts.randomText(5, 1), 10));
    }

    @Test
    void logitsRowsOfTheWrongSizeFailTheStepInsteadOfSamplingGarbage() {
        ToyModel toy = new ToyModel();
        EngineCore core = engine(new ModelRunner() {
            @Override
            public int vocabSize() {
                return toy.vocabSize();
            }

            @Override
            public long kvBytesPerToken() {
                return toy.kvBytesPerToken();
            }

            @Override
            public void allocateKvCache(int numBlocks, int blockSize) {
                toy.allocateKvCache(numBlocks, blockSize);
            }

            @Override
            public float[][] forward(List<SequenceChunk> chunks) {
                float[][] rows = toy.forward(chunks);
                return java.util.Arrays.stream(rows).map(r -> java.util.Arrays.copyOf(r, 10)).toArray(float[][]::new);
            }
        }, config().build());
        RequestHandle h = core.add(new EngineRequest("r", Prompts.randomText(3, 1), SamplingParams.greedy(3)),
                EngineListener.NONE);
        runToCompletion(core);
        assertThat(result(h).finishReason()).isEqualTo(FinishReason.ERROR);
        assertThat(result(h).errorMessage()).contains("logits row of 10 entries");
    }

    @Test
    void timingsAreMeasuredFromArrival() {
        ModelRunner slow = new ModelRunnerAdvancingClock(new ToyModel(), clock, Duration.ofMillis(100));
        EngineCore core = engine(slow, config().build());
        RequestHandle h = core.add(new EngineRequest("t", Prompts.randomText(4, 1),
                SamplingParams.builder().temperature(0).maxTokens(3).ignoreEos(true).build()), EngineListener.NONE);
        clock.advance(Duration.ofSeconds(2));
        runToCompletion(core);
        RequestTimings t = result(h).timings();
        assertThat(t.queueTime()).isEqualTo(Duration.ofSeconds(2));
        assertThat(t.timeToFirstToken()).isEqualTo(Duration.ofMillis(2100));
        assertThat(t.timePerOutputToken()).isEqualTo(Duration.ofMillis(100));
        assertThat(t.endToEnd()).isEqualTo(Duration.ofMillis(2300));
    }

    /** Wraps a model so that every forward call takes a fixed time on the test clock. */
    record ModelRunnerAdvancingClock(ModelRunner model, MutableClock clock, Duration perCall) implements ModelRunner {
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
            clock.advance(perCall);
            return model.forward(chunks);
        }
    }
}
