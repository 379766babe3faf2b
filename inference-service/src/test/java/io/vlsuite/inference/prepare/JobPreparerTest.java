package io.vlsuite.inference.prepare;

import io.vlsuite.contracts.job.ChatMessage;
import io.vlsuite.contracts.job.ContentPart;
import io.vlsuite.contracts.job.JobRecord;
import io.vlsuite.contracts.job.Lane;
import io.vlsuite.contracts.job.MediaRef;
import io.vlsuite.contracts.job.Sampling;
import io.vlsuite.inference.engine.InferenceException;
import io.vlsuite.inference.media.MediaReader;
import io.vlsuite.qwen2vl.image.ImageProcessor;
import io.vlsuite.qwen2vl.image.MediaKind;
import io.vlsuite.qwen2vl.template.PromptBuilder;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Job record to engine request with the bundled model's tokenizer, template and image processor. */
class JobPreparerTest {

    static final Path MODEL = Path.of(System.getProperty("user.dir")).resolve("../models/tiny-trained");
    static final PromptBuilder PROMPTS = PromptBuilder.load(MODEL);
    final Map<String, byte[]> stored = new HashMap<>();
    final MediaReader media = key -> {
        byte[] png = stored.get(key);
        if (png == null) {
            throw new InferenceException("media_not_found", key, false);
        }
        return png;
    };

    JobPreparer preparer(int maxModelLen) {
        return new JobPreparer(PROMPTS, ImageProcessor.forModel(MODEL), media,
                new SamplingMapper(GenerationDefaults.load(MODEL)), maxModelLen);
    }

    static JobRecord job(List<ContentPart> parts) {
        return new JobRecord("job-1", "acme", Lane.BATCH, "tiny", List.of(new ChatMessage("user", parts)),
                new Sampling(5, null, null, null, null, null, null, null, null, null, null, null, null, null, null),
                false, Instant.now(), null, null);
    }

    @Test
    void anImageJobExpandsItsPadsAndCarriesThePatches() throws Exception {
        stored.put("media/a.png", png(56, 84, 1));
        var ref = new MediaRef(MediaRef.IMAGE, List.of("media/a.png"), 56, 84, List.of(1, 6, 4), null);
        var request = preparer(4096).prepare(job(List.of(ContentPart.media(ref), ContentPart.text("Describe."))));

        int imagePad = PROMPTS.tokenizer().requireTokenId("<|image_pad|>");
        assertThat(Arrays.stream(request.promptTokenIds()).filter(id -> id == imagePad).count()).isEqualTo(6);
        assertThat(request.promptText()).startsWith("<|im_start|>system\n")
                .contains("<|vision_start|><|image_pad|><|vision_end|>Describe.<|im_end|>")
                .endsWith("<|im_start|>assistant\n");
        assertThat(request.vision()).singleElement().satisfies(v -> {
            assertThat(v.gridThw()).containsExactly(1, 6, 4);
            assertThat(v.kind()).isEqualTo(MediaKind.IMAGE);
        });
        assertThat(request.sampling().maxTokens()).isEqualTo(5);
        assertThat(request.promptTokens()).isEqualTo(request.promptTokenIds().length);
    }

    @Test
    void videoFramesBecomeTemporalPatchesWithVideoPads() throws Exception {
        List<String> keys = List.of("video/f0.png", "video/f1.png", "video/f2.png", "video/f3.png");
        for (int i = 0; i < keys.size(); i++) {
            stored.put(keys.get(i), png(56, 56, i));
        }
        var ref = new MediaRef(MediaRef.VIDEO, keys, 56, 56, List.of(2, 4, 4), 2.0);
        var request = preparer(4096).prepare(job(List.of(ContentPart.media(ref), ContentPart.text("What happens?"))));

        int videoPad = PROMPTS.tokenizer().requireTokenId("<|video_pad|>");
        assertThat(Arrays.stream(request.promptTokenIds()).filter(id -> id == videoPad).count()).isEqualTo(8);
        assertThat(request.vision().getFirst().gridThw()).containsExactly(2, 4, 4);
        assertThat(request.vision().getFirst().kind()).isEqualTo(MediaKind.VIDEO);
    }

    @Test
    void deterministicProblemsAreNotRetryable() throws Exception {
        stored.put("media/a.png", png(56, 56, 1));
        var wrongSize = new MediaRef(MediaRef.IMAGE, List.of("media/a.png"), 84, 56, List.of(1, 4, 6), null);
        var missing = new MediaRef(MediaRef.IMAGE, List.of("media/gone.png"), 56, 56, List.of(1, 4, 4), null);
        var malformed = new MediaRef(MediaRef.IMAGE, List.of(), 56, 56, List.of(1, 4, 4), null);

        assertCode(() -> preparer(4096).prepare(job(List.of(ContentPart.media(wrongSize)))), "media_size_mismatch");
        assertCode(() -> preparer(4096).prepare(job(List.of(ContentPart.media(missing)))), "media_not_found");
        assertCode(() -> preparer(4096).prepare(job(List.of(ContentPart.media(malformed)))), "invalid_media_ref");
        assertCode(() -> preparer(20).prepare(job(List.of(ContentPart.text("a long question ".repeat(20))))),
                "prompt_too_long");
        assertCode(() -> preparer(4096).prepare(new JobRecord("j", "t", Lane.BATCH, "m", List.of(), null, false,
                null, null, null)), "empty_prompt");
    }

    private static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(InferenceException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.retryable()).isFalse();
        });
    }

    static byte[] png(int w, int h, int seed) throws Exception {
        var img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (seed * 7919 + x * 31 + y * 17) & 0xFFFFFF);
            }
        }
        var out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }
}
