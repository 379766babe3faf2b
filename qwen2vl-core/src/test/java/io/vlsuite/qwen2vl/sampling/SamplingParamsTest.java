package io.vlsuite.qwen2vl.sampling;

import io.vlsuite.qwen2vl.Qwen2VlException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class SamplingParamsTest {

    @Test
    void defaultsAreVllms() {
        SamplingParams p = SamplingParams.builder().build();
        assertThat(p.temperature()).isEqualTo(1.0);
        assertThat(p.topP()).isEqualTo(1.0);
        assertThat(p.topKEnabled()).isFalse();
        assertThat(p.minP()).isZero();
        assertThat(p.repetitionPenalty()).isEqualTo(1.0);
        assertThat(p.maxTokens()).isEqualTo(16);
        assertThat(p.skipSpecialTokens()).isTrue();
        assertThat(p.logprobs()).isNull();
        assertThat(p.seed()).isNull();
        assertThat(p.greedy()).isFalse();
        assertThat(SamplingParams.greedy(5).greedy()).isTrue();
        assertThat(SamplingParams.builder().topK(-1).build().topKEnabled()).isFalse();
    }

    @Test
    void collectionsAreCopiedAndTheLongestStopStringIsKnown() {
        var stops = new java.util.ArrayList<>(List.of("ab", "abcd"));
        SamplingParams p = SamplingParams.builder().stop(stops).stopTokenIds(Set.of(3)).build();
        stops.clear();
        assertThat(p.stop()).containsExactly("ab", "abcd");
        assertThat(p.longestStopString()).isEqualTo(4);
        assertThat(p.toBuilder().maxTokens(3).build()).isEqualTo(
                SamplingParams.builder().stop(List.of("ab", "abcd")).stopTokenIds(Set.of(3)).maxTokens(3).build());
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> invalid() {
        return Stream.of(
                arguments("temperature", (UnaryOperator<SamplingParams.Builder>) b -> b.temperature(-0.1)),
                arguments("temperature", (UnaryOperator<SamplingParams.Builder>) b -> b.temperature(Double.NaN)),
                arguments("top_p", (UnaryOperator<SamplingParams.Builder>) b -> b.topP(0)),
                arguments("top_p", (UnaryOperator<SamplingParams.Builder>) b -> b.topP(1.01)),
                arguments("top_k", (UnaryOperator<SamplingParams.Builder>) b -> b.topK(-2)),
                arguments("min_p", (UnaryOperator<SamplingParams.Builder>) b -> b.minP(1.5)),
                arguments("repetition_penalty", (UnaryOperator<SamplingParams.Builder>) b -> b.repetitionPenalty(0)),
                arguments("presence_penalty", (UnaryOperator<SamplingParams.Builder>) b -> b.presencePenalty(2.5)),
                arguments("frequency_penalty", (UnaryOperator<SamplingParams.Builder>) b -> b.frequencyPenalty(-3)),
                arguments("max_tokens", (UnaryOperator<SamplingParams.Builder>) b -> b.maxTokens(0)),
                arguments("min_tokens", (UnaryOperator<SamplingParams.Builder>) b -> b.maxTokens(4).minTokens(5)),
                arguments("logprobs", (UnaryOperator<SamplingParams.Builder>) b -> b.logprobs(21)),
                arguments("logprobs", (UnaryOperator<SamplingParams.Builder>) b -> b.logprobs(-1)),
                arguments("stop", (UnaryOperator<SamplingParams.Builder>) b -> b.stop(List.of(""))),
                arguments("stop_token_ids", (UnaryOperator<SamplingParams.Builder>) b -> b.stopTokenIds(Set.of(-1))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void invalidValuesAreRejectedWithAStableCode(String field, UnaryOperator<SamplingParams.Builder> change) {
        assertThatThrownBy(() -> change.apply(SamplingParams.builder()).build())
                .isInstanceOf(Qwen2VlException.class)
                .hasMessageContaining(field)
                .extracting(e -> ((Qwen2VlException) e).code()).isEqualTo("invalid_sampling_params");
    }
}
