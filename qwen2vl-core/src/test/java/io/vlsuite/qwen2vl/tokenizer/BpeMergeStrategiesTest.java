package io.vlsuite.qwen2vl.tokenizer;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/** The rank-scan merge (short words) and the heap merge (long words) must give identical tokens. */
class BpeMergeStrategiesTest {

    private static BpeModel model;

    private static synchronized BpeModel model() {
        if (model == null) {
            TokenizerJsonLoader.Parts parts = TokenizerJsonLoader.load(TokenizerFixtures.QWEN2VL_DIR.resolve("tokenizer.json"));
            model = new BpeModel(parts.vocab(), parts.merges(), false);
        }
        return model;
    }

    @Property(tries = 2000)
    void scanAndHeapMergeAgree(@ForAll("words") String word) {
        BpeModel bpe = model();
        int[] symbols = bpe.byteSymbols(word);
        assertThat(bpe.mergeByScan(symbols.clone(), symbols.length))
                .containsExactly(bpe.mergeByHeap(symbols.clone(), symbols.length));
    }

    @Provide
    Arbitrary<String> words() {
        // Repetitive words stress tie-breaking between equal-rank pairs ("aaaa", "ababab").
        Arbitrary<String> repetitive = Arbitraries.of("a", "ab", "the", "ing", " ", "=", "中").list().ofMinSize(1).ofMaxSize(20)
                .map(l -> String.join("", l));
        return Arbitraries.oneOf(repetitive, Arbitraries.strings().ofMinLength(1).ofMaxLength(60),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(60));
    }
}
