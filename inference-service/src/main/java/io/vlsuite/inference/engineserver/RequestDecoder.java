package io.vlsuite.inference.engineserver;

import io.vlsuite.contracts.job.Lane;
import io.vlsuite.contracts.triton.InferParameter;
import io.vlsuite.contracts.triton.ModelInferRequest;
import io.vlsuite.inference.engine.InferenceException;
import io.vlsuite.inference.engine.InferenceRequest;
import io.vlsuite.inference.triton.Tensor;
import io.vlsuite.qwen2vl.Qwen2VlException;
import io.vlsuite.qwen2vl.image.MediaKind;
import io.vlsuite.qwen2vl.image.VisionInput;
import io.vlsuite.qwen2vl.sampling.SamplingParams;
import io.vlsuite.qwen2vl.tokenizer.Qwen2Tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.vlsuite.inference.triton.TensorNames.*;

/**
 * Reads a Triton request in the served ensemble layout into an engine request. The prompt comes from
 * {@code input_ids} when present (exact: the client's tokenizer and chat template already ran); otherwise
 * {@code text_input} is tokenized here and each {@code <|image_pad|>}/{@code <|video_pad|>} is expanded to its
 * medium's {@code t*h*w/4} tokens. Pixels come as {@code image_input} (all media's patches, prompt order) with one
 * {@code image_grid_thw} row per medium; a medium is an image or a video according to the pad tokens it fills.
 */
final class RequestDecoder {

    static final String INVALID = "invalid_triton_request";

    private final Qwen2Tokenizer tokenizer;
    private final int imagePad;
    private final int videoPad;

    RequestDecoder(Qwen2Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
        this.imagePad = tokenizer.requireTokenId("<|image_pad|>");
        this.videoPad = tokenizer.requireTokenId("<|video_pad|>");
    }

    /** A decoded request and whether its answer streams. */
    record Decoded(InferenceRequest request, boolean stream) {
    }

    static boolean isStop(Map<String, Tensor> inputs) {
        Tensor stop = inputs.get(STOP);
        return stop != null && stop.bool();
    }

    Decoded decode(ModelInferRequest r, Map<String, Tensor> in) {
        if (r.getId().isEmpty()) {
            throw invalid("the request id must be set (responses and stop requests are matched by it)");
        }
        try {
            List<long[]> grids = grids(in);
            int[] ids = in.containsKey(INPUT_IDS) ? in.get(INPUT_IDS).int32s() : tokenize(required(in, TEXT_INPUT).string(), grids);
            List<VisionInput> vision = vision(in, grids, ids);
            SamplingParams sampling = sampling(in);
            boolean stream = in.containsKey(STREAM) && in.get(STREAM).bool();
            InferParameter lane = r.getParametersMap().get(LANE);
            Lane l = lane != null && "batch".equals(lane.getStringParam()) ? Lane.BATCH : Lane.INTERACTIVE;
            String text = in.containsKey(TEXT_INPUT) ? in.get(TEXT_INPUT).string() : "";
            return new Decoded(new InferenceRequest(r.getId(), text, ids, vision, sampling, l, null), stream);
        } catch (InferenceException e) {
            throw e;
        } catch (Qwen2VlException e) {
            throw new InferenceException(e.code(), e.getMessage(), false, e);
        }
    }

    private SamplingParams sampling(Map<String, Tensor> in) {
        var b = SamplingParams.builder().maxTokens(required(in, MAX_TOKENS).int32());
        if (in.containsKey(TEMPERATURE)) {
            b.temperature(in.get(TEMPERATURE).float32());
        }
        if (in.containsKey(TOP_K)) {
            b.topK(in.get(TOP_K).int32());
        }
        if (in.containsKey(TOP_P)) {
            b.topP(in.get(TOP_P).float32());
        }
        if (in.containsKey(SEED)) {
            b.seed(in.get(SEED).int64());
        }
        if (in.containsKey(MIN_TOKENS)) {
            b.minTokens(in.get(MIN_TOKENS).int32());
        }
        if (in.containsKey(REPETITION_PENALTY)) {
            b.repetitionPenalty(in.get(REPETITION_PENALTY).float32());
        }
        if (in.containsKey(PRESENCE_PENALTY)) {
            b.presencePenalty(in.get(PRESENCE_PENALTY).float32());
        }
        if (in.containsKey(FREQUENCY_PENALTY)) {
            b.frequencyPenalty(in.get(FREQUENCY_PENALTY).float32());
        }
        if (in.containsKey(STOP_WORDS)) {
            b.stop(in.get(STOP_WORDS).strings());
        }
        if (in.containsKey(IGNORE_EOS)) {
            b.ignoreEos(in.get(IGNORE_EOS).bool());
        }
        if (in.containsKey(MIN_P)) {
            b.minP(in.get(MIN_P).float32());
        }
        if (in.containsKey(STOP_TOKEN_IDS)) {
            Set<Integer> ids = new HashSet<>();
            Arrays.stream(in.get(STOP_TOKEN_IDS).int32s()).forEach(ids::add);
            b.stopTokenIds(ids);
        }
        if (in.containsKey(SKIP_SPECIAL_TOKENS)) {
            b.skipSpecialTokens(in.get(SKIP_SPECIAL_TOKENS).bool());
        }
        return b.build();
    }

