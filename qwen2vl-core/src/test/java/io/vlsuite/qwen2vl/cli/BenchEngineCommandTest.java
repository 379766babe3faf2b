package io.vlsuite.qwen2vl.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchEngineCommandTest {

    private static final Path MODEL = Path.of(System.getProperty("user.dir")).resolve("../models/tiny-trained");

    @Test
    void printsOneLinePerBatchLimitAndTheOutputsDoNotDependOnIt() throws Exception {
        var bytes = new ByteArrayOutputStream();
        int status = new BenchEngineCommand().run(new String[] {"--model", MODEL.toString(), "--requests", "3",
                        "--max-tokens", "4", "--prompt-words", "5", "--max-num-seqs", "1,3"},
                new ByteArrayInputStream(new byte[0]), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(status).isZero();
        assertThat(out).contains("3 requests").contains("max-num-seqs   1:").contains("max-num-seqs   3:");
        assertThat(out.lines().filter(l -> l.startsWith("max-num-seqs"))).hasSize(2)
                .allMatch(l -> l.contains("generated tokens/s") && l.endsWith("outputs identical to the first run"));
    }

    @Test
    void benchSamplerPrintsACostPerSetting() throws Exception {
        var bytes = new ByteArrayOutputStream();
        int status = new BenchSamplerCommand().run(new String[] {"--vocab", "2000", "--tokens", "20"},
                new ByteArrayInputStream(new byte[0]), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(status).isZero();
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines().filter(l -> l.endsWith("ms/token"))).hasSize(7);
    }

    @Test
    void rejectsNonPositiveCounts() {
        assertThatThrownBy(() -> new BenchEngineCommand().run(new String[] {"--requests", "0"},
                new ByteArrayInputStream(new byte[0]), System.out))
                .isInstanceOf(CliUsageException.class).hasMessageContaining("--requests");
    }
}
