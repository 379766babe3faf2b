package io.vlsuite.qwen2vl.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vlsuite.qwen2vl.image.ImageDecoder;
import io.vlsuite.qwen2vl.image.ImageProcessor;
import io.vlsuite.qwen2vl.image.PixelBounds;
import io.vlsuite.qwen2vl.image.ProcessedImage;
import io.vlsuite.qwen2vl.image.RgbImage;
import io.vlsuite.qwen2vl.image.VisionInput;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;

/**
 * {@code preprocess --model <dir> --image <file> [--out <file.safetensors>] [--min-pixels N] [--max-pixels N]}:
 * runs the Qwen2-VL image preprocessing of a model folder on one image and prints
 * {@code {"grid_thw": [t,h,w], "resized": [h,w]}}. With {@code --out}, also writes {@code pixel_values}
 * (F32 {@code [patches,1176]}) and {@code resized_rgb_u8} (U8 {@code [H,W,3]}) for comparison with the reference.
 */
public final class PreprocessCommand implements CliCommand {

    @Override
    public String name() {
        return "preprocess";
    }

    @Override
    public String summary() {
        return "preprocess one image: --model <dir> --image <file> [--out <file.safetensors>]";
    }

    @Override
    public int run(String[] args, InputStream in, PrintStream out) throws Exception {
        PreprocessOptions options = PreprocessOptions.parse(args, Set.of("model", "image", "out", "min-pixels", "max-pixels"));
        ImageProcessor processor = ImageProcessor.forModel(Path.of(options.required("model")));
        RgbImage image = new ImageDecoder().decode(Path.of(options.required("image")));
        PixelBounds bounds = new PixelBounds(options.optionalLong("min-pixels"), options.optionalLong("max-pixels"));
        ProcessedImage result = processor.processWithResized(image, bounds);

        VisionInput input = result.input();
        RgbImage resized = result.resized();
        if (options.optional("out") != null) {
            new PreprocessTensorWriter()
                    .f32("pixel_values", input.pixelValues(), input.patches(), VisionInput.PATCH_DIM)
                    .u8("resized_rgb_u8", resized.rgb(), resized.height(), resized.width(), 3)
                    .write(Path.of(options.optional("out")));
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode report = json.createObjectNode();
        var grid = report.putArray("grid_thw");
        for (int g : input.gridThw()) {
            grid.add(g);
        }
        report.putArray("resized").add(resized.height()).add(resized.width());
        out.println(json.writeValueAsString(report));
        return 0;
    }
}
