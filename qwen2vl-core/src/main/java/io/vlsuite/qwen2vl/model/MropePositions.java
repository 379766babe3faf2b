package io.vlsuite.qwen2vl.model;

import io.vlsuite.qwen2vl.image.MediaKind;
import io.vlsuite.qwen2vl.image.VisionInput;
import io.vlsuite.qwen2vl.Qwen2VlException;

import java.util.List;

/**
 * Multimodal rotary positions ({@code get_rope_index} of the original Qwen2-VL port, as in transformers 4.45-4.5x
 * and vLLM).
 *
 * <p>Text tokens advance all three axes together. A vision block of {@code T x H/2 x W/2} merged tokens starting at
 * offset {@code s} gets {@code (s + t, s + row, s + col)}; the text after it resumes at the block's largest
 * position + 1 (the temporal extent counts, unlike the transformers-5 rule that only advances by
 * {@code max(H,W)/2}; both agree whenever {@code T <= max(H,W)/2}, which covers every image).
 *
 * @param positions {@code [3][L]} temporal, height and width positions
 * @param ropeDelta position of generated token {@code i} (i &ge; L) is {@code i + ropeDelta} on every axis
 */
public record MropePositions(int[][] positions, int ropeDelta) {

    public static MropePositions compute(int[] ids, List<VisionInput> inputs, int imageTokenId, int videoTokenId,
                                         int mergeSize) {
        int length = ids.length;
        int[][] pos = new int[3][length];
        int st = 0;
        int next = 0; // max position so far + 1
        for (VisionInput input : inputs) {
            int pad = input.kind() == MediaKind.VIDEO ? videoTokenId : imageTokenId;
            int ed = st;
            while (ed < length && ids[ed] != pad) {
                ed++;
            }
            int gh = input.gridThw()[1] / mergeSize;
            int gw = input.gridThw()[2] / mergeSize;
            int count = input.gridThw()[0] * gh * gw;
            if (ed + count > length) {
                throw new Qwen2VlException("vision_token_mismatch", "prompt has fewer " + input.kind().name().toLowerCase() + " pad tokens than the " + count + " its grid needs");
            }
            for (int i = st; i < ed; i++) {
                pos[0][i] = pos[1][i] = pos[2][i] = next + (i - st);
            }
            int base = next + (ed - st);
            int idx = ed;
            for (int t = 0; t < input.gridThw()[0]; t++) {
                for (int r = 0; r < gh; r++) {
                    for (int c = 0; c < gw; c++) {
                        if (ids[idx] != pad) {
                            throw new Qwen2VlException("vision_token_mismatch", "expected " + count
                                    + " consecutive pad tokens at index " + ed + ", found id " + ids[idx]
                                    + " at " + idx);
                        }
                        pos[0][idx] = base + t;
                        pos[1][idx] = base + r;
                        pos[2][idx] = base + c;
                        idx++;
                    }
                }
            }
            next = base + Math.max(input.gridThw()[0], Math.max(gh, gw));
            st = ed + count;
        }
        for (int i = st; i < length; i++) {
            pos[0][i] = pos[1][i] = pos[2][i] = next + (i - st);
        }
        if (st < length) {
            next += length - st;
        }
        return new MropePositions(pos, next - length);
    }
}
