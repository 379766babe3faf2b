package io.vlsuite.deployment;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths of the deployment files, found from the module folder surefire runs in. */
final class RepositoryFiles {

    private RepositoryFiles() {
    }

    static Path root() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        // Surefire runs in deployment-tests/; an IDE may run in the repository root.
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("docker-compose.yml")) && Files.isDirectory(p.resolve("helm"))) {
                return p;
            }
        }
        throw new IllegalStateException("repository root (with docker-compose.yml and helm/) not found above " + dir);
    }

    static Path chart() {
        return root().resolve("helm/vlsuite");
    }

    static Path gpuValues() {
        return chart().resolve("values-gpu.yaml");
    }
}
