package io.vlsuite.deployment;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static io.vlsuite.deployment.HelmDefaultValuesTest.decode;
import static io.vlsuite.deployment.RenderedChart.sets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Values a deployer changes: secrets, images, ingress, network policies, and values the chart must refuse. */
class HelmValuesVariationsTest {

    private static final String PLAINTEXT_KEY = "sk-plaintext-key-7f3a9c";

    @Test
    void apiKeysAreStoredOnlyAsSha256() {
        RenderedChart chart = RenderedChart.render(List.of(), sets(
                "gateway.apiKeys[0].key", PLAINTEXT_KEY, "gateway.apiKeys[0].tenant", "acme",
                "gateway.apiKeys[1].keySha256", "AB".repeat(32), "gateway.apiKeys[1].tenant", "beta",
                "gateway.apiKeys[1].revoked", true));

        Secret secret = chart.all(Secret.class).getFirst();
        String keysFile = decode(secret.getData().get("api-keys.yaml"));
        assertThat(keysFile).contains("key-sha256: " + sha256(PLAINTEXT_KEY)).contains("tenant: acme")
                .contains("key-sha256: " + "ab".repeat(32)).contains("revoked: true");
        assertThat(chart.yaml()).doesNotContain(PLAINTEXT_KEY);
    }

    @Test
    void anExistingSecretReplacesTheChartsSecretsAndNoDefaultCredentialIsRendered() {
        RenderedChart chart = RenderedChart.render(List.of(), sets(
                "secrets.existingSecret", "prod-vlsuite",
                "gateway.apiKeys[0].key", PLAINTEXT_KEY, "gateway.apiKeys[0].tenant", "acme"));

        assertThat(chart.ofKind("Secret")).isEmpty();
        assertThat(chart.yaml()).doesNotContain("vlsuite-minio-secret").doesNotContain(PLAINTEXT_KEY)
                .doesNotContain("whsec_");
        List<EnvVar> secretRefs = chart.allContainers().flatMap(c -> c.getEnv().stream())
                .filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null).toList();
        assertThat(secretRefs).extracting(EnvVar::getName).contains("VLSUITE_WEBHOOK_SECRET",
                "VLSUITE_MEDIASTORE_ACCESSKEY", "VLSUITE_MEDIASTORE_SECRETKEY");
        assertThat(secretRefs).allSatisfy(e -> assertThat(e.getValueFrom().getSecretKeyRef().getName())
                .isEqualTo("prod-vlsuite"));
        assertThat(chart.deployment("gateway").getSpec().getTemplate().getSpec().getVolumes())
                .anySatisfy(v -> assertThat(v.getSecret() == null ? null : v.getSecret().getSecretName())
                        .isEqualTo("prod-vlsuite"));
    }

    @Test
    void imagesComeFromTheConfiguredRegistryAndTags() {
        RenderedChart chart = RenderedChart.render(List.of(RepositoryFiles.gpuValues()), sets(
                "image.registry", "registry.example.com/ai", "image.tag", "1.2.3",
                "gateway.image.tag", "1.2.4", "inference.image.digest", "sha256:" + "0".repeat(64),
                "triton.image.tag", "25.12-trtllm-python-py3"));

        assertThat(image(chart.deployment("gateway"), "gateway")).isEqualTo("registry.example.com/ai/vlsuite/gateway:1.2.4");
        assertThat(image(chart.deployment("preprocess-service"), "preprocess-service"))
                .isEqualTo("registry.example.com/ai/vlsuite/preprocess-service:1.2.3");
        assertThat(image(chart.deployment("inference-service"), "inference-service"))
                .isEqualTo("registry.example.com/ai/vlsuite/inference-service@sha256:" + "0".repeat(64));
        assertThat(image(chart.deployment("inference-service"), "triton"))
                .isEqualTo("nvcr.io/nvidia/tritonserver:25.12-trtllm-python-py3");
    }

    @Test
    void defaultImageTagIsTheChartsAppVersion() {
        assertThat(image(RenderedChart.defaults().deployment("gateway"), "gateway")).isEqualTo("vlsuite/gateway:0.1.0");
    }

    @Test
    void ingressRoutesToTheGatewayAndNetworkPoliciesFenceTheInternalServices() {
        RenderedChart chart = RenderedChart.render(List.of(RepositoryFiles.gpuValues()), sets(
                "ingress.enabled", true, "ingress.className", "nginx", "ingress.hosts[0].host", "api.example.com",
                "ingress.hosts[0].paths[0].path", "/", "ingress.hosts[0].paths[0].pathType", "Prefix",
                "networkPolicy.enabled", true, "triton.mode", "service"));

        Ingress ingress = chart.all(Ingress.class).getFirst();
        assertThat(ingress.getSpec().getRules().getFirst().getHost()).isEqualTo("api.example.com");
        assertThat(ingress.getSpec().getRules().getFirst().getHttp().getPaths().getFirst().getBackend().getService()
                .getName()).isEqualTo("vlsuite-gateway");

        NetworkPolicy preprocess = chart.named(NetworkPolicy.class, "preprocess-service");
        assertThat(preprocess.getSpec().getIngress().getFirst().getFrom().getFirst().getPodSelector().getMatchLabels())
                .containsEntry("app.kubernetes.io/component", "gateway");
        NetworkPolicy triton = chart.named(NetworkPolicy.class, "triton");
        assertThat(triton.getSpec().getIngress().getFirst().getFrom().getFirst().getPodSelector().getMatchLabels())
                .containsEntry("app.kubernetes.io/component", "inference-service");
        assertThat(chart.all(NetworkPolicy.class)).hasSize(4);
    }

    @Test
    void userConfigIsMergedOverTheChartsSettings() {
        RenderedChart chart = RenderedChart.render(List.of(), sets(
                "kafka.bootstrapServers", "my-cluster-kafka-bootstrap.kafka.svc:9093",
                "kafka.properties.security\\.protocol", "SSL",
                "gateway.config.vlsuite.gateway.rate-limit.burst", 50,
                "inference.config.vlsuite.inference.worker.capacity", 4));

        assertThat(chart.configFile("preprocess-service"))
                .contains("bootstrap-servers: my-cluster-kafka-bootstrap.kafka.svc:9093").contains("security.protocol: SSL");
        assertThat(chart.configFile("gateway")).contains("burst: 50").contains("preprocess-uri:");
        assertThat(chart.configFile("inference-service")).contains("capacity: 4").contains("engine: embedded");
    }

    @Test
    void autoscalersCanAlsoTargetMemoryAndCanBeSwitchedOff() {
        RenderedChart chart = RenderedChart.render(List.of(), sets(
                "gateway.autoscaling.targetMemoryUtilizationPercentage", 80,
                "preprocess.autoscaling.enabled", false, "preprocess.replicaCount", 3));

        HorizontalPodAutoscaler gateway = chart.named(HorizontalPodAutoscaler.class, "gateway");
        assertThat(gateway.getSpec().getMetrics()).extracting(m -> m.getResource().getName())
                .containsExactly("cpu", "memory");
        assertThat(chart.all(HorizontalPodAutoscaler.class)).hasSize(1);
        assertThat(chart.deployment("preprocess-service").getSpec().getReplicas()).isEqualTo(3);
    }

    @Test
    void refusesValuesTheTemplatesCannotHonour() {
        assertThatThrownBy(() -> RenderedChart.render(List.of(), Map.of("inference.engine", "gpu")))
                .hasMessageContaining("inference.engine must be embedded or triton");
        assertThatThrownBy(() -> RenderedChart.render(List.of(), Map.of("inference.engine", "triton")))
                .as("Triton without an engines volume cannot start")
                .hasMessageContaining("triton.engines.existingClaim");
        assertThatThrownBy(() -> RenderedChart.render(List.of(), sets("gateway.apiKeys[0].key", "k")))
                .hasMessageContaining("gateway.apiKeys[0].tenant is required");
    }

    private static String image(Deployment deployment, String container) {
        Container c = RenderedChart.container(deployment, container);
        return c.getImage();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
