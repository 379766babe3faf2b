package io.vlsuite.qwen2vl;

import io.vlsuite.qwen2vl.cli.Qwen2VlCli;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class Qwen2VlCliTest {

    @Test
    void unknownCommandIsAOneLineErrorWithNonZeroExit() {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int status = Qwen2VlCli.run(new String[] {"frobnicate"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("error: unknown command 'frobnicate' (try: help)\n");
    }

    @Test
    void helpListsCommands() {
        var out = new ByteArrayOutputStream();
        int status = Qwen2VlCli.run(new String[] {"help"}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertThat(status).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("help");
    }
}
