package io.vlsuite.deployment;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The CPU deployment: {@code helm template} with the chart's default values. */
class HelmDefaultValuesTest {

    private static RenderedChart chart;

    @BeforeAll
    static void render() {
        chart = RenderedChart.defaults();
    }

    @Test
    void rendersTheThreeServicesAndTheirSupportingObjects() {
        assertThat(chart.all(Deployment.class)).extracting(d -> d.getMetadata().getName())
                .containsExactlyInAnyOrder("vlsuite-gateway", "vlsuite-preprocess-service", "vlsuite-inference-service");
        assertThat(chart.ofKind("Service")).hasSize(3);
        assertThat(chart.ofKind("ConfigMap")).hasSize(3);
        // The generated webhook secret is a pre-install hook, which 'helm template' via helm-java does not list.
        assertThat(chart.ofKind("Secret")).extracting(o -> o.getMetadata().getName()).containsExactly("vlsuite");
        assertThat(chart.ofKind("ServiceAccount")).hasSize(1);
        assertThat(chart.ofKind("ScaledObject")).as("KEDA is off by default").isEmpty();
        assertThat(chart.ofKind("Ingress")).isEmpty();
    }

    @Test
    void everyContainerHasStartupLivenessAndReadinessProbesOnActuator() {
        List<Container> containers = chart.allContainers().toList();
        assertThat(containers).hasSize(3);
        for (Container c : containers) {
            assertThat(c.getLivenessProbe()).as(c.getName()).isNotNull();
            assertThat(c.getReadinessProbe()).as(c.getName()).isNotNull();
            assertThat(c.getStartupProbe()).as(c.getName()).isNotNull();
            assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
            assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
        }
    }

    @Test
    void noGpuIsRequestedInCpuMode() {
        assertThat(chart.yaml()).doesNotContain("nvidia.com/gpu").doesNotContain("tritonserver");
        assertThat(chart.allContainers()).allSatisfy(c -> {
            assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
            assertThat(c.getResources().getLimits()).containsKey("memory");
        });
        assertThat(chart.configFile("inference-service")).contains("engine: embedded");
    }

    @Test
    void containersRunAsNonRootWithReadOnlyRootAndNoCapabilities() {
        for (Deployment d : chart.all(Deployment.class)) {
            var pod = d.getSpec().getTemplate().getSpec();
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(d.getMetadata().getName()).isTrue();
            assertThat(pod.getAutomountServiceAccountToken()).isFalse();
            for (Container c : pod.getContainers()) {
                assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).as(c.getName()).isTrue();
                assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
                assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
                assertThat(c.getVolumeMounts()).as("writable /tmp for the JVM")
                        .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
            }
        }
    }

    @Test
    void disruptionBudgetsForEveryServiceAndAutoscalersForTheApiTier() {
        assertThat(chart.all(PodDisruptionBudget.class)).extracting(p -> p.getMetadata().getName())
                .containsExactlyInAnyOrder("vlsuite-gateway", "vlsuite-preprocess-service", "vlsuite-inference-service");
        List<HorizontalPodAutoscaler> hpas = chart.all(HorizontalPodAutoscaler.class);
        assertThat(hpas).extracting(h -> h.getSpec().getScaleTargetRef().getName())
                .containsExactlyInAnyOrder("vlsuite-gateway", "vlsuite-preprocess-service");
        // An HPA-managed Deployment must not pin replicas, or every upgrade resets the autoscaler's choice.
        assertThat(chart.deployment("gateway").getSpec().getReplicas()).isNull();
        assertThat(chart.deployment("preprocess-service").getSpec().getReplicas()).isNull();
        assertThat(chart.deployment("inference-service").getSpec().getReplicas()).isEqualTo(1);
        // PDB selectors must match the pods they protect.
        for (PodDisruptionBudget pdb : chart.all(PodDisruptionBudget.class)) {
            Deployment target = chart.all(Deployment.class).stream()
                    .filter(d -> d.getMetadata().getName().equals(pdb.getMetadata().getName())).findFirst().orElseThrow();
            assertThat(target.getSpec().getTemplate().getMetadata().getLabels())
                    .containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
        }
    }

    @Test
    void servicesAreWiredToEachOtherAndToTheExternalInfrastructure() {
        assertThat(chart.configFile("gateway"))
                .contains("preprocess-uri: http://vlsuite-preprocess-service:8081")
                .contains("api-keys-file: /etc/vlsuite/secrets/api-keys.yaml");
        for (String component : List.of("preprocess-service", "inference-service")) {
            assertThat(chart.configFile(component)).contains("bootstrap-servers: kafka:9092")
                    .contains("endpoint: http://minio:9000").contains("media: vlsuite-media");
        }
        // The demo model's pixel bounds (in the image) differ from Qwen2-VL's defaults: preprocess-service must use them.
        assertThat(chart.configFile("preprocess-service")).contains("model-dir: /models/tiny-trained");
        Container gateway = RenderedChart.container(chart.deployment("gateway"), "gateway");
        assertThat(gateway.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/etc/vlsuite/secrets"));
        assertThat(gateway.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("SPRING_CONFIG_ADDITIONAL_LOCATION");
            assertThat(e.getValue()).isEqualTo("optional:file:/etc/vlsuite/config/");
        });
    }

    @Test
    void webhookSecretComesFromTheSecretGeneratedAtInstallNotFromTheRegularOne() {
        // webhook-secret.yaml is a pre-install hook: created once, never re-rendered by upgrades, so every replica
        // and every receiver keep the same signing secret. (helm-java's template output leaves hooks out; lint
        // renders them.)
        Container preprocess = RenderedChart.container(chart.deployment("preprocess-service"), "preprocess-service");
        assertThat(preprocess.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("VLSUITE_WEBHOOK_SECRET");
            assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("vlsuite-webhook");
            assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("webhook-secret");
        });
        Secret main = chart.all(Secret.class).getFirst();
        assertThat(main.getData()).doesNotContainKey("webhook-secret");
        assertThat(decode(main.getData().get("api-keys.yaml")).trim()).as("no keys configured").isEqualTo("[]");
    }

    static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    static List<String> kinds(List<HasMetadata> objects) {
        return objects.stream().map(HasMetadata::getKind).toList();
    }
}
