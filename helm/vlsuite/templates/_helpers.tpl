{{/* Chart name, truncated to the 63 characters DNS labels allow. */}}
{{- define "vlsuite.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Prefix of every resource name. */}}
{{- define "vlsuite.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Name of one component's resources: <fullname>-<component>. Call with (dict "root" $ "component" "gateway"). */}}
{{- define "vlsuite.componentName" -}}
{{- printf "%s-%s" (include "vlsuite.fullname" .root) .component | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "vlsuite.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "vlsuite.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: vlsuite
{{- end }}

{{/* Selector labels of one component. Call with (dict "root" $ "component" "gateway"). */}}
{{- define "vlsuite.selectorLabels" -}}
app.kubernetes.io/name: {{ include "vlsuite.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "vlsuite.componentLabels" -}}
{{ include "vlsuite.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "vlsuite.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "vlsuite.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The Secret with API keys, webhook secret and S3 credentials: an existing one or the chart's. */}}
{{- define "vlsuite.secretName" -}}
{{- if .Values.secrets.existingSecret }}
{{- .Values.secrets.existingSecret }}
{{- else }}
{{- include "vlsuite.fullname" . }}
{{- end }}
{{- end }}

{{/* The Secret holding the webhook signing secret: the given one, or the generated one (webhook-secret.yaml). */}}
{{- define "vlsuite.webhookSecretName" -}}
{{- if or .Values.secrets.existingSecret .Values.preprocess.webhookSecret }}
{{- include "vlsuite.secretName" . }}
{{- else }}
{{- printf "%s-webhook" (include "vlsuite.fullname" .) }}
{{- end }}
{{- end }}

{{/* Image reference of a vlsuite component. Call with (dict "root" $ "image" .Values.gateway.image). */}}
{{- define "vlsuite.image" -}}
{{- $registry := .root.Values.image.registry }}
{{- $repo := .image.repository }}
{{- if $registry }}{{ $repo = printf "%s/%s" $registry $repo }}{{ end }}
{{- if .image.digest }}
{{- printf "%s@%s" $repo .image.digest }}
{{- else }}
{{- printf "%s:%s" $repo (.image.tag | default .root.Values.image.tag | default .root.Chart.AppVersion) }}
{{- end }}
{{- end }}

{{/* Triton image (not prefixed with image.registry: it comes from NGC unless overridden). */}}
{{- define "vlsuite.tritonImage" -}}
{{- $img := .Values.triton.image }}
{{- if $img.digest }}
{{- printf "%s@%s" $img.repository $img.digest }}
{{- else }}
{{- printf "%s:%s" $img.repository $img.tag }}
{{- end }}
{{- end }}

{{/* Environment common to the three services. */}}
{{- define "vlsuite.commonEnv" -}}
- name: JAVA_TOOL_OPTIONS
  value: {{ .Values.javaToolOptions | quote }}
- name: SPRING_CONFIG_ADDITIONAL_LOCATION
  value: optional:file:/etc/vlsuite/config/
- name: VLSUITE_LOG_FORMAT
  value: {{ .Values.logFormat | quote }}
{{- end }}

{{/* S3 credentials from the Secret (preprocess-service and inference-service). */}}
{{- define "vlsuite.s3Env" -}}
- name: VLSUITE_MEDIASTORE_ACCESSKEY
  valueFrom:
    secretKeyRef:
      name: {{ include "vlsuite.secretName" . }}
      key: {{ .Values.secrets.keys.s3AccessKey }}
- name: VLSUITE_MEDIASTORE_SECRETKEY
  valueFrom:
    secretKeyRef:
      name: {{ include "vlsuite.secretName" . }}
      key: {{ .Values.secrets.keys.s3SecretKey }}
{{- end }}

{{/* Spring Kafka settings shared by the services' config files. */}}
{{- define "vlsuite.kafkaConfig" -}}
{{- $kafka := dict "bootstrap-servers" .Values.kafka.bootstrapServers }}
{{- if .Values.kafka.properties }}{{ $_ := set $kafka "properties" .Values.kafka.properties }}{{ end }}
{{- toYaml (dict "kafka" $kafka) }}
{{- end }}

{{- define "vlsuite.mediaStoreConfig" -}}
endpoint: {{ .Values.mediaStore.endpoint | quote }}
region: {{ .Values.mediaStore.region | quote }}
buckets:
  media: {{ .Values.mediaStore.buckets.media | quote }}
  jobs: {{ .Values.mediaStore.buckets.jobs | quote }}
{{- end }}

{{/* Actuator probes of a Spring Boot container. Call with (dict "port" "http" "startupSeconds" 120). */}}
{{- define "vlsuite.springProbes" -}}
startupProbe:
  httpGet:
    path: /actuator/health/liveness
    port: {{ .port }}
  periodSeconds: 5
  failureThreshold: {{ div .startupSeconds 5 }}
livenessProbe:
  httpGet:
    path: /actuator/health/liveness
    port: {{ .port }}
  periodSeconds: 10
  timeoutSeconds: 3
  failureThreshold: 3
readinessProbe:
  httpGet:
    path: /actuator/health/readiness
    port: {{ .port }}
  periodSeconds: 5
  timeoutSeconds: 3
  failureThreshold: 3
{{- end }}

{{/* Writable scratch space for a read-only root file system. */}}
{{- define "vlsuite.tmpVolumeMount" -}}
- name: tmp
  mountPath: /tmp
- name: config
  mountPath: /etc/vlsuite/config
  readOnly: true
{{- end }}

{{/* The Triton container (sidecar in the worker pod, or its own Deployment). */}}
{{- define "vlsuite.tritonContainer" -}}
{{- $t := .Values.triton }}
- name: triton
  image: {{ include "vlsuite.tritonImage" . }}
  imagePullPolicy: {{ .Values.image.pullPolicy }}
  {{- if $t.command }}
  command:
    {{- toYaml $t.command | nindent 4 }}
  {{- else }}
  command: ["/bin/bash", "-c"]
  args:
    - |
      set -euo pipefail
      # One tritonserver per tensor-parallel rank under MPI (as tensorrtllm_backend's launch_triton_server.py
      # does); ranks > 0 load only the TensorRT-LLM models, rank 0 also the pre/post-processing and encoders.
      WORLD={{ $t.worldSize | int }}
      COMMON="--model-repository={{ $t.modelRepository }} --grpc-port=8001 --http-port=8000 --metrics-port=8002 --disable-auto-complete-config"
      if [ "$WORLD" -eq 1 ]; then
        exec tritonserver $COMMON --backend-config=python,shm-region-prefix-name=prefix0_ {{ join " " $t.extraArgs }}
      fi
      CMD="mpirun --allow-run-as-root"
      for i in $(seq 0 $((WORLD - 1))); do
        [ "$i" -gt 0 ] && CMD="$CMD :"
        CMD="$CMD -n 1 tritonserver $COMMON --backend-config=python,shm-region-prefix-name=prefix${i}_"
        if [ "$i" -eq 0 ]; then
          CMD="$CMD {{ join " " $t.extraArgs }}"
        else
          CMD="$CMD --model-control-mode=explicit"
          for m in $(echo "{{ $t.tensorrtLlmModelNames }}" | tr ',' ' '); do CMD="$CMD --load-model=$m"; done
        fi
      done
      exec $CMD
  {{- end }}
  ports:
    - name: triton-http
      containerPort: 8000
    - name: triton-grpc
      containerPort: 8001
    - name: triton-metrics
      containerPort: 8002
  startupProbe:
    httpGet:
      path: /v2/health/ready
      port: triton-http
    periodSeconds: 10
    failureThreshold: {{ div ($t.startupSeconds | int) 10 }}
  livenessProbe:
    httpGet:
      path: /v2/health/live
      port: triton-http
    periodSeconds: 10
    timeoutSeconds: 5
    failureThreshold: 3
  readinessProbe:
    httpGet:
      path: /v2/health/ready
      port: triton-http
    periodSeconds: 5
    timeoutSeconds: 3
    failureThreshold: 3
  securityContext:
    {{- toYaml $t.securityContext | nindent 4 }}
  resources:
    requests:
      {{- with $t.resources.requests }}{{ toYaml . | nindent 6 }}{{ end }}
      {{ $t.gpu.resourceName }}: {{ $t.gpu.count }}
    limits:
      {{- with $t.resources.limits }}{{ toYaml . | nindent 6 }}{{ end }}
      {{ $t.gpu.resourceName }}: {{ $t.gpu.count }}
  volumeMounts:
    - name: engines
      mountPath: {{ $t.engines.mountPath }}
      readOnly: true
    - name: dshm
      mountPath: /dev/shm
{{- end }}

{{/* Volumes the Triton container needs. */}}
{{- define "vlsuite.tritonVolumes" -}}
- name: engines
  persistentVolumeClaim:
    claimName: {{ required "triton.engines.existingClaim must name the PVC holding the engines and the Triton model repository" .Values.triton.engines.existingClaim }}
    readOnly: true
- name: dshm
  emptyDir:
    medium: Memory
    sizeLimit: {{ .Values.triton.shmSize }}
{{- end }}

{{/* Stops rendering on settings the templates cannot honour. */}}
{{- define "vlsuite.validate" -}}
{{- if not (has .Values.inference.engine (list "embedded" "triton")) }}
{{- fail (printf "inference.engine must be embedded or triton, not %q" .Values.inference.engine) }}
{{- end }}
{{- if not (has .Values.triton.mode (list "sidecar" "service")) }}
{{- fail (printf "triton.mode must be sidecar or service, not %q" .Values.triton.mode) }}
{{- end }}
{{- if not (has .Values.triton.profile (list "ensemble" "pytorch")) }}
{{- fail (printf "triton.profile must be ensemble or pytorch, not %q" .Values.triton.profile) }}
{{- end }}
{{- if lt (int .Values.triton.worldSize) 1 }}
{{- fail "triton.worldSize must be at least 1" }}
{{- end }}
{{- end }}

{{/* Whether Triton runs (GPU mode) and how. */}}
{{- define "vlsuite.tritonSidecar" -}}
{{- if and (eq .Values.inference.engine "triton") (eq .Values.triton.mode "sidecar") }}true{{ end }}
{{- end }}
{{- define "vlsuite.tritonService" -}}
{{- if and (eq .Values.inference.engine "triton") (eq .Values.triton.mode "service") }}true{{ end }}
{{- end }}
