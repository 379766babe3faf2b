package io.vlsuite.inference.triton;

import io.vlsuite.contracts.triton.ModelInferRequest;
import io.vlsuite.inference.engine.InferenceException;
import io.vlsuite.inference.engine.InferenceRequest;
import io.vlsuite.qwen2vl.image.VisionInput;
import io.vlsuite.qwen2vl.sampling.SamplingParams;

import static io.vlsuite.inference.triton.TensorNames.*;

/**
 * Turns an {@link InferenceRequest} into the tensors of the chosen profile. Optional tensors are only sent when
 * the model declares them (Triton rejects unknown inputs), so one encoder serves both TensorRT-LLM layouts, their
 * renamed versions and the Java engine server's extensions ({@code input_ids}, pixel values, ...).
 */
public final class RequestEncoder {

    private final String model;
    private final String version;
    private final TritonProfile profile;
    private final ModelContract contract;
    private final String stopModel;

    public RequestEncoder(String model, String version, TritonProfile profile, ModelContract contract, String stopModel) {
        this.model = model;
        this.version = version;
        this.profile = profile;
        this.contract = contract;
        this.stopModel = stopModel;
    }

    /**
     * @throws InferenceException (not retryable) when the request needs something the model cannot take: vision
     *                            input without pixel tensors, stop strings without a stop-words tensor
     */
    public ModelInferRequest encode(InferenceRequest r, String wireId) {
        var b = new InferRequestBuilder(model, version, wireId, contract.batchDim());
        // The final flag is the only end-of-request signal; without this Triton drops empty finals.
        b.parameter(ENABLE_EMPTY_FINAL, true);
        // A custom (non-reserved) parameter: TensorRT-LLM ignores it, the Java engine server schedules by it.
        b.parameter(LANE, r.lane().name().toLowerCase());
        b.string(TEXT_INPUT, r.promptText() == null ? "" : r.promptText());
        SamplingParams s = r.sampling();
        b.int32(profile.maxTokens, s.maxTokens());
        b.bool(profile.stream, true);
        if (s.greedy()) {
            // TensorRT-LLM samples greedily with top_k 1; a temperature of 0 is not accepted everywhere.
            optionalInt(b, profile.topK, 1);
        } else {
            optionalFloat(b, profile.temperature, s.temperature());
            if (s.topKEnabled()) {
                optionalInt(b, profile.topK, s.topK());
            }
            if (s.topP() < 1) {
                optionalFloat(b, profile.topP, s.topP());
            }
        }
        String seed = contract.firstDeclared(profile.seed);
        if (s.seed() != null && seed != null) {
            b.uint64(seed, s.seed());
        }
        String minTokens = contract.firstDeclared(profile.minTokens);
        if (s.minTokens() > 0 && minTokens != null) {
            b.int32(minTokens, s.minTokens());
        }
        if (s.repetitionPenalty() != 1.0) {
            optionalFloat(b, profile.repetitionPenalty, s.repetitionPenalty());
        }
        if (s.presencePenalty() != 0) {
            optionalFloat(b, profile.presencePenalty, s.presencePenalty());
        }
        if (s.frequencyPenalty() != 0) {
            optionalFloat(b, profile.frequencyPenalty, s.frequencyPenalty());
        }
        if (!s.stop().isEmpty()) {
            require(profile.stopStrings, "stop strings");
            b.strings(profile.stopStrings, s.stop());
        }
        if (contract.declares(EXCLUDE_INPUT_IN_OUTPUT)) {
            b.bool(EXCLUDE_INPUT_IN_OUTPUT, true);
        }
        if (contract.declares(RETURN_NUM_OUTPUT_TOKENS)) {
            b.bool(RETURN_NUM_OUTPUT_TOKENS, true); // exact usage even without output ids
        }
        if (contract.declares(SP_EXCLUDE_INPUT)) {
            b.bool(SP_EXCLUDE_INPUT, true); // else the PyTorch model echoes the rendered prompt
        }
        if (contract.declares(RETURN_FINISH_REASON)) {
            b.bool(RETURN_FINISH_REASON, true);
        }
        extensions(b, r, s);
        vision(b, r);
        return b.build();
    }

