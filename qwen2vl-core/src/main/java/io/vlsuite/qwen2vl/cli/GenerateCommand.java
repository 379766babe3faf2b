package io.vlsuite.qwen2vl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vlsuite.qwen2vl.Qwen2VlException;
import io.vlsuite.qwen2vl.engine.EngineConfig;
import io.vlsuite.qwen2vl.engine.EngineRequest;
import io.vlsuite.qwen2vl.engine.FinishReason;
import io.vlsuite.qwen2vl.engine.GenerationResult;
import io.vlsuite.qwen2vl.engine.LLMEngine;
import io.vlsuite.qwen2vl.engine.PreparedPrompt;
import io.vlsuite.qwen2vl.image.ImageDecoder;
import io.vlsuite.qwen2vl.image.ImageProcessor;
import io.vlsuite.qwen2vl.image.RgbImage;
import io.vlsuite.qwen2vl.image.VisionInput;
import io.vlsuite.qwen2vl.model.Qwen2VlModel;
import io.vlsuite.qwen2vl.safetensors.SafeTensorsWriter;
import io.vlsuite.qwen2vl.sampling.SamplingParams;
import io.vlsuite.qwen2vl.template.ChatMessage;
import io.vlsuite.qwen2vl.template.ChatMessageParser;
import io.vlsuite.qwen2vl.template.ChatOptions;
import io.vlsuite.qwen2vl.template.ContentPart;
import io.vlsuite.qwen2vl.template.MediaGrid;
import io.vlsuite.qwen2vl.template.PromptBuilder;
import io.vlsuite.qwen2vl.video.VideoProcessor;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * {@code generate --model <dir> [--max-tokens N] [--ignore-eos] [--temperature T --seed S]
 * [--dump-logits <file.safetensors>]}: reads {@code {"messages": [...]}} on stdin, runs the chat template, the
 * image/video preprocessing, the model and the engine, and prints {@code {"input_ids", "output_ids", "text"}}.
 * Greedy unless a temperature is given. Image parts name a file; video parts list frame files used as given.
 */
final class GenerateCommand implements CliCommand {

    private static final int DEFAULT_MAX_TOKENS = 128;

    @Override
    public String name() {
        return "generate";
    }

    @Override
    public String summary() {
        return "chat completion from {\"messages\": [...]} on stdin (greedy by default)";
    }

