package io.vlsuite.deployment;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generated webhook secret is a pre-install hook, and helm-java's {@code template} output (like a release
 * manifest) leaves hooks out. This test renders a copy of the chart with the hook annotations removed, so the
 * generated Secret itself is checked: name, key and format.
 */
class HelmWebhookSecretHookTest {

    @TempDir
    Path copy;

    @Test
    void generatedSecretIsAStandardWebhooksSecretUnderTheNameThePodsReference() throws IOException {
        Path chart = copyChart();
        Path hook = chart.resolve("templates/webhook-secret.yaml");
        String template = Files.readString(hook);
        assertThat(template).contains("helm.sh/hook: pre-install");
        Files.writeString(hook, template.lines().filter(line -> !line.contains("helm.sh/hook"))
                .map(line -> line.replace("annotations:", "annotations: {}")).reduce("", (a, b) -> a + b + "\n"));

        String yaml = new Helm(chart).template().withName(RenderedChart.RELEASE).withNamespace(RenderedChart.NAMESPACE).call();

        StrictKubernetesParser parser = new StrictKubernetesParser();
        Secret generated = Stream.of(yaml.split("(?m)^---\\s*$"))
                .filter(doc -> doc.contains("name: vlsuite-webhook"))
                .map(parser::parse).map(Secret.class::cast).findFirst().orElseThrow();
        String secret = HelmDefaultValuesTest.decode(generated.getData().get("webhook-secret"));
        assertThat(secret).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(secret.substring("whsec_".length()))).hasSize(32);
    }

    private Path copyChart() throws IOException {
        Path source = RepositoryFiles.chart();
        Path target = copy.resolve("vlsuite");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path p : files.toList()) {
                Path dest = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest);
                }
            }
        }
        return target;
    }
}
