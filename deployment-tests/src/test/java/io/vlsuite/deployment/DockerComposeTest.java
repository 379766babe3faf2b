package io.vlsuite.deployment;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * docker-compose.yml: valid for the Compose CLI in every profile, every long-running service health-checked, and
 * the gpu profile's Triton reserving a GPU and the workers pointed at it.
 */
class DockerComposeTest {

    private static Map<String, Map<String, Object>> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void parse() throws IOException {
        // SnakeYAML resolves the file's anchors and merge keys (<<: *service-env) as Compose does.
        Map<String, Object> compose = new Yaml().load(Files.readString(RepositoryFiles.root().resolve("docker-compose.yml")));
        services = (Map<String, Map<String, Object>>) compose.get("services");
    }

    @ParameterizedTest(name = "docker-compose {0} config -q")
    @ValueSource(strings = {"", "--profile redis", "--profile gpu", "--profile engine-server"})
    void composeCliAcceptsTheFileInEveryProfile(String profile) throws Exception {
        Path binary = onPath("docker-compose");
        assumeTrue(binary != null, "docker-compose is not installed (.ci/run installs it)");
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        if (!profile.isEmpty()) {
            command.addAll(List.of(profile.split(" ")));
        }
        command.addAll(List.of("config", "-q"));
        Process process = new ProcessBuilder(command).directory(RepositoryFiles.root().toFile())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("%s: %s", command, output).isZero();
    }

    @Test
    void everyLongRunningServiceHasAHealthCheck() {
        services.forEach((name, service) -> {
            if (isOneShot(service)) {
                return;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> health = (Map<String, Object>) service.get("healthcheck");
            assertThat(health).as(name).isNotNull().containsKey("test");
        });
        assertThat(services).containsKeys("kafka", "minio", "gateway", "preprocess-service", "inference-service",
                "triton", "inference-service-gpu", "engine-server");
    }

    @Test
    void servicesWaitOnlyForConditionsTheirDependenciesCanReach() {
        services.forEach((name, service) -> {
            if (service.get("depends_on") instanceof Map<?, ?> dependsOn) {
                dependsOn.forEach((dependency, spec) -> {
                    String condition = (String) ((Map<?, ?>) spec).get("condition");
                    Map<String, Object> target = services.get((String) dependency);
                    assertThat(target).as(name + " depends on " + dependency).isNotNull();
                    if ("service_healthy".equals(condition)) {
                        assertThat(target).as(dependency + " must have a health check").containsKey("healthcheck");
                    } else {
                        assertThat(condition).as(name + " -> " + dependency).isEqualTo("service_completed_successfully");
                        assertThat(isOneShot(target)).isTrue();
                    }
                });
            }
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void gpuProfileRunsTritonWithTensorRtLlmOnAReservedGpu() {
        Map<String, Object> triton = services.get("triton");
        assertThat((List<String>) triton.get("profiles")).containsExactly("gpu");
        assertThat((String) triton.get("image")).startsWith("nvcr.io/nvidia/tritonserver:").endsWith("-trtllm-python-py3");

        Map<String, Object> deploy = (Map<String, Object>) triton.get("deploy");
        Map<String, Object> reservations = (Map<String, Object>) ((Map<String, Object>) deploy.get("resources")).get("reservations");
        List<Map<String, Object>> devices = (List<Map<String, Object>>) reservations.get("devices");
        assertThat(devices).singleElement().satisfies(d -> {
            assertThat((List<String>) d.get("capabilities")).contains("gpu");
            assertThat(d).containsEntry("driver", "nvidia");
        });

        List<String> healthTest = (List<String>) ((Map<String, Object>) triton.get("healthcheck")).get("test");
        assertThat(String.join(" ", healthTest)).contains("127.0.0.1:8000/v2/health/ready");
        assertThat((List<String>) triton.get("volumes")).anyMatch(v -> v.endsWith(":/engines:ro"));
        assertThat(String.join(" ", (List<String>) triton.get("command")))
                .contains("--model-repository=/engines/triton_model_repo");
    }

    @Test
    @SuppressWarnings("unchecked")
    void gpuWorkersUseTheTritonEngineOverGrpcAndWaitForIt() {
        Map<String, Object> worker = services.get("inference-service-gpu");
        assertThat((List<String>) worker.get("profiles")).containsExactly("gpu");
        Map<String, Object> env = (Map<String, Object>) worker.get("environment");
        assertThat(env).containsEntry("VLSUITE_INFERENCE_ENGINE", "triton")
                .containsEntry("VLSUITE_INFERENCE_TRITON_ENDPOINTS", "triton:8001")
                // merged from the shared block: the GPU worker still needs Kafka and S3
                .containsEntry("VLSUITE_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092");
        assertThat((Map<String, Object>) worker.get("depends_on")).containsKey("triton");
        assertThat(services.get("inference-service")).doesNotContainKey("profiles");
    }

    @Test
    @SuppressWarnings("unchecked")
    void engineServerProfileServesTheJavaEngineOverTheSameProtocol() {
        Map<String, Object> server = (Map<String, Object>) services.get("engine-server").get("environment");
        assertThat(server).containsEntry("VLSUITE_INFERENCE_ENGINESERVER_ENABLED", "true")
                .containsEntry("VLSUITE_INFERENCE_WORKER_ENABLED", "false");
        Map<String, Object> worker = (Map<String, Object>) services.get("inference-service-grpc").get("environment");
        assertThat(worker).containsEntry("VLSUITE_INFERENCE_ENGINE", "triton")
                .containsEntry("VLSUITE_INFERENCE_TRITON_ENDPOINTS", "engine-server:8001");
    }

    /** A job that runs to completion (topic creation), not a service that should stay up. */
    private static boolean isOneShot(Map<String, Object> service) {
        return "no".equals(String.valueOf(service.get("restart")))
                && services.values().stream().anyMatch(other -> other.get("depends_on") instanceof Map<?, ?> deps
                && deps.values().stream().anyMatch(spec -> spec instanceof Map<?, ?> m
                && "service_completed_successfully".equals(m.get("condition"))));
    }

    private static Path onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