    @Override
    public int run(String[] args, InputStream in, PrintStream out) throws Exception {
        FlagArgs flags = FlagArgs.parse(args, Set.of("model", "max-tokens", "temperature", "seed", "dump-logits"),
                Set.of("ignore-eos"));
        OptionalInt relaunched = VectorModuleRelauncher.relaunchIfNeeded(name(), args, in, System.err);
        if (relaunched.isPresent()) {
            return relaunched.getAsInt();
        }
        Path modelDir = Path.of(flags.require("model"));
        int maxTokens = positiveInt(flags, "max-tokens", DEFAULT_MAX_TOKENS);
        double temperature = flags.getDouble("temperature", 0.0);
        if (temperature < 0) {
            throw new CliUsageException("--temperature must be >= 0");
        }
        Long seed = flags.has("seed") ? (long) positiveOrZero(flags, "seed") : null;

        JsonNode request = new ObjectMapper().readTree(in);
        if (request == null || !request.isObject()) {
            throw new Qwen2VlException("invalid_request", "stdin must hold a JSON object {\"messages\": [...]}");
        }
        List<ChatMessage> messages = ChatMessageParser.parseMessages(request.get("messages"));

        Qwen2VlModel model = Qwen2VlModel.load(modelDir);
        List<VisionInput> vision = preprocessMedia(messages, modelDir);
        List<MediaGrid> grids = vision.stream()
                .map(MediaGrid::of).toList();
        PromptBuilder prompts = PromptBuilder.load(modelDir);
        int[] inputIds = prompts.build(messages, ChatOptions.DEFAULT, grids).inputIds();
        PreparedPrompt prepared = model.prepare(inputIds, vision);

        LogitsRecordingRunner runner = new LogitsRecordingRunner(model);
        int maxLen = inputIds.length + maxTokens;
        EngineConfig config = EngineConfig.singleSequence(maxLen, model.config().eosTokenIds());
        SamplingParams params = SamplingParams.builder()
                .temperature(temperature)
                .seed(seed)
                .maxTokens(maxTokens)
                .ignoreEos(flags.has("ignore-eos"))
                .build();
        GenerationResult result;
        try (LLMEngine engine = new LLMEngine(runner, prompts.tokenizer(), config)) {
            result = engine.generate(new EngineRequest("cli", prepared, params));
        }
        if (result.finishReason() == FinishReason.ERROR) {
            throw new Qwen2VlException("generation_failed", String.valueOf(result.errorMessage()));
        }

        if (flags.has("dump-logits")) {
            List<float[]> steps = runner.rows();
            int vocab = model.vocabSize();
            float[] flat = new float[steps.size() * vocab];
            for (int s = 0; s < steps.size(); s++) {
                System.arraycopy(steps.get(s), 0, flat, s * vocab, vocab);
            }
            new SafeTensorsWriter().addF32("step_logits", flat, steps.size(), vocab)
                    .write(Path.of(flags.require("dump-logits")));
        }

        ObjectMapper json = new ObjectMapper();
        ObjectNode response = json.createObjectNode();
        var ids = response.putArray("input_ids");
        Arrays.stream(inputIds).forEach(ids::add);
        var outIds = response.putArray("output_ids");
        Arrays.stream(result.tokenIds()).forEach(outIds::add);
        response.put("text", result.text());
        out.println(json.writeValueAsString(response));
        return 0;
    }

    /** Decodes and preprocesses every image/video part in prompt order. */
    private static List<VisionInput> preprocessMedia(List<ChatMessage> messages, Path modelDir) {
        ImageProcessor images = ImageProcessor.forModel(modelDir);
        VideoProcessor videos = new VideoProcessor(images);
        ImageDecoder decoder = new ImageDecoder();
        List<VisionInput> out = new ArrayList<>();
        for (ChatMessage message : messages) {
            for (ContentPart part : message.media()) {
                if (part instanceof ContentPart.Image image) {
                    out.add(images.process(decoder.decode(localFile(image.reference()))));
                } else if (part instanceof ContentPart.Video video) {
                    if (video.references().isEmpty()) {
                        throw new Qwen2VlException("invalid_media", "a video part must list its frame files");
                    }
                    List<RgbImage> frames = new ArrayList<>();
                    for (String frame : video.references()) {
                        frames.add(decoder.decode(localFile(frame)));
                    }
                    out.add(videos.processFrames(frames));
                }
            }
        }
        return out;
    }

    private static Path localFile(String reference) {
        if (reference == null || reference.isBlank()) {
            throw new Qwen2VlException("invalid_media", "an image part must name a file");
        }
        String path = reference.startsWith("file://") ? reference.substring("file://".length()) : reference;
        if (path.contains("://") || path.startsWith("data:")) {
            throw new Qwen2VlException("invalid_media", "the CLI reads local files only, got " + reference);
        }
        return Path.of(path);
    }

    private static int positiveInt(FlagArgs flags, String name, int fallback) {
        int v = positiveOrZero(flags, name, fallback);
        if (v == 0) {
            throw new CliUsageException("--" + name + " must be positive");
        }
        return v;
    }

    private static int positiveOrZero(FlagArgs flags, String name) {
        return positiveOrZero(flags, name, 0);
    }

    private static int positiveOrZero(FlagArgs flags, String name, int fallback) {
        String v = flags.get(name, null);
        if (v == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(v);
            if (parsed >= 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CliUsageException("--" + name + " must be a non-negative integer, got '" + v + "'");
    }
}
