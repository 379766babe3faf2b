package io.vlsuite.examples;

import io.vlsuite.qwen2vl.engine.EngineConfig;
import io.vlsuite.qwen2vl.engine.EngineRequest;
import io.vlsuite.qwen2vl.engine.GenerationResult;
import io.vlsuite.qwen2vl.engine.LLMEngine;
import io.vlsuite.qwen2vl.image.ImageDecoder;
import io.vlsuite.qwen2vl.image.ImageProcessor;
import io.vlsuite.qwen2vl.image.RgbImage;
import io.vlsuite.qwen2vl.image.VisionInput;
import io.vlsuite.qwen2vl.model.Qwen2VlModel;
import io.vlsuite.qwen2vl.sampling.SamplingParams;
import io.vlsuite.qwen2vl.template.ChatMessage;
import io.vlsuite.qwen2vl.template.ChatOptions;
import io.vlsuite.qwen2vl.template.ContentPart;
import io.vlsuite.qwen2vl.template.MediaGrid;
import io.vlsuite.qwen2vl.template.PromptBuilder;
import io.vlsuite.qwen2vl.video.VideoProcessor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the engine answers when run directly (no services): chat template, image/video preprocessing, the
 * tiny-trained model and greedy decoding, as {@code qwen2vl generate} does. The client tests compare the suite's
 * answers with it.
 */
public final class EngineOracle {

    public static final int MAX_TOKENS = 64;
    private static EngineOracle instance;

    private final Path modelDir;
    private final Qwen2VlModel model;
    private final PromptBuilder prompts;
    private final ImageProcessor images;
    private final VideoProcessor videos;
    private final ImageDecoder decoder = new ImageDecoder();

    private EngineOracle(Path modelDir) {
        this.modelDir = modelDir;
        this.model = Qwen2VlModel.load(modelDir);
        this.prompts = PromptBuilder.load(modelDir);
        this.images = ImageProcessor.forModel(modelDir);
        this.videos = new VideoProcessor(images);
    }

    public static synchronized EngineOracle get() {
        if (instance == null) {
            instance = new EngineOracle(Path.of(System.getProperty("user.dir")).resolve("../models/tiny-trained").normalize());
        }
        return instance;
    }

    /** The greedy answer to one user message made of {@code parts}, in order. */
    public synchronized String answer(List<ContentPart> parts) {
        List<VisionInput> vision = new ArrayList<>();
        for (ContentPart part : parts) {
            if (part instanceof ContentPart.Image image) {
                vision.add(images.process(decoder.decode(Path.of(image.reference()))));
            } else if (part instanceof ContentPart.Video video) {
                List<RgbImage> frames = video.references().stream().map(f -> decoder.decode(Path.of(f))).toList();
                vision.add(videos.processFrames(frames));
            }
        }
        List<MediaGrid> grids = vision.stream()
                .map(MediaGrid::of).toList();
        int[] inputIds = prompts.build(List.of(ChatMessage.of("user", parts)), ChatOptions.DEFAULT, grids).inputIds();
        int maxLen = inputIds.length + MAX_TOKENS;
        EngineConfig config = EngineConfig.singleSequence(maxLen, model.config().eosTokenIds());
        SamplingParams params = SamplingParams.builder().temperature(0.0).maxTokens(MAX_TOKENS).build();
        try (LLMEngine engine = new LLMEngine(model, prompts.tokenizer(), config)) {
            GenerationResult result = engine.generate(new EngineRequest("oracle", model.prepare(inputIds, vision), params));
            return result.text();
        }
    }

    /** An image then a question: the order the OpenAI SDK example and the job client send. */
    public String imageThenText(Path picture, String question) {
        return answer(List.of(new ContentPart.Image(picture.toString()), new ContentPart.Text(question)));
    }

    /** A question then an image: the order Spring AI sends a user message's text and its media. */
    public String textThenImage(Path picture, String question) {
        return answer(List.of(new ContentPart.Text(question), new ContentPart.Image(picture.toString())));
    }

    Path modelDir() {
        return modelDir;
    }
}
