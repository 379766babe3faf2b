package io.vlsuite.inference.engineserver;

import io.vlsuite.contracts.job.Lane;
import io.vlsuite.contracts.triton.ModelInferRequest;
import io.vlsuite.inference.engine.InferenceException;
import io.vlsuite.inference.triton.InferRequestBuilder;
import io.vlsuite.inference.triton.Tensor;
import io.vlsuite.qwen2vl.image.MediaKind;
import io.vlsuite.qwen2vl.image.VisionInput;
import io.vlsuite.qwen2vl.tokenizer.Qwen2Tokenizer;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static io.vlsuite.inference.triton.TensorNames.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How the engine server reads requests in its ensemble layout, and what it refuses. */
class RequestDecoderTest {

    static final Qwen2Tokenizer TOKENIZER = Qwen2Tokenizer.load(
            Path.of(System.getProperty("user.dir")).resolve("../models/tiny-trained"));
    static final int IMAGE_PAD = TOKENIZER.requireTokenId("<|image_pad|>");
    static final int VIDEO_PAD = TOKENIZER.requireTokenId("<|video_pad|>");
    final RequestDecoder decoder = new RequestDecoder(TOKENIZER);

    RequestDecoder.Decoded decode(ModelInferRequest r) {
        return decoder.decode(r, Tensor.of(r));
    }

    static InferRequestBuilder base(String id) {
        return new InferRequestBuilder("ensemble", "", id, true).string(TEXT_INPUT, "hi").int32(MAX_TOKENS, 5);
    }

    @Test
    void samplingTensorsBecomeSamplingParamsAndAbsentOnesKeepDefaults() {
        var d = decode(base("a").fp32(TEMPERATURE, 0.5f).int32(TOP_K, 3).uint64(SEED, 9).bool(STREAM, true)
                .strings(STOP_WORDS, List.of("END", "STOP")).bool(IGNORE_EOS, true).int32(STOP_TOKEN_IDS, 4, 5)
                .parameter(LANE, "batch").build());
        var s = d.request().sampling();
        assertThat(s.temperature()).isEqualTo(0.5);
        assertThat(s.topK()).isEqualTo(3);
        assertThat(s.seed()).isEqualTo(9L);
        assertThat(s.maxTokens()).isEqualTo(5);
        assertThat(s.stop()).containsExactly("END", "STOP");
        assertThat(s.ignoreEos()).isTrue();
        assertThat(s.stopTokenIds()).containsExactlyInAnyOrder(4, 5);
        assertThat(s.topP()).isEqualTo(1.0);
        assertThat(d.stream()).isTrue();
        assertThat(d.request().lane()).isEqualTo(Lane.BATCH);
        assertThat(d.request().promptTokenIds()).containsExactly(TOKENIZER.encode("hi", true));
        assertThat(decode(base("b").build()).stream()).as("no stream tensor: one final response").isFalse();
    }

    @Test
    void visionPadsInTheTextAreExpandedPerGridAndTheKindFollowsThePad() {
        float[] pixels = new float[(4 + 8) * VisionInput.PATCH_DIM];
        pixels[4 * VisionInput.PATCH_DIM] = 0.25f; // first value of the second medium
        var r = new InferRequestBuilder("ensemble", "", "v", true)
                .string(TEXT_INPUT, "a<|image_pad|>b<|video_pad|>c").int32(MAX_TOKENS, 2)
                .floatMatrix(IMAGE_INPUT, "FP32", pixels, 12, VisionInput.PATCH_DIM)
                .int64Matrix(IMAGE_GRID_THW, "INT64", new long[] {1, 2, 2, 2, 2, 2}, 2, 3).build();
        var req = decode(r).request();
        assertThat(java.util.Arrays.stream(req.promptTokenIds()).filter(id -> id == IMAGE_PAD).count()).isEqualTo(1);
        assertThat(java.util.Arrays.stream(req.promptTokenIds()).filter(id -> id == VIDEO_PAD).count()).isEqualTo(2);
        assertThat(req.vision()).extracting(VisionInput::kind).containsExactly(MediaKind.IMAGE, MediaKind.VIDEO);
        assertThat(req.vision().get(1).gridThw()).containsExactly(2, 2, 2);
        assertThat(req.vision().get(1).pixelValues()[0]).isEqualTo(0.25f);
    }

    @Test
    void inconsistentOrIncompleteRequestsAreRefusedWithAStableCode() {
        assertRefused(new InferRequestBuilder("ensemble", "", "x", true).string(TEXT_INPUT, "hi").build(), "'max_tokens'");
        assertRefused(base("").build(), "request id");
        assertRefused(new InferRequestBuilder("ensemble", "", "x", true).string(TEXT_INPUT, "<|image_pad|>")
                .int32(MAX_TOKENS, 2).build(), "more vision pads");
        assertRefused(new InferRequestBuilder("ensemble", "", "x", true).string(TEXT_INPUT, "<|image_pad|>")
                .int32(MAX_TOKENS, 2).floatMatrix(IMAGE_INPUT, "FP32", new float[3 * VisionInput.PATCH_DIM], 3,
                        VisionInput.PATCH_DIM)
                .int64Matrix(IMAGE_GRID_THW, "INT64", new long[] {1, 2, 2}, 1, 3).build(), "fewer than the grids");
        assertThatThrownBy(() -> decode(base("x").int32(TOP_K, -7).build()))
                .isInstanceOfSatisfying(InferenceException.class, e -> {
                    assertThat(e.code()).isEqualTo("invalid_sampling_params");
                    assertThat(e.retryable()).isFalse();
                });
    }

    private void assertRefused(ModelInferRequest r, String why) {
        assertThatThrownBy(() -> decode(r)).isInstanceOfSatisfying(InferenceException.class, e -> {
            assertThat(e.code()).isEqualTo(RequestDecoder.INVALID);
            assertThat(e.retryable()).isFalse();
            assertThat(e.getMessage()).contains(why);
        });
    }
}
