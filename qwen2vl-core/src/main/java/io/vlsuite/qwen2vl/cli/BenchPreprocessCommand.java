package io.vlsuite.qwen2vl.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vlsuite.qwen2vl.image.ImageDecoder;
import io.vlsuite.qwen2vl.image.ImageProcessor;
import io.vlsuite.qwen2vl.image.MediaKind;
import io.vlsuite.qwen2vl.image.PillowBicubicResizer;
import io.vlsuite.qwen2vl.image.PixelBounds;
import io.vlsuite.qwen2vl.image.PreprocessorConfig;
import io.vlsuite.qwen2vl.image.ResizedSize;
import io.vlsuite.qwen2vl.image.RgbImage;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code bench-preprocess [--width 1920] [--height 1080] [--iterations 20] [--model <dir>]}: times the image path
 * on a synthetic photo-like picture, JPEG-encoded with ImageIO: decode, Pillow-exact resize (to the model's
 * {@code smart_resize} target, and to a fixed 1288x728 downscale, single-threaded and parallel), normalise +
 * patchify, and the whole pipeline in images per second. Prints one JSON object of median milliseconds.
 */
public final class BenchPreprocessCommand implements CliCommand {

    @Override
    public String name() {
        return "bench-preprocess";
    }

    @Override
    public String summary() {
        return "time image decode/resize/patchify: [--width 1920 --height 1080 --iterations 20 --model <dir>]";
    }

    @Override
    public int run(String[] args, InputStream in, PrintStream out) throws Exception {
        PreprocessOptions options = PreprocessOptions.parse(args, Set.of("width", "height", "iterations", "model"));
        int width = options.intOr("width", 1920);
        int height = options.intOr("height", 1080);
        int iterations = Math.max(1, options.intOr("iterations", 20));
        PreprocessorConfig config = options.optional("model") == null ? PreprocessorConfig.qwen2VlDefaults()
                : PreprocessorConfig.fromModelDir(Path.of(options.optional("model")));

        byte[] jpeg = syntheticJpeg(width, height);
        ImageDecoder decoder = new ImageDecoder();
        PillowBicubicResizer serial = new PillowBicubicResizer(false);
        PillowBicubicResizer parallel = new PillowBicubicResizer(true);
        ImageProcessor processor = new ImageProcessor(config, serial);
        ImageProcessor parallelProcessor = new ImageProcessor(config, parallel);

        RgbImage decoded = decoder.decode(jpeg);
        ResizedSize target = processor.targetSize(height, width, PixelBounds.NONE);
        RgbImage resized = serial.resize(decoded, target.width(), target.height());
        int downW = 1288;
        int downH = 728;

        ObjectMapper json = new ObjectMapper();
        ObjectNode report = json.createObjectNode();
        report.put("image", width + "x" + height);
        report.put("jpeg_bytes", jpeg.length);
        report.put("target", target.width() + "x" + target.height());
        report.put("iterations", iterations);
        report.put("cores", Runtime.getRuntime().availableProcessors());
        report.put("decode_ms", medianMs(iterations, () -> decoder.decode(jpeg)));
        report.put("resize_target_ms_1thread", medianMs(iterations, () -> serial.resize(decoded, target.width(), target.height())));
        report.put("resize_target_ms_parallel", medianMs(iterations, () -> parallel.resize(decoded, target.width(), target.height())));
        report.put("resize_1288x728_ms_1thread", medianMs(iterations, () -> serial.resize(decoded, downW, downH)));
        report.put("resize_1288x728_ms_parallel", medianMs(iterations, () -> parallel.resize(decoded, downW, downH)));
        report.put("patchify_ms", medianMs(iterations, () -> processor.flatten(List.of(resized), MediaKind.IMAGE)));
        double pipeline = medianMs(iterations, () -> parallelProcessor.process(decoder.decode(jpeg)));
        report.put("pipeline_ms", pipeline);
        report.put("images_per_s", Math.round(1000.0 / pipeline * 10) / 10.0);
        out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        return 0;
    }

    /** Median wall time of {@code iterations} runs after as many warm-up runs (JIT compilation). */
    private static double medianMs(int iterations, Supplier<?> task) {
        Object sink = null;
        for (int i = 0; i < iterations; i++) {
            sink = task.get();
        }
        double[] ms = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            long t0 = System.nanoTime();
            sink = task.get();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        if (sink == null) {
            throw new IllegalStateException("benchmark task returned nothing");
        }
        Arrays.sort(ms);
        return Math.round(ms[iterations / 2] * 100) / 100.0;
    }

    /** Smooth gradients plus noise, so the JPEG has realistic entropy (a flat image would decode unrealistically fast). */
    static byte[] syntheticJpeg(int width, int height) throws java.io.IOException {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Random random = new Random(42);
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = (x * 255 / width + random.nextInt(24)) & 0xFF;
                int g = (y * 255 / height + random.nextInt(24)) & 0xFF;
                int b = ((x + y) * 128 / (width + height) + ((x / 40 + y / 40) % 2) * 100) & 0xFF;
                row[x] = r << 16 | g << 8 | b;
            }
            img.setRGB(0, y, width, 1, row, 0, width);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(img, "jpeg", bytes);
        return bytes.toByteArray();
    }
}
