package io.vlsuite.qwen2vl.engine;

import io.vlsuite.qwen2vl.sampling.SamplingParams;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Prefix caching: shared prompt prefixes reuse KV blocks, and outputs never change because of it. */
class PrefixCachingTest {

    private static final SamplingParams GREEDY = SamplingParams.builder().temperature(0).maxTokens(10).ignoreEos(true)
            .build();
    /** A system prompt and an image: 8 + 6x6 + 2 = 46 tokens, ropeDelta -30. */
    private static final PreparedPrompt IMAGE = Prompts.withImage(8, 6, 6, 2, 42);

    private final MutableClock clock = new MutableClock();

    private static EngineConfig.Builder config() {
        return EngineConfig.builder().blockSize(4).numKvBlocks(128).maxNumSeqs(8).maxNumBatchedTokens(256)
                .eosTokenIds(Set.of(ToyVocabulary.IM_END));
    }

    private EngineCore engine(ToyModel model, EngineConfig config) {
        return new EngineCore(model, new ToyVocabulary(), config, clock);
    }

    private static GenerationResult run(EngineCore core, String id, PreparedPrompt prompt) {
        RequestHandle handle = core.add(new EngineRequest(id, prompt, GREEDY), EngineListener.NONE);
        for (int steps = 0; core.hasUnfinished(); steps++) {
            assertThat(steps).as("engine made no progress").isLessThan(1000);
            core.step();
        }
        return handle.result().join();
    }

    @Test
    void aSecondQuestionAboutTheSameImageReusesItsBlocksAndAnswersTheSame() {
        ToyModel model = new ToyModel();
        EngineCore core = engine(model, config().build());
        PreparedPrompt first = Prompts.extend(IMAGE, 3, 4, 5);        // 49 tokens
        PreparedPrompt second = Prompts.extend(IMAGE, 7, 7, 8, 9, 1); // 51 tokens
        run(core, "first", first);
        int calls = model.calls().size();
        GenerationResult r = run(core, "second", second);

        assertThat(r.tokenIds()).containsExactly(model.expectedGreedy(second, 10));
        // The 46 shared tokens fill 11 whole blocks of 4 (44 tokens); only the rest is prefilled.
        assertThat(r.usage().cachedPromptTokens()).isEqualTo(44);
        SequenceChunk prefill = model.calls().get(calls).chunks().getFirst();
        assertThat(prefill.cacheStart()).isEqualTo(44);
        assertThat(prefill.length()).isEqualTo(51 - 44);
        assertThat(core.stats().prefixCacheHits()).isEqualTo(44);
        assertThat(core.stats().prefixCacheQueries()).isEqualTo(49 + 51);
    }

    @Test
    void anIdenticalPromptRecomputesOnlyItsLastBlock() {
        ToyModel model = new ToyModel();
        EngineCore core = engine(model, config().build());
        GenerationResult a = run(core, "a", IMAGE);
        GenerationResult b = run(core, "b", IMAGE);
        assertThat(b.tokenIds()).containsExactly(a.tokenIds()).containsExactly(model.expectedGreedy(IMAGE, 10));
        assertThat(b.usage().cachedPromptTokens()).isEqualTo(44); // (46 - 1) / 4 whole blocks
        // A prompt filling whole blocks still recomputes its last block: the last token's logits are needed.
        PreparedPrompt whole = Prompts.extend(IMAGE, 5, 6); // 48 tokens
        run(core, "whole", whole);
        GenerationResult again = run(core, "whole-again", whole);
        assertThat(again.usage().cachedPromptTokens()).isEqualTo(44);
        assertThat(again.tokenIds()).containsExactly(model.expectedGreedy(whole, 10));
        // Generated tokens are cached too: asking again with the first answer appended reuses them.
        PreparedPrompt followUp = Prompts.extend(Prompts.extend(IMAGE, a.tokenIds()), 11, 12);
        assertThat(run(core, "c", followUp).usage().cachedPromptTokens()).isEqualTo(52);
    }

