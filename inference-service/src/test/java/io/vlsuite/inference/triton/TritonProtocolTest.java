package io.vlsuite.inference.triton;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.vlsuite.contracts.job.Lane;
import io.vlsuite.contracts.triton.DataType;
import io.vlsuite.contracts.triton.InferParameter;
import io.vlsuite.contracts.triton.InferTensorContents;
import io.vlsuite.contracts.triton.ModelConfig;
import io.vlsuite.contracts.triton.ModelInferRequest;
import io.vlsuite.contracts.triton.ModelInferResponse;
import io.vlsuite.contracts.triton.ModelInput;
import io.vlsuite.contracts.triton.ModelOutput;
import io.vlsuite.contracts.triton.ModelStreamInferResponse;
import io.vlsuite.contracts.triton.ModelTransactionPolicy;
import io.vlsuite.inference.engine.FinishReason;
import io.vlsuite.inference.engine.InferenceException;
import io.vlsuite.inference.engine.InferenceRequest;
import io.vlsuite.qwen2vl.sampling.SamplingParams;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.vlsuite.inference.triton.TensorNames.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Triton wire rules without a server: BYTES prefixes, tensor forms, final flag, in-band errors, id matching. */
class TritonProtocolTest {

    // ------------------------------------------------------------------------------------------------ BYTES

    @Test
    void bytesElementsCarryAFourByteLittleEndianLengthPrefix() {
        ByteString raw = BytesTensor.encodeStrings(List.of("ab", "", "é"));
        assertThat(raw.toByteArray()).containsExactly(
                2, 0, 0, 0, 'a', 'b',
                0, 0, 0, 0,
                2, 0, 0, 0, (byte) 0xC3, (byte) 0xA9);
        assertThat(BytesTensor.decode(raw)).extracting(b -> new String(b, StandardCharsets.UTF_8))
                .containsExactly("ab", "", "é");
    }

    @Test
    void aLengthAboveTwoFiftyFiveUsesTheHigherBytesLittleEndian() {
        byte[] big = new byte[300];
        ByteString raw = BytesTensor.encode(List.of(big));
        assertThat(raw.substring(0, 4).toByteArray()).containsExactly(0x2C, 0x01, 0, 0);
        assertThat(BytesTensor.decode(raw)).singleElement().satisfies(e -> assertThat(e).hasSize(300));
    }

    @Test
    void anEmptyTensorAndASingleEmptyElementAreDifferent() {
        assertThat(BytesTensor.encode(List.of()).size()).isZero();
        assertThat(BytesTensor.decode(ByteString.EMPTY)).isEmpty();
        assertThat(BytesTensor.decode(BytesTensor.encode(List.of(new byte[0])))).singleElement()
                .satisfies(e -> assertThat(e).isEmpty());
    }

    @Test
    void truncatedBytesTensorsAreProtocolErrors() {
        assertThatThrownBy(() -> BytesTensor.decode(ByteString.copyFrom(new byte[] {5, 0})))
                .isInstanceOf(TritonProtocolException.class).hasMessageContaining("length prefix");
        assertThatThrownBy(() -> BytesTensor.decode(ByteString.copyFrom(new byte[] {5, 0, 0, 0, 'a'})))
                .isInstanceOf(TritonProtocolException.class).hasMessageContaining("only 1 left");
    }

    @Test
    void typedBytesContentsHaveNoPrefixAndRawAndTypedReadTheSame() {
        var typed = ModelInferRequest.newBuilder().setId("x").addInputs(ModelInferRequest.InferInputTensor.newBuilder()
                .setName(TEXT_INPUT).setDatatype("BYTES").addShape(1).addShape(1)
                .setContents(InferTensorContents.newBuilder().addBytesContents(ByteString.copyFromUtf8("hello")))).build();
        var raw = new InferRequestBuilder("m", "", "x", true).string(TEXT_INPUT, "hello").build();
        assertThat(Tensor.of(typed).get(TEXT_INPUT).string()).isEqualTo("hello");
        assertThat(Tensor.of(raw).get(TEXT_INPUT).string()).isEqualTo("hello");
        assertThat(raw.getInputs(0).hasContents()).isFalse();
    }

