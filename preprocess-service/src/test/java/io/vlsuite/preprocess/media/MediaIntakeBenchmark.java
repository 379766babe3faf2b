package io.vlsuite.preprocess.media;

import io.vlsuite.media.MediaStore;
import io.vlsuite.media.embedded.EmbeddedS3Server;
import io.vlsuite.media.s3.S3ObjectStorage;
import io.vlsuite.qwen2vl.image.ImageDecoder;
import io.vlsuite.qwen2vl.image.ImageLimits;
import io.vlsuite.qwen2vl.image.ImageProcessor;
import io.vlsuite.qwen2vl.image.PixelBounds;
import io.vlsuite.qwen2vl.image.PreprocessorConfig;
import io.vlsuite.qwen2vl.image.RgbImage;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Images per second for decode + resize + PNG + store of 1920x1080 JPEGs, through the same {@link ImagePipeline}
 * the service uses, storing into the embedded S3 server (every image distinct, so every store is a real PUT).
 *
 * <pre>
 * ./mvnw -q -pl preprocess-service -am test-compile -DskipTests
 * cd preprocess-service && ../mvnw -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) io.vlsuite.preprocess.media.MediaIntakeBenchmark [images] [threads] [model-dir|qwen2vl]
 * </pre>
 * {@code qwen2vl} uses the published Qwen2-VL bounds (max 12,845,056 pixels: 1920x1080 becomes 1932x1092); the
 * default is the bundled {@code models/tiny-trained} (max 28,224 pixels: 1920x1080 becomes 224x112).
 */
public final class MediaIntakeBenchmark {

    public static void main(String[] args) throws Exception {
        int images = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        String model = args.length > 2 ? args[2] : IntakeFixtures.MODEL_DIR.toString();
        PreprocessorConfig config = model.equals("qwen2vl") ? PreprocessorConfig.qwen2VlDefaults()
                : PreprocessorConfig.fromModelDir(Path.of(model));

        List<byte[]> jpegs = new ArrayList<>();
        for (int i = 0; i < images + threads * 2; i++) {
            jpegs.add(IntakeFixtures.encode(photo(1920, 1080, i), "jpeg"));
        }
        long avgBytes = jpegs.stream().mapToLong(b -> b.length).sum() / jpegs.size();

        try (EmbeddedS3Server s3 = IntakeFixtures.startS3(); S3ObjectStorage storage = IntakeFixtures.storage(s3);
             BoundedWork work = new BoundedWork(threads)) {
            MediaStore store = IntakeFixtures.mediaStore(storage);
            ImageProcessor processor = new ImageProcessor(config);
            ImageDecoder decoder = new ImageDecoder(new ImageLimits(20L << 20, 40_000_000L, 20_000), true);
            PngEncoder png = new PngEncoder(1);
            ImagePipeline pipeline = new ImagePipeline(decoder, processor, png, store, work, IntakeFixtures.image());

            // Warm-up (JIT, S3 connection), then stage timings single-threaded on one image.
            for (int i = 0; i < threads * 2; i++) {
                pipeline.ingest(jpegs.get(images + i), MediaOptions.DEFAULTS, "http_url");
            }
            byte[] sample = jpegs.getFirst();
            long t0 = System.nanoTime();
            RgbImage rgb = decoder.decode(sample);
            long t1 = System.nanoTime();
            var size = processor.targetSize(rgb.height(), rgb.width(), PixelBounds.NONE);
            RgbImage resized = processor.resize(rgb, size);
            long t2 = System.nanoTime();
            byte[] encoded = png.encode(resized);
            long t3 = System.nanoTime();
            System.out.printf("one image: decode %.1f ms, resize to %dx%d %.1f ms, png %.1f ms (%d KiB); jpeg avg %d KiB%n",
                    (t1 - t0) / 1e6, size.width(), size.height(), (t2 - t1) / 1e6, (t3 - t2) / 1e6,
                    encoded.length / 1024, avgBytes / 1024);

            ExecutorService callers = Executors.newFixedThreadPool(threads);
            long start = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < images; i++) {
                byte[] jpeg = jpegs.get(i);
                futures.add(callers.submit(() -> pipeline.ingest(jpeg, MediaOptions.DEFAULTS, "http_url")));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            callers.shutdown();
            System.out.printf("%d images 1920x1080 JPEG -> %dx%d PNG stored, %d threads, %d cores: %.2f s, %.2f images/s%n",
                    images, size.width(), size.height(), threads, Runtime.getRuntime().availableProcessors(), seconds,
                    images / seconds);
        }
    }

    /** Gradients, shapes and sensor-like noise: compresses like a photo, not like a flat test card. */
    static BufferedImage photo(int width, int height, int seed) {
        BufferedImage image = IntakeFixtures.picture(width, height, seed);
        Random random = new Random(seed);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = image.getRGB(x, y);
                int n = random.nextInt(24) - 12;
                int r = clamp(((rgb >> 16) & 0xFF) + n);
                int g = clamp(((rgb >> 8) & 0xFF) + n);
                int b = clamp((rgb & 0xFF) + n);
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return image;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
