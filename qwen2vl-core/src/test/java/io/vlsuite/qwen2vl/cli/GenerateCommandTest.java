package io.vlsuite.qwen2vl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vlsuite.qwen2vl.Qwen2VlException;
import io.vlsuite.qwen2vl.safetensors.SafeTensorsFile;
import io.vlsuite.qwen2vl.safetensors.TensorView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** generate, end to end (template, tokenizer, preprocessing, model, engine) against transformers references. */
class GenerateCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = Path.of(System.getProperty("user.dir"));
    private static final Path TINY_RANDOM = ROOT.resolve("src/test/resources/tiny-random");
    private static final Path TINY_TRAINED = ROOT.resolve("../models/tiny-trained");
    private static final Path EVAL = ROOT.resolve("../testdata/tiny-trained-eval");

    @TempDir
    Path tmp;

    private static JsonNode run(String stdin, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = new GenerateCommand().run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(status).isZero();
        return JSON.readTree(out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void imageQuestionMatchesTheReferenceAnswer() throws Exception {
        JsonNode row = JSON.readTree(EVAL.resolve("eval.json").toFile()).get("rows").get(0);
        String messages = """
                {"messages": [{"role": "user", "content": [
                  {"type": "image", "image": "%s"}, {"type": "text", "text": "%s"}]}]}"""
                .formatted(EVAL.resolve(row.get("image").asText()), row.get("question").asText());
        JsonNode out = run(messages, "--model", TINY_TRAINED.toString());
        assertThat(out.get("output_ids")).isEqualTo(row.get("reference_ids"));
        assertThat(out.get("text").asText()).isEqualTo(row.get("reference_output").asText());
        assertThat(out.get("input_ids").size()).isGreaterThan(20);
    }

    @Test
    void videoFramesAreUsedAsGiven() throws Exception {
        JsonNode rows = JSON.readTree(EVAL.resolve("eval.json").toFile()).get("rows");
        JsonNode row = null;
        for (JsonNode r : rows) {
            if (r.has("video_frames")) {
                row = r;
                break;
            }
        }
        StringBuilder frames = new StringBuilder();
        for (JsonNode f : row.get("video_frames")) {
            frames.append(frames.isEmpty() ? "" : ",").append('"').append(EVAL.resolve(f.asText())).append('"');
        }
        String messages = """
                {"messages": [{"role": "user", "content": [
                  {"type": "video", "video": [%s]}, {"type": "text", "text": "%s"}]}]}"""
                .formatted(frames, row.get("question").asText());
        JsonNode out = run(messages, "--model", TINY_TRAINED.toString());
        assertThat(out.get("output_ids")).isEqualTo(row.get("reference_ids"));
    }

    @Test
    void textOnlyGreedyWithIgnoreEosMatchesGoldenAndDumpsStepLogits() throws Exception {
        SafeTensorsFile golden = SafeTensorsFile.open(TINY_RANDOM.resolve("golden/text-only.safetensors"));
        Path dump = tmp.resolve("logits.safetensors");
        JsonNode out = run("{\"messages\": [{\"role\": \"user\", \"content\": \"Who are you?\"}]}",
                "--model", TINY_RANDOM.toString(), "--max-tokens", "16", "--ignore-eos",
                "--dump-logits", dump.toString());
        int[] expectedInput = golden.get("input_ids").toIntArray();
        int[] expectedOutput = golden.get("greedy_ids").toIntArray();
        assertThat(JSON.treeToValue(out.get("input_ids"), int[].class)).containsExactly(expectedInput);
        assertThat(JSON.treeToValue(out.get("output_ids"), int[].class)).containsExactly(expectedOutput);

        TensorView steps = SafeTensorsFile.open(dump).get("step_logits");
        TensorView reference = golden.get("greedy_step_logits");
        assertThat(steps.shape()).containsExactly(reference.shape());
        for (long i = 0; i < reference.elementCount(); i++) {
            assertThat(steps.getFloat(i)).isCloseTo(reference.getFloat(i), within(1e-3f));
        }
    }

    @Test
    void sampledGenerationIsReproducibleWithASeed() throws Exception {
        String messages = "{\"messages\": [{\"role\": \"user\", \"content\": \"Who are you?\"}]}";
        JsonNode a = run(messages, "--model", TINY_RANDOM.toString(), "--max-tokens", "8", "--ignore-eos",
                "--temperature", "1.0", "--seed", "7");
        JsonNode b = run(messages, "--model", TINY_RANDOM.toString(), "--max-tokens", "8", "--ignore-eos",
                "--temperature", "1.0", "--seed", "7");
        assertThat(a.get("output_ids").size()).isEqualTo(8);
        assertThat(a.get("output_ids")).isEqualTo(b.get("output_ids"));
    }

    @Test
    void missingImageFileIsAReportedError() {
        String messages = """
                {"messages": [{"role": "user", "content": [{"type": "image", "image": "%s"}]}]}"""
                .formatted(tmp.resolve("missing.png"));
        assertThatThrownBy(() -> run(messages, "--model", TINY_TRAINED.toString()))
                .isInstanceOf(Qwen2VlException.class);
        assertThatThrownBy(() -> run(messages)).isInstanceOf(CliUsageException.class).hasMessageContaining("--model");
    }
}
