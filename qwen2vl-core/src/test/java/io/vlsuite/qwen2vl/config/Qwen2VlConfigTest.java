package io.vlsuite.qwen2vl.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class Qwen2VlConfigTest {

    @Test
    void flatPublishedLayoutWithRopeScaling() throws Exception {
        Path dir = Path.of(getClass().getResource("/tiny-random/config.json").toURI()).getParent();
        Qwen2VlConfig c = Qwen2VlConfig.load(dir);
        assertThat(c.text().hiddenSize()).isEqualTo(64);
        assertThat(c.text().numLayers()).isEqualTo(2);
        assertThat(c.text().numKvHeads()).isEqualTo(2);
        assertThat(c.text().vocabSize()).isEqualTo(1088);
        assertThat(c.text().rmsNormEps()).isEqualTo(1e-6f);
        assertThat(c.text().mropeSection()).containsExactly(2, 3, 3);
        assertThat(c.text().ropeTheta()).isEqualTo(1_000_000.0);
        assertThat(c.vision().embedDim()).isEqualTo(32);
        assertThat(c.vision().mlpHiddenSize()).isEqualTo(64);
        assertThat(c.vision().patchInputSize()).isEqualTo(1176);
        assertThat(c.imageTokenId()).isEqualTo(1036);
        assertThat(c.videoTokenId()).isEqualTo(1037);
        assertThat(c.tieWordEmbeddings()).isFalse();
    }

    @Test
    void nestedTransformers5LayoutWithRopeParameters() {
        Path dir = Path.of(System.getProperty("user.dir")).resolve("../models/tiny-trained");
        Qwen2VlConfig c = Qwen2VlConfig.load(dir);
        assertThat(c.text().hiddenSize()).isEqualTo(256);
        assertThat(c.text().intermediateSize()).isEqualTo(640);
        assertThat(c.text().numLayers()).isEqualTo(4);
        assertThat(c.text().mropeSection()).containsExactly(8, 12, 12);
        assertThat(c.vision().depth()).isEqualTo(4);
        assertThat(c.vision().embedDim()).isEqualTo(128);
        assertThat(c.vision().hiddenSize()).isEqualTo(256);
        assertThat(c.eosTokenIds()).containsExactly(1026, 1024);
    }
}