    @Test
    void theSameTokensWithAnotherImageOrAnotherLayoutDoNotMatch() {
        ToyModel model = new ToyModel();
        EngineCore core = engine(model, config().build());
        run(core, "a", IMAGE);
        float[][] otherRows = IMAGE.embeddingOverrides().clone();
        for (int i = 0; i < otherRows.length; i++) {
            if (otherRows[i] != null) {
                otherRows[i] = new float[] {otherRows[i][0] + 1f, otherRows[i][1]};
            }
        }
        PreparedPrompt otherPixels = new PreparedPrompt(IMAGE.tokenIds(), IMAGE.positions(), IMAGE.ropeDelta(),
                otherRows);
        // Same random text (seeded), but the grid 4x9 gives the pads other positions.
        PreparedPrompt otherGrid = Prompts.withImage(8, 4, 9, 2, 42);
        GenerationResult pixels = run(core, "pixels", otherPixels);
        GenerationResult grid = run(core, "grid", otherGrid);
        assertThat(pixels.usage().cachedPromptTokens()).isEqualTo(8); // only the text before the image
        // The first 6 pads sit at (t0, t0, t0 + col) in both layouts, so block 2 (tokens 8-11) still matches.
        assertThat(grid.usage().cachedPromptTokens()).isEqualTo(12);
        assertThat(pixels.tokenIds()).containsExactly(model.expectedGreedy(otherPixels, 10));
        assertThat(grid.tokenIds()).containsExactly(model.expectedGreedy(otherGrid, 10));
    }

    @Test
    void manyRequestsSharingAPrefixInATinyPoolStillAnswerExactly() {
        ToyModel model = new ToyModel();
        // 24 blocks of 4 tokens: far too few for 8 requests of ~60 tokens, so blocks are shared, evicted,
        // sequences preempted and recomputed (partly from cache).
        EngineCore core = engine(model, config().numKvBlocks(24).build());
        List<PreparedPrompt> prompts = new ArrayList<>();
        List<RequestHandle> handles = new ArrayList<>();
        SamplingParams params = SamplingParams.builder().temperature(0).maxTokens(12).ignoreEos(true).build();
        for (int i = 0; i < 8; i++) {
            PreparedPrompt p = i % 3 == 2 ? Prompts.randomText(30, i) : Prompts.extend(IMAGE, i, i + 1, i + 2);
            prompts.add(p);
            handles.add(core.add(new EngineRequest("r" + i, p, params), EngineListener.NONE));
        }
        for (int steps = 0; core.hasUnfinished(); steps++) {
            assertThat(steps).isLessThan(5000);
            core.step();
        }
        for (int i = 0; i < 8; i++) {
            assertThat(handles.get(i).result().join().tokenIds()).as("r" + i)
                    .containsExactly(model.expectedGreedy(prompts.get(i), 12));
        }
        assertThat(core.stats().prefixCacheHits()).isPositive();
        assertThat(core.stats().preemptionsTotal()).isPositive();
        assertThat(core.stats().kvBlocksUsed()).isZero();
    }

    @Test
    void cachedBlocksNobodyUsesAreEvictedWhenTheSpaceIsNeeded() {
        ToyModel model = new ToyModel();
        EngineCore core = engine(model, config().numKvBlocks(16).build()); // 64 tokens
        run(core, "image", IMAGE); // leaves 11 cached, free blocks
        assertThat(core.stats().kvBlocksUsed()).isZero();
        PreparedPrompt big = Prompts.randomText(50, 7);
        GenerationResult r = run(core, "big", big); // needs 15 blocks: must evict cached ones
        assertThat(r.tokenIds()).containsExactly(model.expectedGreedy(big, 10));
        assertThat(run(core, "image-again", IMAGE).usage().cachedPromptTokens()).isLessThan(44);
    }

    @Test
    void withPrefixCachingOffNothingIsShared() {
        ToyModel model = new ToyModel();
        EngineCore core = engine(model, config().enablePrefixCaching(false).build());
        run(core, "a", IMAGE);
        GenerationResult b = run(core, "b", IMAGE);
        assertThat(b.usage().cachedPromptTokens()).isZero();
        assertThat(core.stats().prefixCacheQueries()).isZero();
        assertThat(model.calls().getLast().chunks().getFirst().cacheStart()).isGreaterThan(0); // a decode step
    }
}
