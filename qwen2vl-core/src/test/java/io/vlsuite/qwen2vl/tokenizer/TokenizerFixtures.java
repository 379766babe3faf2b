package io.vlsuite.qwen2vl.tokenizer;

import java.nio.file.Path;

/** Paths of the tokenizer fixtures copied into this module's test resources. */
public final class TokenizerFixtures {

    public static final Path QWEN2VL_DIR = Path.of(System.getProperty("user.dir"), "src/test/resources/qwen2vl-tokenizer");
    public static final Path TINY_RANDOM_DIR = Path.of(System.getProperty("user.dir"), "src/test/resources/tiny-random");

    private static Qwen2Tokenizer qwen2vl;
    private static Qwen2Tokenizer tinyRandom;

    private TokenizerFixtures() {
    }

    /** The real 151k-token tokenizer, loaded once per test JVM (it takes a few hundred ms). */
    public static synchronized Qwen2Tokenizer qwen2vl() {
        if (qwen2vl == null) {
            qwen2vl = Qwen2Tokenizer.load(QWEN2VL_DIR);
        }
        return qwen2vl;
    }

    public static synchronized Qwen2Tokenizer tinyRandom() {
        if (tinyRandom == null) {
            tinyRandom = Qwen2Tokenizer.load(TINY_RANDOM_DIR);
        }
        return tinyRandom;
    }
}
