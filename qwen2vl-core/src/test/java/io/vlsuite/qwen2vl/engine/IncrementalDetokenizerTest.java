package io.vlsuite.qwen2vl.engine;

import io.vlsuite.qwen2vl.tokenizer.TokenDecoder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class IncrementalDetokenizerTest {

    /** A decoder whose token i is the i-th byte chunk given. */
    private record Chunks(List<byte[]> chunks) implements TokenDecoder {
        @Override
        public byte[] tokenBytes(int tokenId) {
            return chunks.get(tokenId);
        }

        @Override
        public boolean isSpecial(int tokenId) {
            return false;
        }
    }

    @Test
    void randomSplitsOfMixedScriptTextNeverYieldAPartialCharacter() {
        String text = "Grüße, 世界! naïve café – 😀👍🏽 κόσμε ok\n";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        SplittableRandom random = new SplittableRandom(2026);
        for (int trial = 0; trial < 500; trial++) {
            List<byte[]> chunks = new ArrayList<>();
            for (int at = 0; at < bytes.length; ) {
                int len = Math.min(bytes.length - at, 1 + random.nextInt(5));
                chunks.add(Arrays.copyOfRange(bytes, at, at + len));
                at += len;
            }
            IncrementalDetokenizer detok = new IncrementalDetokenizer(new Chunks(chunks), true);
            StringBuilder out = new StringBuilder();
            for (int id = 0; id < chunks.size(); id++) {
                String delta = detok.append(id);
                assertThat(delta).doesNotContain("\uFFFD");
                if (!delta.isEmpty()) {
                    assertThat(Character.isHighSurrogate(delta.charAt(delta.length() - 1))).isFalse();
                }
                out.append(delta);
            }
            assertThat(detok.flush()).isEmpty();
            assertThat(out.toString()).isEqualTo(text);
        }
    }

    @Test
    void specialTokensAreSkippedOrSpelledOut() {
        ToyVocabulary vocab = new ToyVocabulary();
        IncrementalDetokenizer skipping = new IncrementalDetokenizer(vocab, true);
        IncrementalDetokenizer keeping = new IncrementalDetokenizer(vocab, false);
        assertThat(skipping.append(ToyVocabulary.BOX_START)).isEmpty();
        assertThat(keeping.append(ToyVocabulary.BOX_START)).isEqualTo("<|box_start|>");
    }

    @Test
    void aSpecialTokenInsideASplitCharacterDoesNotBreakIt() {
        ToyVocabulary vocab = new ToyVocabulary();
        IncrementalDetokenizer detok = new IncrementalDetokenizer(vocab, true);
        assertThat(detok.append(ToyVocabulary.EURO_HEAD)).isEmpty();
        assertThat(detok.append(ToyVocabulary.BOX_START)).isEmpty();
        assertThat(detok.append(ToyVocabulary.EURO_TAIL)).isEqualTo("€");
    }

    @Test
    void bytesThatCanNeverBeACharacterAreReplacedAtOnce() {
        List<byte[]> chunks = List.of(new byte[] {(byte) 0xFF}, new byte[] {'a', (byte) 0x80}, new byte[] {'b'});
        IncrementalDetokenizer detok = new IncrementalDetokenizer(new Chunks(chunks), true);
        assertThat(detok.append(0)).isEqualTo("\uFFFD");
        assertThat(detok.append(1)).isEqualTo("a\uFFFD"); // a lone continuation byte starts nothing
        assertThat(detok.append(2)).isEqualTo("b");
    }

    @Test
    void completePrefixLengthHoldsOnlyAnAnnouncedButMissingTail() {
        byte[] grin = "😀".getBytes(StandardCharsets.UTF_8);
        for (int cut = 1; cut < 4; cut++) {
            byte[] partial = Arrays.copyOf(("x".getBytes(StandardCharsets.UTF_8)), 1 + cut);
            System.arraycopy(grin, 0, partial, 1, cut);
            assertThat(IncrementalDetokenizer.completePrefixLength(partial, partial.length)).isEqualTo(1);
        }
        assertThat(IncrementalDetokenizer.completePrefixLength(grin, 4)).isEqualTo(4);
    }
}
