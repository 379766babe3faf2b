package io.vlsuite.deployment;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The chart rendered by real Helm ({@code helm template}, through helm-java's embedded Helm library) and parsed
 * strictly into Kubernetes objects.
 */
record RenderedChart(String yaml, List<HasMetadata> objects) {

    static final String RELEASE = "vlsuite";
    static final String NAMESPACE = "ai";
    private static final StrictKubernetesParser PARSER = new StrictKubernetesParser();

    /** Renders with the given values files (in order) and {@code --set} pairs. */
    static RenderedChart render(List<Path> valuesFiles, Map<String, Object> sets) {
        TemplateCommand template = new Helm(RepositoryFiles.chart()).template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withKubeVersion("1.31.0");
        for (Path file : valuesFiles) {
            template = template.withValuesFile(file);
        }
        for (Map.Entry<String, Object> set : sets.entrySet()) {
            template = template.set(set.getKey(), set.getValue());
        }
        String yaml = template.call();
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : documents(yaml)) {
            objects.add(PARSER.parse(document));
        }
        return new RenderedChart(yaml, List.copyOf(objects));
    }

    static RenderedChart defaults() {
        return render(List.of(), Map.of());
    }

    static RenderedChart gpu(Map<String, Object> sets) {
        return render(List.of(RepositoryFiles.gpuValues()), sets);
    }

    static Map<String, Object> sets(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    /** Splits a multi-document stream, dropping Helm's "# Source:" comments and empty documents. */
    private static List<String> documents(String yaml) {
        return Arrays.stream(yaml.split("(?m)^---\\s*$"))
                .filter(doc -> doc.lines().anyMatch(line -> !line.isBlank() && !line.startsWith("#")))
                .toList();
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    List<HasMetadata> ofKind(String kind) {
        return objects.stream().filter(o -> o.getKind().equals(kind)).toList();
    }

    <T extends HasMetadata> T named(Class<T> type, String component) {
        String name = RELEASE + "-" + component;
        return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name + " in " + names()));
    }

    Deployment deployment(String component) {
        return named(Deployment.class, component);
    }

    /** The service configuration file the chart mounts into one component. */
    String configFile(String component) {
        return named(ConfigMap.class, component).getData().get(component + ".yml");
    }

    Stream<Container> allContainers() {
        return all(Deployment.class).stream().flatMap(d -> containers(d.getSpec().getTemplate().getSpec()));
    }

    static Stream<Container> containers(PodSpec pod) {
        return Stream.concat(pod.getInitContainers().stream(), pod.getContainers().stream());
    }

    static Container container(Deployment deployment, String name) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> c.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name + " in " + deployment.getMetadata().getName()));
    }

    List<String> names() {
        return objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
    }
}
