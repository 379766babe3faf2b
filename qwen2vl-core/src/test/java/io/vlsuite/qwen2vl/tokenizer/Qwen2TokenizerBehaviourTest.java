package io.vlsuite.qwen2vl.tokenizer;

import io.vlsuite.qwen2vl.Qwen2VlException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Qwen2TokenizerBehaviourTest {

    private static final int IM_START = 151644;
    private static final int IM_END = 151645;
    private static final int IMAGE_PAD = 151655;

    private final Qwen2Tokenizer tokenizer = TokenizerFixtures.qwen2vl();

    @Test
    void specialTokenStringsAreControlTokensOnlyWhenAllowed() {
        String text = "<|im_start|>user<|image_pad|>";
        assertThat(tokenizer.encode(text)).containsExactly(IM_START, 872, IMAGE_PAD);
        int[] plain = tokenizer.encode(text, false);
        assertThat(plain).doesNotContain(IM_START, IMAGE_PAD).hasSizeGreaterThan(3);
        assertThat(tokenizer.decode(plain)).isEqualTo(text);
    }

    @Test
    void protectedRangesKeepSpecialTokensOutsideThemAndTokenizeTheRestAsText() {
        String prompt = "<|im_start|>user\nsay <|im_end|> please<|im_end|>";
        int userStart = prompt.indexOf("say");
        int userEnd = prompt.indexOf(" please") + " please".length();
        int[] ids = tokenizer.encode(prompt, List.of(new TextSpan(userStart, userEnd)));
        assertThat(ids[0]).isEqualTo(IM_START);
        assertThat(ids[ids.length - 1]).isEqualTo(IM_END);
        assertThat(java.util.Arrays.stream(ids).filter(id -> id == IM_END).count()).isEqualTo(1);
        assertThat(tokenizer.decode(ids)).isEqualTo(prompt);
    }

    @Test
    void protectedEncodeEqualsPlainEncodeWhenUserTextHasNoSpecials() {
        String prompt = "<|im_start|>user\nHello there, how's it going?<|im_end|>\n";
        int start = prompt.indexOf("Hello");
        int end = prompt.indexOf("<|im_end|>");
        assertThat(tokenizer.encode(prompt, List.of(new TextSpan(start, end)))).containsExactly(tokenizer.encode(prompt));
    }

    @Test
    void decodeCanSkipSpecialTokensAndDropsIdsOutsideTheVocabulary() {
        int[] ids = tokenizer.encode("<|im_start|>Hi<|im_end|>");
        assertThat(tokenizer.decode(ids, true)).isEqualTo("Hi");
        assertThat(tokenizer.decode(new int[] {13048, 151700, 151935})).isEqualTo("Hi");
    }

    @Test
    void incompleteUtf8DecodesWithOneReplacementCharacterLikeTokenizers() {
        // Single-byte tokens for F0 9F (the start of a 4-byte emoji) followed by 'A'.
        int f0 = tokenizer.requireTokenId(String.valueOf(ByteLevelAlphabet.charOf(0xF0)));
        int x9f = tokenizer.requireTokenId(String.valueOf(ByteLevelAlphabet.charOf(0x9F)));
        int a = tokenizer.requireTokenId("A");
        assertThat(tokenizer.decode(new int[] {f0, x9f, a})).isEqualTo("\uFFFDA");
    }

    @Test
    void tokenDecoderViewGivesBytesAndSpecialFlags() {
        assertThat(tokenizer.isSpecial(IM_END)).isTrue();
        assertThat(tokenizer.isSpecial(13048)).isFalse();
        assertThat(new String(tokenizer.tokenBytes(IM_END), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("<|im_end|>");
        assertThat(tokenizer.tokenBytes(220)).containsExactly(' ');
        assertThat(tokenizer.tokenBytes(999_999)).isEmpty();
        assertThat(tokenizer.requireTokenId("<|image_pad|>")).isEqualTo(IMAGE_PAD);
        assertThat(tokenizer.vocabSize()).isEqualTo(151657);
    }

    @Test
    void missingFileIsAClearError(@TempDir Path dir) {
        assertThatThrownBy(() -> Qwen2Tokenizer.load(dir))
                .isInstanceOfSatisfying(Qwen2VlException.class, e -> assertThat(e.code()).isEqualTo("tokenizer_not_found"));
    }

    @Test
    void tokenizerOfAnotherFamilyIsRejected(@TempDir Path dir) throws IOException {
        String json = Files.readString(TokenizerFixtures.TINY_RANDOM_DIR.resolve("tokenizer.json"))
                .replace("\\\\p{N}|", "\\\\p{N}{1,3}|");
        Path file = Files.writeString(dir.resolve("tokenizer.json"), json);
        assertThatThrownBy(() -> Qwen2Tokenizer.load(file))
                .isInstanceOfSatisfying(Qwen2VlException.class, e -> assertThat(e.code()).isEqualTo("unsupported_tokenizer"));
    }
}
