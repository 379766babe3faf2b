package io.vlsuite.qwen2vl.engine;

import io.vlsuite.qwen2vl.sampling.SamplingParams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class EventStreamTest {

    private static EngineConfig config() {
        return EngineConfig.builder().blockSize(4).numKvBlocks(64).eosTokenIds(Set.of(ToyVocabulary.IM_END)).build();
    }

    /** Requests one event at a time and records everything it is told. */
    private static final class OneByOne implements Flow.Subscriber<EngineEvent> {
        final List<EngineEvent> events = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> completed = new CompletableFuture<>();
        final int cancelAfter;
        Flow.Subscription subscription;

        OneByOne(int cancelAfter) {
            this.cancelAfter = cancelAfter;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(EngineEvent item) {
            events.add(item);
            if (events.size() == cancelAfter) {
                subscription.cancel();
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onError(Throwable t) {
            completed.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            completed.complete(null);
        }
    }

    @Test
    void eventsArriveInOrderUnderBackpressureAndTheStreamCompletes() throws Exception {
        ToyModel model = new ToyModel();
        try (LLMEngine engine = new LLMEngine(model, new ToyVocabulary(), config())) {
            PreparedPrompt prompt = Prompts.randomText(4, 1);
            var publisher = engine.stream(new EngineRequest("s", prompt,
                    SamplingParams.builder().temperature(0).maxTokens(6).ignoreEos(true).build()));
            OneByOne subscriber = new OneByOne(Integer.MAX_VALUE);
            publisher.subscribe(subscriber);
            subscriber.completed.get(10, TimeUnit.SECONDS);
            assertThat(subscriber.events).hasSize(7);
            assertThat(subscriber.events.subList(0, 6)).allMatch(e -> e instanceof EngineEvent.Delta);
            int[] streamed = subscriber.events.subList(0, 6).stream()
                    .mapToInt(e -> ((EngineEvent.Delta) e).token().tokenId()).toArray();
            assertThat(streamed).containsExactly(model.expectedGreedy(prompt, 6));
            assertThat(((EngineEvent.Finished) subscriber.events.getLast()).result().tokenIds())
                    .containsExactly(streamed);
        }
    }

    @Test
    void cancellingTheSubscriptionCancelsTheRequest() throws Exception {
        // Each step takes 2 ms, so the request is still running when the subscriber cancels.
        try (LLMEngine engine = new LLMEngine(LLMEngineTest.slow(new ToyModel(), 2), new ToyVocabulary(), config())) {
            var publisher = engine.stream(new EngineRequest("gone", Prompts.randomText(4, 1),
                    SamplingParams.builder().temperature(0).maxTokens(200).ignoreEos(true).build()));
            OneByOne subscriber = new OneByOne(2);
            publisher.subscribe(subscriber);
            for (int i = 0; i < 500 && engine.stats().finishedTotal().isEmpty(); i++) {
                Thread.sleep(10);
            }
            assertThat(engine.stats().finishedTotal()).containsEntry(FinishReason.CANCELLED, 1L);
            assertThat(engine.stats().kvBlocksUsed()).isZero();
            assertThat(subscriber.events).hasSize(2);
        }
    }

    @Test
    void aSecondSubscriberIsRefused() {
        EventStream stream = new EventStream();
        stream.subscribe(new OneByOne(1));
        OneByOne second = new OneByOne(1);
        stream.subscribe(second);
        assertThat(second.completed).isCompletedExceptionally();
    }
}
