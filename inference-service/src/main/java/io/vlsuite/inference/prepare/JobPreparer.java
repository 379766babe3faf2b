package io.vlsuite.inference.prepare;

import io.vlsuite.contracts.job.ChatMessage;
import io.vlsuite.contracts.job.ContentPart;
import io.vlsuite.contracts.job.JobRecord;
import io.vlsuite.contracts.job.MediaRef;
import io.vlsuite.inference.engine.InferenceException;
import io.vlsuite.inference.engine.InferenceRequest;
import io.vlsuite.inference.media.MediaReader;
import io.vlsuite.qwen2vl.Qwen2VlException;
import io.vlsuite.qwen2vl.image.ImageDecoder;
import io.vlsuite.qwen2vl.image.ImageProcessor;
import io.vlsuite.qwen2vl.image.MediaKind;
import io.vlsuite.qwen2vl.image.RgbImage;
import io.vlsuite.qwen2vl.image.VisionInput;
import io.vlsuite.qwen2vl.template.ChatOptions;
import io.vlsuite.qwen2vl.template.ChatPrompt;
import io.vlsuite.qwen2vl.template.MediaGrid;
import io.vlsuite.qwen2vl.template.PromptBuilder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a job record into an engine request: renders the chat template (the template adds its default system
 * prompt), tokenizes with the vision pads expanded, loads the stored PNGs and normalises/patchifies them. Media were
 * resized by preprocess-service with the exact Qwen2-VL math, so nothing is resized here; a stored picture whose
 * size disagrees with its grid is rejected rather than silently re-fitted.
 *
 * <p>Every failure is an {@link InferenceException}: deterministic ones (unreadable media, prompt too long) go to
 * the dead-letter topic, retryable ones (storage unavailable) are retried. Thread-safe.
 */
public final class JobPreparer {

    private final PromptBuilder prompts;
    private final ImageProcessor images;
    private final ImageDecoder decoder;
    private final MediaReader media;
    private final SamplingMapper sampling;
    private final int maxModelLen;

    public JobPreparer(PromptBuilder prompts, ImageProcessor images, MediaReader media, SamplingMapper sampling,
                       int maxModelLen) {
        this.prompts = prompts;
        this.images = images;
        this.decoder = new ImageDecoder();
        this.media = media;
        this.sampling = sampling;
        this.maxModelLen = maxModelLen;
    }

    public InferenceRequest prepare(JobRecord job) {
        if (job.messages() == null || job.messages().isEmpty()) {
            throw new InferenceException("empty_prompt", "the job has no messages", false);
        }
        List<io.vlsuite.qwen2vl.template.ChatMessage> messages = new ArrayList<>();
        List<MediaRef> refs = new ArrayList<>();
        try {
            for (ChatMessage message : job.messages()) {
                messages.add(toTemplateMessage(message, refs));
            }
            List<MediaGrid> grids = refs.stream().map(JobPreparer::grid).toList();
            ChatPrompt prompt = prompts.build(messages, ChatOptions.DEFAULT, grids);
            int promptTokens = prompt.inputIds().length;
            if (promptTokens >= maxModelLen) {
                throw new InferenceException("prompt_too_long", "the prompt has " + promptTokens
                        + " tokens (vision tokens included); the model takes at most " + (maxModelLen - 1), false);
            }
            List<VisionInput> vision = new ArrayList<>(refs.size());
            for (MediaRef ref : refs) {
                vision.add(load(ref));
            }
            return new InferenceRequest(job.jobId(), prompt.text(), prompt.inputIds(), vision,
                    sampling.map(job.sampling(), maxModelLen - promptTokens), job.lane(), job.deadline());
        } catch (InferenceException e) {
            throw e;
        } catch (Qwen2VlException e) {
            throw new InferenceException(e.code(), e.getMessage(), false, e);
        } catch (IllegalArgumentException e) {
            throw new InferenceException("invalid_job", e.getMessage(), false, e);
        }
    }

    private static io.vlsuite.qwen2vl.template.ChatMessage toTemplateMessage(ChatMessage message, List<MediaRef> refs) {
        List<io.vlsuite.qwen2vl.template.ContentPart> parts = new ArrayList<>();
        for (ContentPart part : message.content() == null ? List.<ContentPart>of() : message.content()) {
            if (part.media() != null) {
                MediaRef ref = part.media();
                checkRef(ref);
                refs.add(ref);
                parts.add(MediaRef.VIDEO.equals(ref.kind())
                        ? new io.vlsuite.qwen2vl.template.ContentPart.Video(ref.keys())
                        : new io.vlsuite.qwen2vl.template.ContentPart.Image(ref.keys().getFirst()));
            } else {
                parts.add(new io.vlsuite.qwen2vl.template.ContentPart.Text(part.text() == null ? "" : part.text()));
            }
        }
        return io.vlsuite.qwen2vl.template.ChatMessage.of(message.role(), parts);
    }

    private static void checkRef(MediaRef ref) {
        boolean kindOk = MediaRef.IMAGE.equals(ref.kind()) || MediaRef.VIDEO.equals(ref.kind());
        if (!kindOk || ref.keys() == null || ref.keys().isEmpty() || ref.gridThw() == null || ref.gridThw().size() != 3
                || (MediaRef.IMAGE.equals(ref.kind()) && ref.keys().size() != 1)) {
            throw new InferenceException("invalid_media_ref", "malformed media reference: " + ref, false);
        }
    }

    private static MediaGrid grid(MediaRef ref) {
        List<Integer> g = ref.gridThw();
        return new MediaGrid(MediaRef.VIDEO.equals(ref.kind()) ? MediaKind.VIDEO : MediaKind.IMAGE,
                g.get(0), g.get(1), g.get(2));
    }

    private VisionInput load(MediaRef ref) {
        List<RgbImage> frames = new ArrayList<>(ref.keys().size());
        for (String key : ref.keys()) {
            RgbImage frame = decoder.decode(media.read(key));
            if (frame.width() != ref.width() || frame.height() != ref.height()) {
                throw new InferenceException("media_size_mismatch", "stored media " + key + " is " + frame.width()
                        + "x" + frame.height() + " but the job says " + ref.width() + "x" + ref.height(), false);
            }
            frames.add(frame);
        }
        MediaKind kind = MediaRef.VIDEO.equals(ref.kind()) ? MediaKind.VIDEO : MediaKind.IMAGE;
        VisionInput input = images.flatten(frames, kind);
        int[] expected = ref.gridThw().stream().mapToInt(Integer::intValue).toArray();
        if (!Arrays.equals(input.gridThw(), expected)) {
            throw new InferenceException("media_grid_mismatch", "stored media give grid "
                    + Arrays.toString(input.gridThw()) + " but the job says " + Arrays.toString(expected), false);
        }
        return input;
    }
}
