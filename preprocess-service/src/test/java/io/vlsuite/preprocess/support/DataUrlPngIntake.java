package io.vlsuite.preprocess.support;

import io.vlsuite.contracts.job.MediaRef;
import io.vlsuite.preprocess.media.MediaIntake;
import io.vlsuite.preprocess.media.MediaIntakeException;
import io.vlsuite.preprocess.media.MediaOptions;
import io.vlsuite.preprocess.media.MediaSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test stand-in for the media pipeline: takes {@code data:image/png;base64,...} URLs, rounds the size to
 * multiples of 28 and returns a reference without storing anything; refuses everything else with a media code.
 * Counts calls, so tests can prove that rejected requests never reached media work.
 */
public final class DataUrlPngIntake implements MediaIntake {

    public static final AtomicInteger CALLS = new AtomicInteger();

    @Override
    public MediaRef ingest(MediaSource source, MediaOptions options, String tenant) {
        CALLS.incrementAndGet();
        if (!(source instanceof MediaSource.Url url) || !url.url().startsWith("data:image/png;base64,")) {
            throw new MediaIntakeException("unsupported_media_source", 400, "only PNG data URLs in this test");
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(url.url().substring("data:image/png;base64,".length()));
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            if (image == null) {
                throw new MediaIntakeException("image_decode_failed", 422, "not a PNG");
            }
            int w = Math.max(28, Math.round(image.getWidth() / 28f) * 28);
            int h = Math.max(28, Math.round(image.getHeight() / 28f) * 28);
            return new MediaRef(MediaRef.IMAGE, List.of("media/test.png"), w, h, List.of(1, h / 14, w / 14), null);
        } catch (IOException | IllegalArgumentException e) {
            throw new MediaIntakeException("image_decode_failed", 422, "not a PNG");
        }
    }

    /** Registers the intake in a test context. */
    @Configuration(proxyBeanMethods = false)
    public static class Config {
        @Bean
        MediaIntake dataUrlPngIntake() {
            return new DataUrlPngIntake();
        }
    }
}