    @Test
    void rawAndTypedContentsMustNotBeMixed() {
        var mixed = new InferRequestBuilder("m", "", "x", false).int32(MAX_TOKENS, 4).build().toBuilder()
                .setInputs(0, ModelInferRequest.InferInputTensor.newBuilder().setName(MAX_TOKENS).setDatatype("INT32")
                        .addShape(1).setContents(InferTensorContents.newBuilder().addIntContents(4))).build();
        assertThatThrownBy(() -> Tensor.of(mixed)).isInstanceOf(TritonProtocolException.class)
                .hasMessageContaining("must not be specified");
    }

    @Test
    void numericTensorsAreLittleEndianWithTheBatchDimensionWhenTheModelBatches() {
        var r = new InferRequestBuilder("m", "", "x", true).int32(MAX_TOKENS, 258).uint64(SEED, 1L << 40)
                .fp32(TEMPERATURE, 0.5f).bool(STREAM, true).floatMatrix(IMAGE_INPUT, "FP16", new float[] {1.5f, -2f}, 1, 2)
                .build();
        assertThat(r.getRawInputContents(0).toByteArray()).containsExactly(2, 1, 0, 0);
        assertThat(r.getInputs(0).getShapeList()).containsExactly(1L, 1L);
        assertThat(r.getInputs(4).getShapeList()).containsExactly(1L, 1L, 2L);
        Map<String, Tensor> in = Tensor.of(r);
        assertThat(in.get(MAX_TOKENS).int32()).isEqualTo(258);
        assertThat(in.get(SEED).int64()).isEqualTo(1L << 40);
        assertThat(in.get(TEMPERATURE).float32()).isEqualTo(0.5f);
        assertThat(in.get(STREAM).bool()).isTrue();
        assertThat(in.get(IMAGE_INPUT).floats()).containsExactly(1.5f, -2f);
        assertThat(r.getRawInputContents(4).size()).isEqualTo(4); // two FP16 values
        var unbatched = new InferRequestBuilder("m", "", "x", false).int32(MAX_TOKENS, 1).build();
        assertThat(unbatched.getInputs(0).getShapeList()).containsExactly(1L);
    }

    @Test
    void aTensorOfTheWrongTypeOrSizeIsAProtocolError() {
        var r = new InferRequestBuilder("m", "", "x", false).int32(MAX_TOKENS, 1, 2).build();
        assertThatThrownBy(() -> Tensor.of(r).get(MAX_TOKENS).int32()).isInstanceOf(TritonProtocolException.class)
                .hasMessageContaining("exactly one element");
        assertThatThrownBy(() -> Tensor.of(r).get(MAX_TOKENS).floats()).isInstanceOf(TritonProtocolException.class)
                .hasMessageContaining("must be FP32");
    }

    // ------------------------------------------------------------------------------------------- parameters

    @Test
    void requestsAskForEmptyFinalResponsesAndCarryTypedParameters() {
        var r = encoder(ensembleConfig().build()).encode(request(SamplingParams.greedy(5)), "job-1#1");
        assertThat(r.getId()).isEqualTo("job-1#1");
        assertThat(r.getParametersMap().get(ENABLE_EMPTY_FINAL).getParameterChoiceCase())
                .isEqualTo(InferParameter.ParameterChoiceCase.BOOL_PARAM);
        assertThat(r.getParametersMap().get(ENABLE_EMPTY_FINAL).getBoolParam()).isTrue();
        assertThat(r.getParametersMap().get(LANE).getStringParam()).isEqualTo("batch");
    }

    @Test
    void theFinalFlagIsReadFromTheResponseParameter() {
        assertThat(ResponsePiece.isFinal(response("a", false).build())).isFalse();
        assertThat(ResponsePiece.isFinal(response("a", true).build())).isTrue();
        // Non-decoupled answers carry no flag: one response is the whole answer.
        assertThat(ResponsePiece.isFinal(ModelInferResponse.getDefaultInstance())).isTrue();
    }