    /** Java engine server extensions: exact token ids and the sampling settings TensorRT-LLM lacks. */
    private void extensions(InferRequestBuilder b, InferenceRequest r, SamplingParams s) {
        if (contract.declares(INPUT_IDS)) {
            b.int32(INPUT_IDS, r.promptTokenIds());
        }
        if (s.ignoreEos() && contract.declares(IGNORE_EOS)) {
            b.bool(IGNORE_EOS, true);
        }
        if (s.minP() > 0 && contract.declares(MIN_P)) {
            b.fp32(MIN_P, (float) s.minP());
        }
        if (!s.stopTokenIds().isEmpty()) {
            require(contract.declares(STOP_TOKEN_IDS) ? STOP_TOKEN_IDS : null, "stop token ids");
            b.int32(STOP_TOKEN_IDS, s.stopTokenIds().stream().mapToInt(Integer::intValue).sorted().toArray());
        }
        if (!s.skipSpecialTokens() && contract.declares(SKIP_SPECIAL_TOKENS)) {
            b.bool(SKIP_SPECIAL_TOKENS, false);
        }
    }

    /** All media's patches concatenated in prompt order, with one grid row per medium (§2.2 image_input). */
    private void vision(InferRequestBuilder b, InferenceRequest r) {
        if (r.vision().isEmpty()) {
            return;
        }
        require(contract.declares(IMAGE_INPUT) ? IMAGE_INPUT : null, "preprocessed pixel values (image_input)");
        require(contract.declares(IMAGE_GRID_THW) ? IMAGE_GRID_THW : null, "vision grids (image_grid_thw)");
        int patches = r.vision().stream().mapToInt(VisionInput::patches).sum();
        float[] pixels = new float[patches * VisionInput.PATCH_DIM];
        long[] grids = new long[r.vision().size() * 3];
        int at = 0;
        for (int i = 0; i < r.vision().size(); i++) {
            VisionInput v = r.vision().get(i);
            System.arraycopy(v.pixelValues(), 0, pixels, at, v.pixelValues().length);
            at += v.pixelValues().length;
            for (int k = 0; k < 3; k++) {
                grids[i * 3 + k] = v.gridThw()[k];
            }
        }
        b.floatMatrix(IMAGE_INPUT, contract.inputs().get(IMAGE_INPUT), pixels, patches, VisionInput.PATCH_DIM);
        b.int64Matrix(IMAGE_GRID_THW, contract.inputs().get(IMAGE_GRID_THW), grids, r.vision().size(), 3);
    }

    /**
     * The per-request stop: a request with the same id and {@code stop=true}. For the ensemble it goes to the
     * {@code tensorrt_llm} model, which needs its required inputs present (the reference client sends dummies).
     */
    public ModelInferRequest stop(String wireId) {
        boolean toTrtLlm = profile == TritonProfile.ENSEMBLE && !stopModel.equals(model);
        var b = new InferRequestBuilder(stopModel, version, wireId, toTrtLlm || contract.batchDim());
        if (toTrtLlm) {
            b.int32("input_ids", 0).int32("input_lengths", 1).int32("request_output_len", 1);
        } else {
            b.string(TEXT_INPUT, "");
        }
        return b.bool(STOP, true).build();
    }

    private void optionalInt(InferRequestBuilder b, String name, int value) {
        if (name != null && contract.declares(name)) {
            b.int32(name, value);
        }
    }

    private void optionalFloat(InferRequestBuilder b, String name, double value) {
        if (name != null && contract.declares(name)) {
            b.fp32(name, (float) value);
        }
    }

    private void require(String name, String what) {
        if (name == null || !contract.declares(name)) {
            throw new InferenceException("triton_unsupported_request", "Triton model '" + model + "' (profile "
                    + profile.name().toLowerCase() + ") cannot take " + what, false);
        }
    }
}
