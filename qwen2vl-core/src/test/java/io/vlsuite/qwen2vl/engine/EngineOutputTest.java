package io.vlsuite.qwen2vl.engine;

import io.vlsuite.qwen2vl.sampling.SamplingParams;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static io.vlsuite.qwen2vl.engine.ToyVocabulary.*;
import static org.assertj.core.api.Assertions.assertThat;

/** What the engine streams for given tokens: text deltas, stop handling, special tokens, usage. */
class EngineOutputTest {

    private static final PreparedPrompt PROMPT = Prompts.randomText(3, 1);

    /** Runs one request against a model that says {@code script}; returns the deltas and the result. */
    private record Run(List<String> deltas, GenerationResult result) {
        String streamed() {
            return String.join("", deltas);
        }
    }

    private static Run run(SamplingParams params, int... script) {
        EngineCore core = new EngineCore(new ScriptedModel(PROMPT.length(), script), new ToyVocabulary(),
                EngineConfig.builder().blockSize(4).numKvBlocks(64).eosTokenIds(Set.of(END_OF_TEXT, IM_END))
                        .build(), new MutableClock());
        List<String> deltas = new ArrayList<>();
        List<EngineEvent> events = new ArrayList<>();
        RequestHandle handle = core.add(new EngineRequest("r", PROMPT, params), e -> {
            events.add(e);
            if (e instanceof EngineEvent.Delta d) {
                deltas.add(d.text());
            }
        });
        while (core.hasUnfinished()) {
            core.step();
        }
        assertThat(events.stream().filter(e -> e instanceof EngineEvent.Finished)).hasSize(1);
        assertThat(events.getLast()).isInstanceOf(EngineEvent.Finished.class);
        GenerationResult result = handle.result().join();
        assertThat(result.text()).isEqualTo(String.join("", deltas));
        return new Run(deltas, result);
    }

    private static SamplingParams.Builder greedy() {
        return SamplingParams.builder().temperature(0).maxTokens(50);
    }

    private static int[] concat(int[]... parts) {
        return java.util.Arrays.stream(parts).flatMapToInt(IntStream::of).toArray();
    }

    @Test
    void aStopStringSpanningTokensEndsTheOutputRightBeforeIt() {
        Run run = run(greedy().stop(List.of("lo wo", "zzz")).build(), spell("hello world"));
        assertThat(run.result().finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(run.result().stopString()).isEqualTo("lo wo");
        assertThat(run.streamed()).isEqualTo("hel");
        // Each 'l' is held back until the next token shows whether "lo wo" follows, so nothing that turned out
        // to be the stop string was ever streamed.
        assertThat(run.deltas()).containsExactly("h", "e", "", "l", "", "", "", "");
        assertThat(run.result().tokenIds()).hasSize(8);
    }

    @Test
    void heldBackTextIsReleasedAsSoonAsItCannotStartAStopString() {
        Run run = run(greedy().stop(List.of("abd")).build(), spell("ab abc"));
        assertThat(run.deltas()).containsExactly("", "", "ab ", "", "", "abc", "");
        assertThat(run.result().finishReason()).isEqualTo(FinishReason.STOP); // the script ends with <|im_end|>
        assertThat(run.result().stopString()).isNull();
        assertThat(run.result().text()).isEqualTo("ab abc");
    }

    @Test
    void heldBackTextIsReleasedWhenTheLengthLimitEndsGeneration() {
        Run run = run(greedy().stop(List.of("cde")).maxTokens(4).build(), spell("abcd"));
        assertThat(run.result().finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(run.deltas()).containsExactly("a", "b", "", "cd");
    }

    @Test
    void charactersSplitAcrossTokensAreNeverSplitInTheStream() {
        int[] script = concat(spell("caf"), new int[] {E_ACUTE_LEAD, E_ACUTE_TAIL, SPACE, EURO_HEAD, EURO_TAIL,
                GRIN_HEAD, GRIN_TAIL});
        Run run = run(greedy().build(), script);
        assertThat(run.deltas()).containsExactly("c", "a", "f", "", "é", " ", "", "€", "", "😀", "");
        assertThat(run.result().text()).isEqualTo("café €😀");
    }

    @Test
    void anUnfinishedCharacterAtTheEndBecomesAReplacementCharacter() {
        Run run = run(greedy().maxTokens(3).build(), concat(spell("o"), new int[] {GRIN_HEAD, IM_END}));
        assertThat(run.deltas()).containsExactly("o", "", "\uFFFD");
    }

    @Test
    void specialTokensAreLeftOutOfTheTextUnlessRequested() {
        int[] script = concat(spell("hi"), new int[] {BOX_START}, spell("o"));
        assertThat(run(greedy().build(), script).result().text()).isEqualTo("hio");
        assertThat(run(greedy().skipSpecialTokens(false).build(), script).result().text())
                .isEqualTo("hi<|box_start|>o");
    }

    @Test
    void eosEndsGenerationCountsAsACompletionTokenButIsNotText() {
        Run run = run(greedy().build(), spell("ok"));
        assertThat(run.result().finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(run.result().stopTokenId()).isNull();
        assertThat(run.result().tokenIds()).containsExactly(14, 10, IM_END);
        assertThat(run.result().usage()).isEqualTo(new Usage(3, 3));
        assertThat(run.result().text()).isEqualTo("ok");
    }

    @Test
    void ignoreEosKeepsGoingUntilTheLengthLimit() {
        Run run = run(greedy().ignoreEos(true).maxTokens(5).skipSpecialTokens(true).build(),
                concat(spell("ab"), new int[] {IM_END}, spell("cd")));
        assertThat(run.result().finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(run.result().text()).isEqualTo("abcd");
    }

    @Test
    void stopTokenIdsEndGenerationAndMinTokensMasksThemUntilEnoughTokensExist() {
        Run run = run(greedy().stopTokenIds(Set.of(DOT)).minTokens(4).build(), spell("ab.cd."));
        // '.' at the third token is masked (min_tokens 4), so the argmax of the rest (token 0, "a") is chosen.
        assertThat(run.result().text()).isEqualTo("abacd");
        assertThat(run.result().finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(run.result().stopTokenId()).isEqualTo(DOT);
        assertThat(run.result().tokenIds()).hasSize(6);
    }

    @Test
    void minTokensAlsoDelaysStopStrings() {
        Run run = run(greedy().stop(List.of("b")).minTokens(3).build(), spell("abcb"));
        assertThat(run.result().text()).isEqualTo("abc");
        assertThat(run.result().stopString()).isEqualTo("b");
    }

    @Test
    void logprobsAreReportedPerTokenWhenRequested() {
        Run run = run(greedy().logprobs(2).maxTokens(2).build(), spell("xy"));
        assertThat(run.result().logprobs()).hasSize(2);
        var first = run.result().logprobs().getFirst();
        assertThat(first.tokenId()).isEqualTo(23);
        // logit 10 against 63 zeros: log(e^10 / (e^10 + 63))
        assertThat(first.logprob().logprob()).isCloseTo((float) (10 - Math.log(Math.exp(10) + 63)),
                org.assertj.core.data.Offset.offset(1e-5f));
        assertThat(first.logprob().rank()).isEqualTo(1);
        assertThat(first.top()).hasSize(2);
        assertThat(first.top().get(1).tokenId()).isZero();
        assertThat(run(greedy().maxTokens(2).build(), spell("xy")).result().logprobs()).isEmpty();
    }
}