    // -------------------------------------------------------------------------------- profiles and encoding

    @Test
    void onlyTensorsTheModelDeclaresAreSentUnderTheirDeclaredNames() {
        // An older ensemble: random_seed instead of seed, min_length instead of min_tokens, no input_ids.
        var config = ensembleConfig().addInput(input(RANDOM_SEED, DataType.TYPE_UINT64))
                .addInput(input(MIN_LENGTH, DataType.TYPE_INT32)).build();
        var sampling = SamplingParams.builder().temperature(0.7).topK(5).topP(0.9).seed(42L).minTokens(2)
                .maxTokens(9).build();
        var r = encoder(config).encode(request(sampling), "id");
        Map<String, Tensor> in = Tensor.of(r);
        assertThat(in.keySet()).containsExactlyInAnyOrder(TEXT_INPUT, MAX_TOKENS, STREAM, TEMPERATURE, TOP_K, TOP_P,
                RANDOM_SEED, MIN_LENGTH);
        assertThat(in.get(RANDOM_SEED).int64()).isEqualTo(42L);
        assertThat(in.get(MIN_LENGTH).int32()).isEqualTo(2);
        assertThat(in.get(TEXT_INPUT).shape()).containsExactly(1L, 1L);
    }

    @Test
    void theEnsembleIsAskedToLeaveOutThePromptAndCountOutputTokensWhenItCan() {
        var config = ensembleConfig().addInput(input(EXCLUDE_INPUT_IN_OUTPUT, DataType.TYPE_BOOL))
                .addInput(input(RETURN_NUM_OUTPUT_TOKENS, DataType.TYPE_BOOL)).build();
        var in = Tensor.of(encoder(config).encode(request(SamplingParams.greedy(3)), "id"));
        assertThat(in.get(EXCLUDE_INPUT_IN_OUTPUT).bool()).isTrue();
        assertThat(in.get(RETURN_NUM_OUTPUT_TOKENS).bool()).isTrue();
    }

    @Test
    void greedyRequestsSendTopKOneInsteadOfTemperatureZero() {
        var in = Tensor.of(encoder(ensembleConfig().build()).encode(request(SamplingParams.greedy(3)), "id"));
        assertThat(in.get(TOP_K).int32()).isEqualTo(1);
        assertThat(in).doesNotContainKey(TEMPERATURE);
    }

    @Test
    void thePyTorchProfileUsesItsOwnNamesAndNoBatchDimension() {
        var config = ModelConfig.newBuilder().setName("tensorrt_llm").setMaxBatchSize(0)
                .setModelTransactionPolicy(ModelTransactionPolicy.newBuilder().setDecoupled(true))
                .addInput(input(TEXT_INPUT, DataType.TYPE_STRING)).addInput(input(STREAMING, DataType.TYPE_BOOL))
                .addInput(input(SP_MAX_TOKENS, DataType.TYPE_INT32)).addInput(input(SP_TEMPERATURE, DataType.TYPE_FP32))
                .addInput(input(SP_EXCLUDE_INPUT, DataType.TYPE_BOOL)).addInput(input(RETURN_FINISH_REASON, DataType.TYPE_BOOL))
                .addInput(input(STOP, DataType.TYPE_BOOL))
                .addOutput(ModelOutput.newBuilder().setName(TEXT_OUTPUT).setDataType(DataType.TYPE_STRING)).build();
        var contract = ModelContract.of(config).checkAgainst(TritonProfile.PYTORCH);
        var enc = new RequestEncoder("tensorrt_llm", "", TritonProfile.PYTORCH, contract, "tensorrt_llm");
        var in = Tensor.of(enc.encode(request(SamplingParams.builder().temperature(0.5).maxTokens(7).build()), "id"));
        assertThat(in.get(SP_MAX_TOKENS).int32()).isEqualTo(7);
        assertThat(in.get(STREAMING).bool()).isTrue();
        assertThat(in.get(SP_EXCLUDE_INPUT).bool()).isTrue();
        assertThat(in.get(RETURN_FINISH_REASON).bool()).isTrue();
        assertThat(in.get(SP_MAX_TOKENS).shape()).containsExactly(1L);
        var stop = enc.stop("id");
        assertThat(stop.getModelName()).isEqualTo("tensorrt_llm");
        assertThat(Tensor.of(stop).get(STOP).bool()).isTrue();
    }

