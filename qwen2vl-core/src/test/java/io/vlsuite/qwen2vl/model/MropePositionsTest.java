package io.vlsuite.qwen2vl.model;

import io.vlsuite.qwen2vl.image.MediaKind;
import io.vlsuite.qwen2vl.image.VisionInput;
import io.vlsuite.qwen2vl.Qwen2VlException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The worked examples of the spec (§5.4), computed with the classic get_rope_index rule. */
class MropePositionsTest {

    private static final int IMG = 9;
    private static final int VID = 8;

    @Test
    void imageBetweenText() {
        int[] ids = {1, 1, 1, 5, IMG, IMG, IMG, IMG, IMG, IMG, 6, 1, 1};
        MropePositions p = MropePositions.compute(ids, List.of(input(MediaKind.IMAGE, 1, 4, 6)), IMG, VID, 2);
        assertThat(p.positions()[0]).containsExactly(0, 1, 2, 3, 4, 4, 4, 4, 4, 4, 7, 8, 9);
        assertThat(p.positions()[1]).containsExactly(0, 1, 2, 3, 4, 4, 4, 5, 5, 5, 7, 8, 9);
        assertThat(p.positions()[2]).containsExactly(0, 1, 2, 3, 4, 5, 6, 4, 5, 6, 7, 8, 9);
        assertThat(p.ropeDelta()).isEqualTo(-3);
    }

    @Test
    void longVideoAdvancesByItsTemporalExtent() {
        int[] ids = new int[20];
        ids[1] = 5;
        for (int i = 2; i < 18; i++) {
            ids[i] = VID;
        }
        ids[18] = 6;
        MropePositions p = MropePositions.compute(ids, List.of(input(MediaKind.VIDEO, 4, 4, 4)), IMG, VID, 2);
        assertThat(p.positions()[0][2]).isEqualTo(2);
        assertThat(p.positions()[0][17]).isEqualTo(5);
        assertThat(p.positions()[0][18]).isEqualTo(6);
        assertThat(p.positions()[2][19]).isEqualTo(7);
        assertThat(p.ropeDelta()).isEqualTo(-12);
    }

    private static VisionInput input(MediaKind kind, int t, int h, int w) {
        return new VisionInput(new float[t * h * w * VisionInput.PATCH_DIM], t * h * w, new int[] {t, h, w}, kind);
    }

    @Test
    void textOnlyIsSequential() {
        MropePositions p = MropePositions.compute(new int[] {3, 4, 5}, List.of(), IMG, VID, 2);
        assertThat(p.positions()[1]).containsExactly(0, 1, 2);
        assertThat(p.ropeDelta()).isZero();
    }

    @Test
    void tooFewPadTokensIsAnError() {
        int[] ids = {1, IMG, IMG, 2};
        assertThatThrownBy(() -> MropePositions.compute(ids, List.of(input(MediaKind.IMAGE, 1, 4, 4)),
                IMG, VID, 2)).isInstanceOf(Qwen2VlException.class).hasMessageContaining("pad tokens");
    }
}