    private List<long[]> grids(Map<String, Tensor> in) {
        List<long[]> grids = new ArrayList<>();
        if (!in.containsKey(IMAGE_GRID_THW)) {
            return grids;
        }
        long[] flat = in.get(IMAGE_GRID_THW).int64s();
        if (flat.length % 3 != 0) {
            throw invalid(IMAGE_GRID_THW + " must hold 3 values per medium, got " + flat.length);
        }
        for (int i = 0; i < flat.length; i += 3) {
            grids.add(Arrays.copyOfRange(flat, i, i + 3));
        }
        return grids;
    }

    /** Tokenizes the rendered prompt and expands each vision pad to its medium's token count. */
    private int[] tokenize(String text, List<long[]> grids) {
        int[] raw = tokenizer.encode(text, true);
        List<Integer> out = new ArrayList<>(raw.length);
        int medium = 0;
        for (int id : raw) {
            if (id == imagePad || id == videoPad) {
                if (medium >= grids.size()) {
                    throw invalid("text_input has more vision pads than " + IMAGE_GRID_THW + " rows (" + grids.size() + ")");
                }
                long[] g = grids.get(medium++);
                for (long k = 0; k < g[0] * g[1] * g[2] / 4; k++) {
                    out.add(id);
                }
            } else {
                out.add(id);
            }
        }
        if (medium != grids.size()) {
            throw invalid("text_input has " + medium + " vision pads but " + grids.size() + " grids were sent");
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Splits the pixel tensor per grid; each medium's kind is the pad token of its run in the prompt. */
    private List<VisionInput> vision(Map<String, Tensor> in, List<long[]> grids, int[] ids) {
        if (grids.isEmpty()) {
            if (in.containsKey(IMAGE_INPUT)) {
                throw invalid(IMAGE_INPUT + " needs " + IMAGE_GRID_THW);
            }
            return List.of();
        }
        float[] pixels = required(in, IMAGE_INPUT).floats();
        List<MediaKind> kinds = padRuns(ids);
        if (kinds.size() != grids.size()) {
            throw invalid("the prompt has " + kinds.size() + " vision placeholders but " + grids.size() + " grids were sent");
        }
        List<VisionInput> out = new ArrayList<>();
        int at = 0;
        for (int i = 0; i < grids.size(); i++) {
            long[] g = grids.get(i);
            int patches = Math.toIntExact(g[0] * g[1] * g[2]);
            int len = patches * VisionInput.PATCH_DIM;
            if (at + len > pixels.length) {
                throw invalid(IMAGE_INPUT + " holds " + pixels.length / VisionInput.PATCH_DIM
                        + " patches, fewer than the grids describe");
            }
            out.add(new VisionInput(Arrays.copyOfRange(pixels, at, at + len), patches,
                    new int[] {(int) g[0], (int) g[1], (int) g[2]}, kinds.get(i)));
            at += len;
        }
        if (at != pixels.length) {
            throw invalid(IMAGE_INPUT + " holds more patches than the grids describe");
        }
        return out;
    }

    private List<MediaKind> padRuns(int[] ids) {
        List<MediaKind> kinds = new ArrayList<>();
        int previous = -1;
        for (int id : ids) {
            if ((id == imagePad || id == videoPad) && id != previous) {
                kinds.add(id == imagePad ? MediaKind.IMAGE : MediaKind.VIDEO);
            }
            previous = id;
        }
        return kinds;
    }

    private static Tensor required(Map<String, Tensor> in, String name) {
        Tensor t = in.get(name);
        if (t == null) {
            throw invalid("input tensor '" + name + "' is required");
        }
        return t;
    }

    private static InferenceException invalid(String message) {
        return new InferenceException(INVALID, message, false);
    }
}
