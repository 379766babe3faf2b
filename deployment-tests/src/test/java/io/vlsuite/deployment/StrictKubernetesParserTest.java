package io.vlsuite.deployment;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The chart tests are only as strict as this parser: it must reject what the API server would not accept as written. */
class StrictKubernetesParserTest {

    private final StrictKubernetesParser parser = new StrictKubernetesParser();

    private static String deployment(String containerExtra) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: demo
                spec:
                  selector:
                    matchLabels: {app: demo}
                  template:
                    metadata:
                      labels: {app: demo}
                    spec:
                      containers:
                        - name: app
                          image: demo:1
                """ + containerExtra;
    }

    @Test
    void acceptsAWellFormedObjectAsItsTypedModel() {
        var parsed = parser.parse(deployment("""
                          readinessProbe:
                            httpGet: {path: /ready, port: 8080}
                """));

        assertThat(parsed).isInstanceOf(Deployment.class);
        assertThat(((Deployment) parsed).getSpec().getTemplate().getSpec().getContainers().getFirst()
                .getReadinessProbe().getHttpGet().getPath()).isEqualTo("/ready");
    }

    @Test
    void rejectsAMisspelledFieldWithItsPath() {
        assertThatThrownBy(() -> parser.parse(deployment("""
                          readinessprobe:
                            httpGet: {path: /ready, port: 8080}
                """)))
                .hasMessageContaining("unknown fields")
                .hasMessageContaining("containers[0]")
                .hasMessageContaining("readinessprobe");
    }

    @Test
    void rejectsAFieldNestedOneLevelTooDeep() {
        assertThatThrownBy(() -> parser.parse(deployment("""
                          resources:
                            requests: {cpu: 100m}
                            nvidia.com/gpu: 1
                """)))
                .hasMessageContaining("nvidia.com/gpu");
    }

    @Test
    void rejectsAnApiVersionWithoutAModel() {
        assertThatThrownBy(() -> parser.parse("""
                apiVersion: autoscaling/v9
                kind: HorizontalPodAutoscaler
                metadata: {name: demo}
                spec: {}
                """)).hasMessageContaining("has no typed model");
    }
}
