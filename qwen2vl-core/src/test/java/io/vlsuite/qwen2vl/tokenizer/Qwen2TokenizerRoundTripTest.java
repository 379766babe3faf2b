package io.vlsuite.qwen2vl.tokenizer;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.text.Normalizer;

import static org.assertj.core.api.Assertions.assertThat;

/** Byte-level BPE is lossless up to the NFC normalizer: decode(encode(s)) == NFC(s) for any valid Unicode text. */
class Qwen2TokenizerRoundTripTest {

    @Property(tries = 500)
    void decodeOfEncodeIsTheNfcText(@ForAll("unicodeText") String text) {
        Qwen2Tokenizer tokenizer = TokenizerFixtures.qwen2vl();
        assertThat(tokenizer.decode(tokenizer.encode(text))).isEqualTo(Normalizer.normalize(text, Normalizer.Form.NFC));
    }

    @Property(tries = 300)
    void tinyRandomVocabularyRoundTripsToo(@ForAll("unicodeText") String text) {
        Qwen2Tokenizer tokenizer = TokenizerFixtures.tinyRandom();
        assertThat(tokenizer.decode(tokenizer.encode(text))).isEqualTo(Normalizer.normalize(text, Normalizer.Form.NFC));
    }

    @Provide
    Arbitrary<String> unicodeText() {
        Arbitrary<String> anyCodePoint = Arbitraries.integers().between(0, 0x10FFFF)
                .filter(cp -> cp < 0xD800 || cp > 0xDFFF)
                .map(Character::toString);
        Arbitrary<String> piece = Arbitraries.oneOf(
                anyCodePoint,
                Arbitraries.of("😀", "👋🏽", "🇫🇷", "中文", "日本語", "한국어", "e\u0301", "Å", "Ω", "ﬁ"),
                Arbitraries.of(" ", "   ", "\n", "\r\n", "\t", "\u00A0", "\u3000"),
                Arbitraries.strings().alpha().numeric().ofMaxLength(12),
                Arbitraries.of("<|im_start|>", "<|image_pad|>", "<|endoftext|>", "'s", "'LL"));
        return piece.list().ofMaxSize(25).map(l -> String.join("", l));
    }
}