    @Test
    void anEnsembleStopGoesToTensorrtLlmWithItsRequiredInputsAndTheSameId() {
        var stop = encoder(ensembleConfig().build()).stop("job-9#3");
        assertThat(stop.getModelName()).isEqualTo("tensorrt_llm");
        assertThat(stop.getId()).isEqualTo("job-9#3");
        Map<String, Tensor> in = Tensor.of(stop);
        assertThat(in.keySet()).containsExactly("input_ids", "input_lengths", "request_output_len", STOP);
        assertThat(in.get(STOP).shape()).containsExactly(1L, 1L);
    }

    @Test
    void aModelLackingAProfileTensorOrNotDecoupledIsRejectedByName() {
        var noMaxTokens = ensembleConfig().build().toBuilder().removeInput(1).build();
        assertThatThrownBy(() -> ModelContract.of(noMaxTokens).checkAgainst(TritonProfile.ENSEMBLE))
                .isInstanceOfSatisfying(InferenceException.class, e -> {
                    assertThat(e.code()).isEqualTo("triton_model_mismatch");
                    assertThat(e.getMessage()).contains("'max_tokens'");
                });
        var noOutput = ensembleConfig().clearOutput().build();
        assertThatThrownBy(() -> ModelContract.of(noOutput).checkAgainst(TritonProfile.ENSEMBLE))
                .hasMessageContaining("output tensor 'text_output'");
        var notDecoupled = ensembleConfig().clearModelTransactionPolicy().build();
        assertThatThrownBy(() -> ModelContract.of(notDecoupled).checkAgainst(TritonProfile.ENSEMBLE))
                .hasMessageContaining("not decoupled");
        assertThatThrownBy(() -> ModelContract.of(ensembleConfig().build()).checkAgainst(TritonProfile.PYTORCH))
                .hasMessageContaining("'sampling_param_max_tokens'");
    }

    @Test
    void stopStringsOrVisionAModelCannotTakeAreRejectedBeforeSending() {
        var withStop = SamplingParams.builder().maxTokens(3).stop(List.of("END")).build();
        assertThatThrownBy(() -> encoder(ensembleConfig().build()).encode(request(withStop), "id"))
                .isInstanceOfSatisfying(InferenceException.class, e -> {
                    assertThat(e.code()).isEqualTo("triton_unsupported_request");
                    assertThat(e.retryable()).isFalse();
                });
    }

    // ------------------------------------------------------------------------------ stream response handling

    @Test
    void deltasThenTheFinalFlagCompleteTheRequestAndUnknownIdsAreIgnored() {
        var stream = new InferStream(null);
        var rec = new TritonEngineServerEndToEndTest.Recorder();
        var p = new PendingRequest("a", request(SamplingParams.greedy(5)), rec);
        stream.register(p);
        p.start();
        stream.onNext(streamed(text(response("a", false), "Hel")));
        stream.onNext(streamed(text(response("zzz", false), "not mine"))); // unknown id: ignored
        stream.onNext(streamed(text(response("a", false), "lo")));
        assertThat(rec.done).isNotDone();
        stream.onNext(streamed(response("a", true))); // empty final response
        assertThat(rec.done.join().text()).isEqualTo("Hello");
        assertThat(rec.done.join().finishReason()).isEqualTo(FinishReason.STOP); // 2 pieces < max_tokens 5
        assertThat(rec.calls).containsExactly("started", "delta", "delta", "completed");
        assertThat(stream.inFlight()).isZero();
        stream.onNext(streamed(text(response("a", false), "late"))); // after the end: ignored
        assertThat(rec.calls).hasSize(4);
    }

