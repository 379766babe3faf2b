package io.vlsuite.qwen2vl.template;

import io.vlsuite.qwen2vl.image.MediaKind;
import io.vlsuite.qwen2vl.image.VisionInput;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MediaGridTest {

    @Test
    void tokenCountIsMergedPatches() {
        assertThat(MediaGrid.image(2, 8).tokenCount(2)).isEqualTo(4);
        assertThat(new MediaGrid(MediaKind.VIDEO, 2, 10, 12).tokenCount(2)).isEqualTo(60);
        assertThatThrownBy(() -> MediaGrid.image(3, 8).tokenCount(2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void takesGridAndKindFromAPreprocessedInput() {
        VisionInput video = new VisionInput(new float[2 * 2 * 4 * VisionInput.PATCH_DIM], 16, new int[] {2, 2, 4}, MediaKind.VIDEO);
        MediaGrid grid = MediaGrid.of(video);
        assertThat(grid).isEqualTo(new MediaGrid(MediaKind.VIDEO, 2, 2, 4));
        assertThat(grid.tokenCount(2)).isEqualTo(video.tokenCount());
    }
}
