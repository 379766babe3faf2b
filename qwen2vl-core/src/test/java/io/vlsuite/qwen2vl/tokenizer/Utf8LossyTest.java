package io.vlsuite.qwen2vl.tokenizer;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Expected strings are those of Rust's {@code String::from_utf8_lossy} (what tokenizers' ByteLevel decoder uses). */
class Utf8LossyTest {

    private static String lossy(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return Utf8Lossy.decode(b, b.length);
    }

    @Test
    void validUtf8IsDecodedUnchanged() {
        String text = "aé€😀 中文";
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        assertThat(Utf8Lossy.decode(utf8, utf8.length)).isEqualTo(text);
    }

    @Test
    void truncatedSequenceBecomesOneReplacementCharacter() {
        // First 3 of the 4 bytes of U+1F600, then 'A'.
        assertThat(lossy(0xF0, 0x9F, 0x98, 0x41)).isEqualTo("\uFFFDA");
        assertThat(lossy(0xE2, 0x82)).isEqualTo("\uFFFD");
    }

    @Test
    void bytesThatCannotStartASequenceAreReplacedOneByOne() {
        assertThat(lossy(0x80, 0xBF)).isEqualTo("\uFFFD\uFFFD");
        // C0/C1 are overlong leads, F5+ are beyond U+10FFFF.
        assertThat(lossy(0xC0, 0x80)).isEqualTo("\uFFFD\uFFFD");
        assertThat(lossy(0xF5, 0x80, 0x80, 0x80)).isEqualTo("\uFFFD\uFFFD\uFFFD\uFFFD");
    }

    @Test
    void encodedSurrogatesAndOverlongsAreRejectedAtTheSecondByte() {
        // ED A0 80 would be U+D800: ED accepts only 80..9F next, so every byte is its own error.
        assertThat(lossy(0xED, 0xA0, 0x80)).isEqualTo("\uFFFD\uFFFD\uFFFD");
        // E0 80 80 would be an overlong NUL.
        assertThat(lossy(0xE0, 0x80, 0x80)).isEqualTo("\uFFFD\uFFFD\uFFFD");
        // F4 90 80 80 would be U+110000.
        assertThat(lossy(0xF4, 0x90, 0x80, 0x80)).isEqualTo("\uFFFD\uFFFD\uFFFD\uFFFD");
    }

    @Test
    void errorInTheMiddleOfASequenceKeepsTheFollowingByte() {
        // E4 B8 starts 中 (E4 B8 AD) but 'x' interrupts it: one U+FFFD for E4 B8, then 'x'.
        assertThat(lossy(0xE4, 0xB8, 'x', 0xE4, 0xB8, 0xAD)).isEqualTo("\uFFFDx中");
    }
}
