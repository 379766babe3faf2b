package io.vlsuite.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The demo model ({@code tiny-trained}, about 9 MB) travels inside the standalone jar so that {@code java -jar}
 * works from any folder. The engine memory-maps weights from files, so the model is copied out once into the
 * data folder.
 */
final class BundledModel {

    static final String NAME = "tiny-trained";
    private static final String RESOURCE_DIR = "vlsuite/models/" + NAME + "/";

    private BundledModel() {
    }

    /** The files of the bundled model, as listed by the build in {@code FILES}. */
    static List<String> files() {
        try (InputStream in = resource("FILES")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies the model into {@code parent/tiny-trained} unless an identical copy is already there. */
    static Path extractTo(Path parent) {
        Path target = parent.resolve(NAME);
        try {
            Files.createDirectories(target);
            for (String file : files()) {
                Path out = target.resolve(file);
                try (InputStream in = resource(file)) {
                    byte[] bytes = in.readAllBytes();
                    if (!Files.exists(out) || Files.size(out) != bytes.length) {
                        Path tmp = Files.createTempFile(target, file, ".part");
                        Files.write(tmp, bytes);
                        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the bundled model into " + target, e);
        }
        return target;
    }

    private static InputStream resource(String file) throws IOException {
        InputStream in = BundledModel.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + file);
        if (in == null) {
            throw new IOException("the bundled model file " + RESOURCE_DIR + file + " is missing from the jar");
        }
        return in;
    }
}