    @Test
    void aCharacterSplitAcrossResponsesIsHeldBackUntilComplete() {
        var stream = new InferStream(null);
        var rec = new TritonEngineServerEndToEndTest.Recorder();
        var p = new PendingRequest("a", request(SamplingParams.greedy(5)), rec);
        stream.register(p);
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        stream.onNext(streamed(raw(response("a", false), new byte[] {'x', euro[0]})));
        stream.onNext(streamed(raw(response("a", false), new byte[] {euro[1], euro[2]})));
        stream.onNext(streamed(response("a", true)));
        assertThat(rec.text.toString()).isEqualTo("x€");
        assertThat(rec.done.join().text()).isEqualTo("x€");
    }

    @Test
    void anErrorInTheStreamFailsOnlyThatRequestWithItsCode() {
        var stream = new InferStream(null);
        var failing = new TritonEngineServerEndToEndTest.Recorder();
        var fine = new TritonEngineServerEndToEndTest.Recorder();
        stream.register(new PendingRequest("bad", request(SamplingParams.greedy(5)), failing));
        stream.register(new PendingRequest("good", request(SamplingParams.greedy(1)), fine));
        stream.onNext(ModelStreamInferResponse.newBuilder().setErrorMessage("prompt_too_long: 900 > 512")
                .setInferResponse(response("bad", true)).build());
        assertThat(failing.failure.code()).isEqualTo("prompt_too_long");
        assertThat(failing.failure.message()).isEqualTo("900 > 512");
        assertThat(failing.failure.retryable()).isFalse();
        // A free-text Triton error, marked retryable.
        var triton = new TritonEngineServerEndToEndTest.Recorder();
        stream.register(new PendingRequest("t", request(SamplingParams.greedy(5)), triton));
        stream.onNext(ModelStreamInferResponse.newBuilder().setErrorMessage("Executor is shutting down")
                .setInferResponse(response("t", true).putParameters(RETRYABLE,
                        InferParameter.newBuilder().setBoolParam(true).build())).build());
        assertThat(triton.failure.code()).isEqualTo("triton_request_failed");
        assertThat(triton.failure.retryable()).isTrue();
        // The other request goes on.
        stream.onNext(streamed(text(response("good", true), "ok")));
        assertThat(fine.done.join().finishReason()).isEqualTo(FinishReason.LENGTH);
    }

    @Test
    void aBrokenStreamFailsItsRequestsRetryablyButAStoppedOneEndsWithItsStopReason() throws Exception {
        var stream = new InferStream(null);
        var running = new TritonEngineServerEndToEndTest.Recorder();
        var stopped = new TritonEngineServerEndToEndTest.Recorder();
        stream.register(new PendingRequest("r", request(SamplingParams.greedy(5)), running));
        var s = new PendingRequest("s", request(SamplingParams.greedy(5)), stopped);
        stream.register(s);
        assertThat(s.requestStop(FinishReason.CANCELLED)).isTrue();
        assertThat(s.requestStop(FinishReason.DEADLINE)).as("second stop").isFalse();
        stream.onError(Status.UNAVAILABLE.withDescription("connection reset").asRuntimeException());
        assertThat(running.failure.code()).isEqualTo("engine_unavailable");
        assertThat(running.failure.retryable()).isTrue();
        assertThat(stopped.done.get(1, TimeUnit.SECONDS).finishReason()).isEqualTo(FinishReason.CANCELLED);
        assertThat(stream.broken()).isTrue();
    }

