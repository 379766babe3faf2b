package io.vlsuite.deployment;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The GPU deployment: {@code helm template -f values-gpu.yaml} (Triton + TensorRT-LLM as a worker sidecar). */
class HelmGpuValuesTest {

    private static final String GPU = "nvidia.com/gpu";
    private static RenderedChart chart;

    @BeforeAll
    static void render() {
        chart = RenderedChart.gpu(Map.of());
    }

    @Test
    void tritonRunsBesideTheWorkerWithTheGpuRequestedAndLimited() {
        Deployment workers = chart.deployment("inference-service");
        Container triton = RenderedChart.container(workers, "triton");
        assertThat(triton.getImage()).matches("nvcr\\.io/nvidia/tritonserver:[0-9.]+-trtllm-python-py3");
        assertThat(triton.getResources().getRequests()).containsEntry(GPU, new Quantity("1"));
        assertThat(triton.getResources().getLimits()).containsEntry(GPU, new Quantity("1"));
        assertThat(triton.getPorts()).extracting(p -> p.getContainerPort()).containsExactly(8000, 8001, 8002);
        assertThat(triton.getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getMountPath()).isEqualTo("/engines");
            assertThat(m.getReadOnly()).isTrue();
        }).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/dev/shm"));
        assertThat(String.join(" ", triton.getArgs()))
                .contains("--model-repository=/engines/triton_model_repo")
                .contains("--cuda-memory-pool-byte-size=0:300000000");

        PodSpec pod = workers.getSpec().getTemplate().getSpec();
        assertThat(pod.getVolumes()).anySatisfy(v -> {
            assertThat(v.getName()).isEqualTo("engines");
            assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("vlsuite-engines");
        });
        assertThat(pod.getNodeSelector()).containsEntry("nvidia.com/gpu.present", "true");
        assertThat(pod.getTolerations()).anySatisfy(t -> assertThat(t.getKey()).isEqualTo(GPU));
    }

    @Test
    void onlyTheTritonContainerHoldsAGpu() {
        List<Container> withGpu = chart.allContainers()
                .filter(c -> c.getResources().getLimits() != null && c.getResources().getLimits().containsKey(GPU))
                .toList();
        assertThat(withGpu).extracting(Container::getName).containsExactly("triton");
        assertThat(chart.deployment("gateway").getSpec().getTemplate().getSpec().getNodeSelector()).isNullOrEmpty();
    }

    @Test
    void tritonIsProbedOnItsHealthEndpoints() {
        Container triton = RenderedChart.container(chart.deployment("inference-service"), "triton");
        assertThat(triton.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/v2/health/ready");
        assertThat(triton.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/v2/health/live");
        // Loading engines takes minutes: the startup probe must allow it before liveness can kill the pod.
        int startupSeconds = triton.getStartupProbe().getPeriodSeconds() * triton.getStartupProbe().getFailureThreshold();
        assertThat(startupSeconds).isGreaterThanOrEqualTo(600);
        assertThat(chart.allContainers()).allSatisfy(c -> {
            assertThat(c.getReadinessProbe()).as(c.getName()).isNotNull();
            assertThat(c.getLivenessProbe()).as(c.getName()).isNotNull();
        });
    }

    @Test
    void workersUseTheTritonEngineOnLocalhostAndTheMountedTokenizer() {
        String config = chart.configFile("inference-service");
        assertThat(config).contains("engine: triton").contains("- localhost:8001").contains("profile: ensemble")
                .contains("model-name: ensemble").contains("model-dir: /engines/Qwen2-VL-7B-Instruct");
        assertThat(chart.configFile("preprocess-service")).contains("model-id: Qwen/Qwen2-VL-7B-Instruct")
                .contains("model-dir: /engines/Qwen2-VL-7B-Instruct");
        // preprocess-service resizes images with the checkpoint's preprocessor_config.json: it mounts the folder too.
        assertThat(RenderedChart.container(chart.deployment("preprocess-service"), "preprocess-service").getVolumeMounts())
                .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/engines"));
    }

    @Test
    void kedaScalesWorkersOnTheLagOfBothJobTopics() {
        GenericKubernetesResource scaled = (GenericKubernetesResource) chart.ofKind("ScaledObject").getFirst();
        assertThat(scaled.getApiVersion()).isEqualTo("keda.sh/v1alpha1");
        assertThat((String) scaled.get("spec", "scaleTargetRef", "name")).isEqualTo("vlsuite-inference-service");
        List<Map<String, Object>> triggers = scaled.get("spec", "triggers");
        assertThat(triggers).extracting(t -> t.get("type")).containsOnly("kafka");
        assertThat(triggers).extracting(t -> (Object) ((Map<?, ?>) t.get("metadata")).get("topic"))
                .containsExactlyInAnyOrder("vlsuite.jobs.interactive", "vlsuite.jobs.batch");
        assertThat(triggers).allSatisfy(t -> assertThat((Map<String, Object>) t.get("metadata"))
                .containsEntry("consumerGroup", "vlsuite-inference").containsEntry("lagThreshold", "32"));
        // KEDA owns the replica count.
        assertThat(chart.deployment("inference-service").getSpec().getReplicas()).isNull();
    }

    @Test
    void serviceModeRunsTritonAsItsOwnDeploymentThatCpuWorkersReachOverTheNetwork() {
        RenderedChart service = RenderedChart.gpu(Map.of("triton.mode", "service", "triton.replicaCount", 2));

        Deployment triton = service.deployment("triton");
        assertThat(triton.getSpec().getReplicas()).isEqualTo(2);
        assertThat(RenderedChart.container(triton, "triton").getResources().getLimits()).containsKey(GPU);
        assertThat(triton.getSpec().getTemplate().getSpec().getTolerations()).isNotEmpty();
        assertThat(service.named(io.fabric8.kubernetes.api.model.Service.class, "triton").getSpec().getPorts())
                .anySatisfy(p -> assertThat(p.getPort()).isEqualTo(8001));
        assertThat(service.named(PodDisruptionBudget.class, "triton")).isNotNull();

        PodSpec workers = service.deployment("inference-service").getSpec().getTemplate().getSpec();
        assertThat(workers.getContainers()).extracting(Container::getName).containsExactly("inference-service");
        assertThat(workers.getNodeSelector()).as("CPU workers need no GPU node").isNullOrEmpty();
        assertThat(service.configFile("inference-service")).contains("- vlsuite-triton:8001");
    }

    @Test
    void tensorParallelServersStartOneTritonRankPerGpuUnderMpi() {
        RenderedChart tp4 = RenderedChart.gpu(Map.of("triton.worldSize", 4, "triton.gpu.count", 4));

        Container triton = RenderedChart.container(tp4.deployment("inference-service"), "triton");
        assertThat(triton.getResources().getLimits()).containsEntry(GPU, new Quantity("4"));
        assertThat(String.join(" ", triton.getArgs())).contains("WORLD=4").contains("mpirun --allow-run-as-root")
                .contains("--load-model=$m");
    }
}
