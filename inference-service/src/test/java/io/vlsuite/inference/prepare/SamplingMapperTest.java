package io.vlsuite.inference.prepare;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vlsuite.contracts.job.Sampling;
import io.vlsuite.inference.engine.InferenceException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SamplingMapperTest {

    static final GenerationDefaults QWEN2_VL_INSTRUCT;

    static {
        try {
            QWEN2_VL_INSTRUCT = GenerationDefaults.fromJson(new ObjectMapper().readTree("""
                    {"do_sample": true, "repetition_penalty": 1.05, "temperature": 0.1, "top_p": 0.001, "top_k": 1}"""));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Sampling sampling(Integer maxTokens, Double temperature, Boolean logprobs, Integer topLogprobs, Integer n) {
        return new Sampling(maxTokens, temperature, null, null, null, null, List.of("END"), List.of(5), null, null,
                null, topLogprobs, logprobs, null, n);
    }

    @Test
    void unsetFieldsTakeTheModelsGenerationConfig() {
        var params = new SamplingMapper(QWEN2_VL_INSTRUCT).map(sampling(null, null, null, null, null), 100);
        assertThat(params.temperature()).isEqualTo(0.1);
        assertThat(params.topP()).isEqualTo(0.001);
        assertThat(params.topK()).isEqualTo(1);
        assertThat(params.repetitionPenalty()).isEqualTo(1.05);
        assertThat(params.maxTokens()).isEqualTo(100); // what fits after the prompt
        assertThat(params.stop()).containsExactly("END");
        assertThat(params.stopTokenIds()).containsExactly(5);
        assertThat(params.logprobs()).isNull();
    }

    @Test
    void requestValuesWinAndMaxTokensIsCappedByTheContext() {
        var params = new SamplingMapper(QWEN2_VL_INSTRUCT).map(sampling(500, 0.7, true, 3, 1), 100);
        assertThat(params.temperature()).isEqualTo(0.7);
        assertThat(params.maxTokens()).isEqualTo(100);
        assertThat(params.logprobs()).isEqualTo(3);
    }

    @Test
    void specialTokensAreSkippedUnlessTheRequestKeepsThem() {
        var mapper = new SamplingMapper(GenerationDefaults.VLLM);
        assertThat(mapper.map(sampling(10, 0.0, null, null, null), 10).skipSpecialTokens()).isTrue();
        var keep = new Sampling(10, 0.0, null, null, null, null, null, null, null, null, null, null, null, null, null, false);
        assertThat(mapper.map(keep, 10).skipSpecialTokens()).isFalse();
    }

    @Test
    void doSampleFalseMeansGreedy() throws Exception {
        var defaults = GenerationDefaults.fromJson(new ObjectMapper().readTree("{\"do_sample\": false}"));
        assertThat(new SamplingMapper(defaults).map(null, 10).greedy()).isTrue();
    }

    @Test
    void invalidValuesAreDeterministicFailures() {
        var mapper = new SamplingMapper(GenerationDefaults.VLLM);
        assertThatThrownBy(() -> mapper.map(sampling(10, -1.0, null, null, null), 10))
                .isInstanceOfSatisfying(InferenceException.class, e -> {
                    assertThat(e.code()).isEqualTo("invalid_sampling_params");
                    assertThat(e.retryable()).isFalse();
                });
        assertThatThrownBy(() -> mapper.map(sampling(10, null, null, null, 2), 10))
                .isInstanceOfSatisfying(InferenceException.class, e -> assertThat(e.code()).isEqualTo("n_not_supported"));
    }
}