    @Test
    void serverFinishReasonAndTokenIdsAreUsedWhenPresent() {
        var stream = new InferStream(null);
        var rec = new TritonEngineServerEndToEndTest.Recorder();
        stream.register(new PendingRequest("a", request(SamplingParams.greedy(50)), rec));
        var delta = response("a", false);
        new InferRequestBuilder.Outputs(delta, true).strings(TEXT_OUTPUT, List.of("hi")).int32(OUTPUT_IDS, 7, 8);
        var last = response("a", true);
        new InferRequestBuilder.Outputs(last, true).strings(FINISH_REASON, List.of("length"));
        stream.onNext(streamed(delta));
        stream.onNext(streamed(last));
        assertThat(rec.done.join().finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(rec.done.join().tokenIds()).containsExactly(7, 8);
        assertThat(rec.done.join().usage().completionTokens()).isEqualTo(2);
    }

    @Test
    void grpcStatusesMapToStableCodesAndRetryability() {
        assertThat(TritonErrors.fromStatus(Status.UNAVAILABLE)).satisfies(f -> {
            assertThat(f.code()).isEqualTo("engine_unavailable");
            assertThat(f.retryable()).isTrue();
        });
        assertThat(TritonErrors.fromStatus(Status.INVALID_ARGUMENT.withDescription("bad")).retryable()).isFalse();
        assertThat(TritonErrors.fromStatus(Status.UNIMPLEMENTED).code()).isEqualTo("triton_unimplemented");
        assertThat(TritonErrors.fromStatus(Status.NOT_FOUND).code()).isEqualTo("triton_model_not_found");
    }

    // ------------------------------------------------------------------------------------------------ helpers

    static ModelConfig.Builder ensembleConfig() {
        return ModelConfig.newBuilder().setName("ensemble").setMaxBatchSize(64)
                .setModelTransactionPolicy(ModelTransactionPolicy.newBuilder().setDecoupled(true))
                .addInput(input(TEXT_INPUT, DataType.TYPE_STRING)).addInput(input(MAX_TOKENS, DataType.TYPE_INT32))
                .addInput(input(STREAM, DataType.TYPE_BOOL)).addInput(input(TEMPERATURE, DataType.TYPE_FP32))
                .addInput(input(TOP_K, DataType.TYPE_INT32)).addInput(input(TOP_P, DataType.TYPE_FP32))
                .addOutput(ModelOutput.newBuilder().setName(TEXT_OUTPUT).setDataType(DataType.TYPE_STRING));
    }

    static ModelInput input(String name, DataType type) {
        return ModelInput.newBuilder().setName(name).setDataType(type).addDims(1).setOptional(true).build();
    }

    static RequestEncoder encoder(ModelConfig config) {
        return new RequestEncoder("ensemble", "", TritonProfile.ENSEMBLE,
                ModelContract.of(config).checkAgainst(TritonProfile.ENSEMBLE), "tensorrt_llm");
    }

    static InferenceRequest request(SamplingParams sampling) {
        return new InferenceRequest("job-1", "<|im_start|>user\nhi<|im_end|>\n", new int[] {1, 2, 3}, List.of(),
                sampling, Lane.BATCH, null);
    }

    static ModelInferResponse.Builder response(String id, boolean last) {
        return ModelInferResponse.newBuilder().setModelName("ensemble").setId(id)
                .putParameters(FINAL_RESPONSE, InferParameter.newBuilder().setBoolParam(last).build());
    }

    static ModelInferResponse.Builder text(ModelInferResponse.Builder r, String text) {
        new InferRequestBuilder.Outputs(r, true).strings(TEXT_OUTPUT, List.of(text));
        return r;
    }

    static ModelInferResponse.Builder raw(ModelInferResponse.Builder r, byte[] bytes) {
        r.addOutputs(ModelInferResponse.InferOutputTensor.newBuilder().setName(TEXT_OUTPUT).setDatatype("BYTES")
                .addShape(1).addShape(1));
        r.addRawOutputContents(BytesTensor.encode(List.of(bytes)));
        return r;
    }

    static ModelStreamInferResponse streamed(ModelInferResponse.Builder r) {
        return ModelStreamInferResponse.newBuilder().setInferResponse(r).build();
    }
}
