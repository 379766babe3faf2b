package io.vlsuite.qwen2vl.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vlsuite.qwen2vl.image.ImageDecoder;
import io.vlsuite.qwen2vl.image.ImageProcessor;
import io.vlsuite.qwen2vl.image.MediaKind;
import io.vlsuite.qwen2vl.image.VisionInput;
import io.vlsuite.qwen2vl.model.GreedyGenerator;
import io.vlsuite.qwen2vl.model.Qwen2VlModel;
import io.vlsuite.qwen2vl.sampling.SamplingParams;
import io.vlsuite.qwen2vl.tokenizer.Qwen2Tokenizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine on the real bundled model ({@code models/tiny-trained}): image questions from the evaluation set,
 * run together with continuous batching, chunked prefill, prefix caching and (with a small pool) preemption,
 * must give the same
 * greedy tokens as one-at-a-time decoding with {@link GreedyGenerator}, and the streamed text must be the
 * tokenizer's decoding of those tokens.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TinyTrainedEngineTest {

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).resolve("..");
    private static final Path MODEL = ROOT.resolve("models/tiny-trained");
    private static final Path EVAL = ROOT.resolve("testdata/tiny-trained-eval");
    private static final int ROWS = 12;
    private static final int MAX_TOKENS = 24;

    private Qwen2VlModel model;
    private Qwen2Tokenizer tokenizer;
    private final List<PreparedPrompt> prompts = new ArrayList<>();
    private final List<int[]> alone = new ArrayList<>();
    private final List<int[]> reference = new ArrayList<>();

    @BeforeAll
    void prepare() throws Exception {
        model = Qwen2VlModel.load(MODEL);
        tokenizer = Qwen2Tokenizer.load(MODEL);
        ImageProcessor images = ImageProcessor.forModel(MODEL);
        ImageDecoder decoder = new ImageDecoder();
        JsonNode rows = new ObjectMapper().readTree(EVAL.resolve("eval.json").toFile()).get("rows");
        GreedyGenerator generator = new GreedyGenerator(model);
        for (JsonNode row : rows) {
            if (!row.has("image") || prompts.size() == ROWS) {
                continue;
            }
            VisionInput vision = images.process(decoder.decode(EVAL.resolve(row.get("image").asText())));
            assertThat(vision.kind()).isEqualTo(MediaKind.IMAGE);
            String text = "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n"
                    + "<|vision_start|>" + "<|image_pad|>".repeat(vision.tokenCount()) + "<|vision_end|>"
                    + row.get("question").asText() + "<|im_end|>\n<|im_start|>assistant\n";
            PreparedPrompt prompt = model.prepare(tokenizer.encode(text), List.of(vision));
            prompts.add(prompt);
            alone.add(generator.generate(prompt, MAX_TOKENS, model.config().eosTokenIds(), false).tokens());
            JsonNode ids = row.get("reference_ids");
            reference.add(IntStream.range(0, ids.size()).map(i -> ids.get(i).asInt()).toArray());
        }
    }

    private EngineConfig.Builder config() {
        return EngineConfig.builder()
                .blockSize(16)
                .numKvBlocks(512)
                .maxNumSeqs(8)
                .maxNumBatchedTokens(32)
                .eosTokenIds(Set.copyOf(Arrays.stream(model.config().eosTokenIds()).boxed().toList()));
    }

    private List<GenerationResult> runAll(EngineConfig config) {
        try (LLMEngine engine = new LLMEngine(model, tokenizer, config)) {
            List<EngineRequest> requests = new ArrayList<>();
            for (int i = 0; i < prompts.size(); i++) {
                requests.add(new EngineRequest("row" + i, prompts.get(i), SamplingParams.greedy(MAX_TOKENS)));
            }
            return engine.generate(requests);
        }
    }

    @Test
    void batchedChunkedGenerationEqualsOneAtATimeDecoding() {
        assertThat(prompts).hasSize(ROWS);
        assertThat(prompts.stream().mapToInt(PreparedPrompt::length).max().orElse(0))
                .as("some prompts need several prefill chunks").isGreaterThan(32);
        System.out.println("ENGINE prompt lengths " + prompts.stream().map(PreparedPrompt::length).toList());
        List<GenerationResult> results = runAll(config().build());
        int agreeWithReference = 0;
        for (int i = 0; i < ROWS; i++) {
            GenerationResult r = results.get(i);
            assertThat(r.tokenIds()).as("row " + i).containsExactly(alone.get(i));
            assertThat(r.text()).isEqualTo(tokenizer.decode(r.tokenIds(), true));
            int[] ref = reference.get(i);
            if (Arrays.equals(r.tokenIds(), Arrays.copyOf(ref, Math.min(ref.length, MAX_TOKENS)))) {
                agreeWithReference++;
            }
        }
        System.out.printf("ENGINE tiny-trained: %d/%d rows equal transformers' reference ids%n", agreeWithReference,
                ROWS);
        assertThat(agreeWithReference).isGreaterThanOrEqualTo(ROWS - 1);
    }

    @Test
    void seededSamplingGivesTheSameTokensAloneAndInABatch() {
        List<EngineRequest> requests = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            SamplingParams params = SamplingParams.builder().temperature(0.9).topP(0.95).topK(40)
                    .repetitionPenalty(1.05).seed(1000L + i).maxTokens(MAX_TOKENS).build();
            requests.add(new EngineRequest("seeded" + i, prompts.get(i), params));
        }
        List<GenerationResult> together;
        try (LLMEngine engine = new LLMEngine(model, tokenizer, config().build())) {
            together = engine.generate(requests);
        }
        for (int i = 0; i < requests.size(); i++) {
            try (LLMEngine engine = new LLMEngine(model, tokenizer, config().enablePrefixCaching(false).build())) {
                assertThat(engine.generate(requests.get(i)).tokenIds()).as("row " + i)
                        .containsExactly(together.get(i).tokenIds());
            }
        }
    }

    @Test
    void askingAboutTheSameImageAgainReusesItsCachedBlocksAndAnswersTheSame() {
        try (LLMEngine engine = new LLMEngine(model, tokenizer, config().build())) {
            PreparedPrompt prompt = prompts.getFirst();
            GenerationResult first = engine.generate(new EngineRequest("first", prompt,
                    SamplingParams.greedy(MAX_TOKENS)));
            GenerationResult again = engine.generate(new EngineRequest("again", prompt,
                    SamplingParams.greedy(MAX_TOKENS)));
            assertThat(first.usage().cachedPromptTokens()).isZero();
            assertThat(again.usage().cachedPromptTokens()).isEqualTo((prompt.length() - 1) / 16 * 16).isPositive();
            assertThat(again.tokenIds()).containsExactly(first.tokenIds()).containsExactly(alone.getFirst());
        }
    }

    @Test
    void aPoolTooSmallForAllRowsPreemptsAndStillGivesTheSameTokens() {
        int longest = prompts.stream().mapToInt(PreparedPrompt::length).max().orElseThrow() + MAX_TOKENS;
        int blocks = 3 * ((longest + 15) / 16); // room for about three rows at a time, eight are admitted
        try (LLMEngine engine = new LLMEngine(model, tokenizer, config().numKvBlocks(blocks).build())) {
            List<EngineRequest> requests = new ArrayList<>();
            for (int i = 0; i < prompts.size(); i++) {
                requests.add(new EngineRequest("row" + i, prompts.get(i), SamplingParams.greedy(MAX_TOKENS)));
            }
            List<GenerationResult> results = engine.generate(requests);
            for (int i = 0; i < ROWS; i++) {
                assertThat(results.get(i).tokenIds()).as("row " + i).containsExactly(alone.get(i));
            }
            System.out.printf("ENGINE tiny-trained small pool: %d preemptions, prefix cache %d/%d prompt tokens%n",
                    engine.stats().preemptionsTotal(), engine.stats().prefixCacheHits(),
                    engine.stats().prefixCacheQueries());
            assertThat(engine.stats().preemptionsTotal()).isPositive();
        }
    }
}
