package io.vlsuite.qwen2vl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vlsuite.qwen2vl.Qwen2VlException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** tokenize, render and bench-tokenizer, run in-process on the fixture tokenizers. */
class TokenizerCliCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path QWEN = Path.of(System.getProperty("user.dir"), "src/test/resources/qwen2vl-tokenizer");
    private static final Path TINY = Path.of(System.getProperty("user.dir"), "src/test/resources/tiny-random");

    private static String run(CliCommand command, String stdin, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = command.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(status).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void tokenizeWritesIdsAndDecodedTextPerLine() throws Exception {
        String out = run(new TokenizeCommand(), "{\"text\": \"Hello, world!\"}\n\n{\"text\": \"<|im_start|>user\"}\n",
                "--tokenizer", QWEN.resolve("tokenizer.json").toString());
        List<String> lines = out.lines().toList();
        assertThat(lines).hasSize(2);
        JsonNode first = JSON.readTree(lines.get(0));
        assertThat(first.get("ids").toString()).isEqualTo("[9707,11,1879,0]");
        assertThat(first.get("decoded").asText()).isEqualTo("Hello, world!");
        assertThat(JSON.readTree(lines.get(1)).get("ids").toString()).isEqualTo("[151644,872]");
    }

    @Test
    void tokenizeCanTreatSpecialTokenStringsAsText() throws Exception {
        String out = run(new TokenizeCommand(), "{\"text\": \"<|im_start|>\"}\n", "--tokenizer", QWEN.toString(),
                "--split-special-tokens");
        JsonNode line = JSON.readTree(out);
        assertThat(line.get("ids").size()).isGreaterThan(1);
        assertThat(line.get("decoded").asText()).isEqualTo("<|im_start|>");
    }

    @Test
    void tokenizeRejectsLinesWithoutText() {
        assertThatThrownBy(() -> run(new TokenizeCommand(), "{\"txt\": 1}\n", "--tokenizer", QWEN.toString()))
                .isInstanceOfSatisfying(Qwen2VlException.class, e -> assertThat(e.getMessage()).contains("line 1"));
    }

    @Test
    void renderPrintsThePromptExactly() throws Exception {
        String request = """
                {"messages": [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": "Describe this image."}]}],
                 "add_vision_id": true}""";
        assertThat(run(new RenderCommand(), request, "--model", TINY.toString())).isEqualTo(
                "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n"
                        + "Picture 1: <|vision_start|><|image_pad|><|vision_end|>Describe this image.<|im_end|>\n"
                        + "<|im_start|>assistant\n");
    }

    @Test
    void renderJsonGivesExpandedIds() throws Exception {
        String request = """
                {"messages": [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": "Hi"}]}],
                 "grids": [[1, 2, 8]]}""";
        JsonNode out = JSON.readTree(run(new RenderCommand(), request, "--model", TINY.toString(), "--json"));
        int imagePad = 1036;
        long pads = 0;
        for (JsonNode id : out.get("ids")) {
            pads += id.asInt() == imagePad ? 1 : 0;
        }
        assertThat(pads).isEqualTo(4);
        assertThat(out.get("text").asText()).contains("<|vision_start|><|image_pad|><|vision_end|>Hi");
    }

    @Test
    void benchTokenizerReportsFiguresAndAnExactRoundTrip() throws Exception {
        JsonNode report = JSON.readTree(run(new BenchTokenizerCommand(), "", "--tokenizer", TINY.toString(), "--mb", "0.05"));
        assertThat(report.get("round_trip_exact").asBoolean()).isTrue();
        assertThat(report.get("tokens").asLong()).isPositive();
        assertThat(report.has("load_ms")).isTrue();
        assertThat(report.get("encode_mb_per_s").asDouble()).isPositive();
        assertThat(report.get("decode_mb_per_s").asDouble()).isPositive();
    }

    @Test
    void commandsAreRegisteredAndReportUsageErrors() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Qwen2VlCli.run(new String[] {"help"}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("tokenize", "render", "bench-tokenizer");
        int status = Qwen2VlCli.run(new String[] {"tokenize", "--vocab", "x"}, System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("error: unknown option --vocab\n");
    }
}
