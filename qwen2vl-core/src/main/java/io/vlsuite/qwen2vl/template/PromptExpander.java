package io.vlsuite.qwen2vl.template;

import io.vlsuite.qwen2vl.Qwen2VlException;
import io.vlsuite.qwen2vl.image.MediaKind;
import io.vlsuite.qwen2vl.tokenizer.Qwen2Tokenizer;

import java.util.Arrays;
import java.util.List;

/**
 * Expands each {@code <|image_pad|>} / {@code <|video_pad|>} token of a tokenized prompt into as many copies as its
 * medium has merged patches, which is what the Hugging Face processor does to the text before tokenizing.
 *
 * <p>Working on ids gives the same result as expanding text: pad tokens are special tokens, so each copy is one id.
 * Pads are matched to grids in order of appearance; the i-th pad (of either kind) takes the i-th grid, whose kind
 * must agree.
 */
public final class PromptExpander {

    private final int imagePadId;
    private final int videoPadId;
    private final int mergeSize;

    public PromptExpander(int imagePadId, int videoPadId, int mergeSize) {
        if (mergeSize < 1) {
            throw new IllegalArgumentException("merge size must be >= 1");
        }
        this.imagePadId = imagePadId;
        this.videoPadId = videoPadId;
        this.mergeSize = mergeSize;
    }

    /** Uses the tokenizer's {@code <|image_pad|>} and {@code <|video_pad|>} ids. */
    public static PromptExpander forTokenizer(Qwen2Tokenizer tokenizer, int mergeSize) {
        return new PromptExpander(tokenizer.requireTokenId("<|image_pad|>"), tokenizer.requireTokenId("<|video_pad|>"),
                mergeSize);
    }

    /**
     * @throws Qwen2VlException {@code media_count_mismatch} when the prompt has more or fewer placeholders than
     *                          grids, {@code media_kind_mismatch} when an image placeholder meets a video grid or
     *                          the reverse
     */
    public int[] expand(int[] ids, List<MediaGrid> grids) {
        int placeholders = 0;
        long total = 0;
        for (int id : ids) {
            if (id == imagePadId || id == videoPadId) {
                placeholders++;
            }
        }
        if (placeholders != grids.size()) {
            throw new Qwen2VlException("media_count_mismatch", "the prompt has " + placeholders
                    + " image/video placeholders but " + grids.size() + " images/videos were given");
        }
        int[] counts = new int[grids.size()];
        int k = 0;
        for (int id : ids) {
            if (id == imagePadId || id == videoPadId) {
                MediaGrid grid = grids.get(k);
                MediaKind expected = id == imagePadId ? MediaKind.IMAGE : MediaKind.VIDEO;
                if (grid.kind() != expected) {
                    throw new Qwen2VlException("media_kind_mismatch", "placeholder " + (k + 1) + " is "
                            + expected.name().toLowerCase() + " but medium " + (k + 1) + " is "
                            + grid.kind().name().toLowerCase());
                }
                counts[k] = grid.tokenCount(mergeSize);
                total += counts[k] - 1;
                k++;
            } else {
                total++;
            }
        }
        total += placeholders;
        int[] out = new int[Math.toIntExact(total)];
        int o = 0;
        k = 0;
        for (int id : ids) {
            if (id == imagePadId || id == videoPadId) {
                Arrays.fill(out, o, o + counts[k], id);
                o += counts[k++];
            } else {
                out[o++] = id;
            }
        }
        return out;
    }
}
