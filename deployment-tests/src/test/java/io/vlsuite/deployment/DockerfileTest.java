package io.vlsuite.deployment;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Dockerfile: one build stage, three service images that run as a non-root user with a health check, and a
 * build context that lists every module (a missing module pom breaks the dependency-cache layer).
 */
class DockerfileTest {

    private static final Pattern FROM = Pattern.compile("(?im)^FROM\\s+(\\S+)(?:\\s+AS\\s+(\\S+))?\\s*$");
    private static String dockerfile;
    private static Map<String, String> stages;

    @BeforeAll
    static void read() throws IOException {
        dockerfile = Files.readString(RepositoryFiles.root().resolve("Dockerfile"));
        stages = new LinkedHashMap<>();
        Matcher m = FROM.matcher(dockerfile);
        List<int[]> starts = new java.util.ArrayList<>();
        List<String> names = new java.util.ArrayList<>();
        while (m.find()) {
            starts.add(new int[]{m.start()});
            names.add(m.group(2) == null ? m.group(1) : m.group(2));
        }
        for (int i = 0; i < starts.size(); i++) {
            int end = i + 1 < starts.size() ? starts.get(i + 1)[0] : dockerfile.length();
            stages.put(names.get(i), dockerfile.substring(starts.get(i)[0], end));
        }
    }

    @Test
    void buildsWithAJdkAndRunsOnAJre() {
        assertThat(stages).containsKeys("build", "runtime", "gateway", "preprocess-service", "inference-service");
        assertThat(stages.get("build")).containsPattern("(?i)FROM eclipse-temurin:25-jdk");
        assertThat(stages.get("runtime")).containsPattern("(?i)FROM eclipse-temurin:25-jre");
    }

    @Test
    void serviceImagesRunAsNonRootWithAHealthCheckOnTheirPort() {
        assertThat(stages.get("runtime")).containsPattern("(?m)^USER 10001");
        Map<String, String> ports = Map.of("gateway", "8080", "preprocess-service", "8081", "inference-service", "8082");
        ports.forEach((stage, port) -> {
            String text = stages.get(stage);
            assertThat(text).as(stage).startsWith("FROM runtime AS " + stage).doesNotContainPattern("(?m)^USER (root|0)\\b");
            assertThat(text).as(stage).containsPattern("(?m)^HEALTHCHECK .*http://127\\.0\\.0\\.1:" + port + "/actuator/health/");
            assertThat(text).as(stage).containsPattern("(?m)^EXPOSE " + port);
            assertThat(text).as(stage).contains("ENTRYPOINT");
        });
    }

    @Test
    void copiesEveryReactorModulePomBeforeResolvingDependencies() throws IOException {
        String rootPom = Files.readString(RepositoryFiles.root().resolve("pom.xml"));
        Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(rootPom);
        String build = stages.get("build");
        while (module.find()) {
            assertThat(build).as("module " + module.group(1))
                    .contains("COPY " + module.group(1) + "/pom.xml " + module.group(1) + "/");
        }
    }

    @Test
    void buildContextLeavesOutBuildOutputAndLocalData() throws IOException {
        Path ignore = RepositoryFiles.root().resolve(".dockerignore");
        List<String> lines;
        try (Stream<String> s = Files.lines(ignore)) {
            lines = s.map(String::trim).toList();
        }
        assertThat(lines).contains("**/target", ".git", "data");
    }
}
