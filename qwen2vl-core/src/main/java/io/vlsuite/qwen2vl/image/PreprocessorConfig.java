package io.vlsuite.qwen2vl.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vlsuite.qwen2vl.Qwen2VlException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The image-processor settings of a model folder ({@code preprocessor_config.json}).
 *
 * <p>Values always come from the file, never from transformers' class defaults: the class default
 * {@code max_pixels} (1,003,520) differs from the published checkpoints' 12,845,056 and would change the token count
 * of every large image. Missing keys fall back to the values published with the Qwen2-VL Instruct checkpoints
 * (which equal qwen-vl-utils' defaults). Only the Qwen2-VL geometry (patch 14, merge 2, temporal 2) is accepted,
 * because the patch layout of {@link VisionInput} is fixed to it.
 */
public record PreprocessorConfig(
        long minPixels,
        long maxPixels,
        int patchSize,
        int mergeSize,
        int temporalPatchSize,
        double rescaleFactor,
        double[] imageMean,
        double[] imageStd) {

    /** OpenAI CLIP normalisation, used by every Qwen2-VL checkpoint. */
    public static final double[] OPENAI_CLIP_MEAN = {0.48145466, 0.4578275, 0.40821073};
    public static final double[] OPENAI_CLIP_STD = {0.26862954, 0.26130258, 0.27577711};

    public PreprocessorConfig {
        if (patchSize != PatchFlattener.PATCH || mergeSize != PatchFlattener.MERGE
                || temporalPatchSize != PatchFlattener.TEMPORAL) {
            throw new Qwen2VlException("unsupported_preprocessor_config", "only patch_size 14, merge_size 2, "
                    + "temporal_patch_size 2 are supported, got " + patchSize + "/" + mergeSize + "/" + temporalPatchSize);
        }
        if (minPixels < 0 || maxPixels < minPixels) {
            throw new Qwen2VlException("unsupported_preprocessor_config",
                    "need 0 <= min_pixels <= max_pixels, got " + minPixels + ", " + maxPixels);
        }
        if (imageMean.length != 3 || imageStd.length != 3) {
            throw new Qwen2VlException("unsupported_preprocessor_config", "image_mean and image_std need 3 values");
        }
        imageMean = imageMean.clone();
        imageStd = imageStd.clone();
    }

    /** The published Qwen2-VL Instruct settings (min 4*28^2, max 16384*28^2, CLIP mean/std, 1/255). */
    public static PreprocessorConfig qwen2VlDefaults() {
        return new PreprocessorConfig(3136, 12845056, 14, 2, 2, 1.0 / 255, OPENAI_CLIP_MEAN, OPENAI_CLIP_STD);
    }

    /** Reads {@code preprocessor_config.json} from a model folder. */
    public static PreprocessorConfig fromModelDir(Path modelDir) {
        Path file = modelDir.resolve("preprocessor_config.json");
        try {
            return fromJson(new ObjectMapper().readTree(Files.readString(file)));
        } catch (IOException e) {
            throw new Qwen2VlException("model_config_unreadable", "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses the JSON object of {@code preprocessor_config.json}. Also accepts the newer {@code size} form. */
    public static PreprocessorConfig fromJson(JsonNode json) {
        PreprocessorConfig d = qwen2VlDefaults();
        long min = d.minPixels;
        long max = d.maxPixels;
        JsonNode size = json.path("size");
        if (size.has("shortest_edge")) {
            min = size.get("shortest_edge").asLong();
        }
        if (size.has("longest_edge")) {
            max = size.get("longest_edge").asLong();
        }
        // The explicit keys win: transformers maps min_pixels/max_pixels onto size when both are present.
        min = json.path("min_pixels").asLong(min);
        max = json.path("max_pixels").asLong(max);
        return new PreprocessorConfig(min, max,
                json.path("patch_size").asInt(d.patchSize),
                json.path("merge_size").asInt(d.mergeSize),
                json.path("temporal_patch_size").asInt(d.temporalPatchSize),
                json.path("rescale_factor").asDouble(d.rescaleFactor),
                triple(json.path("image_mean"), d.imageMean),
                triple(json.path("image_std"), d.imageStd));
    }

    private static double[] triple(JsonNode node, double[] fallback) {
        if (!node.isArray()) {
            return fallback;
        }
        double[] v = new double[node.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = node.get(i).asDouble();
        }
        return v;
    }

    /** Resize factor: patch size x merge size (28). */
    public int factor() {
        return patchSize * mergeSize;
    }

    @Override
    public double[] imageMean() {
        return imageMean.clone();
    }

    @Override
    public double[] imageStd() {
        return imageStd.clone();
    }
}
