# syntax=docker/dockerfile:1
# One build, three service images:
#   docker build --target gateway -t vlsuite/gateway .
#   docker build --target preprocess-service -t vlsuite/preprocess-service .
#   docker build --target inference-service -t vlsuite/inference-service .
# (docker compose builds all three from docker-compose.yml.)

FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
COPY contracts/pom.xml contracts/
COPY qwen2vl-core/pom.xml qwen2vl-core/
COPY media-store/pom.xml media-store/
COPY embedded-infra/pom.xml embedded-infra/
COPY service-support/pom.xml service-support/
COPY preprocess-service/pom.xml preprocess-service/
COPY inference-service/pom.xml inference-service/
COPY gateway/pom.xml gateway/
COPY launcher/pom.xml launcher/
COPY reliability-tests/pom.xml reliability-tests/
COPY examples/pom.xml examples/
COPY deployment-tests/pom.xml deployment-tests/
# Dependencies in their own layer: source edits do not download the internet again.
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q dependency:go-offline -pl gateway,preprocess-service,inference-service -am || true
COPY . .
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q -DskipTests package -pl gateway,preprocess-service,inference-service -am \
 && mkdir /out \
 && cp gateway/target/gateway-*-exec.jar /out/gateway.jar \
 && cp preprocess-service/target/preprocess-service-*-exec.jar /out/preprocess-service.jar \
 && cp inference-service/target/inference-service-*-exec.jar /out/inference-service.jar

FROM eclipse-temurin:25-jre AS runtime
# curl serves the HEALTHCHECKs. A fixed uid and gid (10001) match the Helm chart's runAsUser/runAsGroup/fsGroup.
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 vlsuite \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin vlsuite
WORKDIR /app
USER 10001:10001
# -Djava.io.tmpdir and the JavaCPP cache point at /tmp so that containers can run with a read-only root file
# system and a writable /tmp (the Helm chart mounts an emptyDir there).
ENV JAVA_TOOL_OPTIONS="--add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:MaxRAMPercentage=75 -Djava.io.tmpdir=/tmp -Dorg.bytedeco.javacpp.cachedir=/tmp/javacpp"

FROM runtime AS gateway
COPY --from=build /out/gateway.jar app.jar
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s CMD curl -fsS http://127.0.0.1:8080/actuator/health/liveness || exit 1
ENTRYPOINT ["java", "-jar", "app.jar"]

FROM runtime AS preprocess-service
COPY --from=build /out/preprocess-service.jar app.jar
# Images are resized with the served model's preprocessor_config.json (pixel bounds); the demo model's bounds differ
# from Qwen2-VL's published defaults, which apply when the file is missing. Mount a real checkpoint's folder and
# set VLSUITE_PREPROCESS_MEDIA_MODELDIR to serve it.
COPY models/tiny-trained/preprocessor_config.json /models/tiny-trained/preprocessor_config.json
ENV VLSUITE_PREPROCESS_MEDIA_MODELDIR=/models/tiny-trained
EXPOSE 8081
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s CMD curl -fsS http://127.0.0.1:8081/actuator/health/readiness || exit 1
ENTRYPOINT ["java", "-jar", "app.jar"]

FROM runtime AS inference-service
COPY --from=build /out/inference-service.jar app.jar
# The bundled demo model; mount a real checkpoint at /models/<name> and set VLSUITE_MODEL_DIR to serve it.
# Owned by root and read-only for the service user: the model is never written.
COPY models/tiny-trained /models/tiny-trained
ENV VLSUITE_MODEL_DIR=/models/tiny-trained
# 8082: actuator; 8001: the engine server (Triton's gRPC protocol) when vlsuite.inference.engine-server.enabled=true.
EXPOSE 8082 8001
HEALTHCHECK --interval=10s --timeout=3s --start-period=120s CMD curl -fsS http://127.0.0.1:8082/actuator/health/readiness || exit 1
ENTRYPOINT ["java", "-jar", "app.jar"]
