#!/usr/bin/env bash
# Runs every performance figure side by side on this machine and prints one table (bench/out/table.md) plus
# plots (docs/img/*.png). Usage: bench/run-all.sh [--quick]
#   Environment: LAYERS (decoder layers of the 2B-shaped model, default 28), VISION_DEPTH (default 32),
#   BATCHES (default 1,2,4,8,16), STEPS (decode steps per batch size, default 8).
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME/bin/java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -jar qwen2vl-core/target/qwen2vl-cli.jar"
LAYERS=${LAYERS:-28}; VISION_DEPTH=${VISION_DEPTH:-32}; BATCHES=${BATCHES:-1,2,4,8,16}; STEPS=${STEPS:-8}
if [[ "${1:-}" == "--quick" ]]; then LAYERS=6; VISION_DEPTH=2; STEPS=6; CONTEXT=32; fi
OUT=bench/out; mkdir -p "$OUT" docs/img
[[ -f qwen2vl-core/target/qwen2vl-cli.jar ]] || ./mvnw -B -q -o -pl qwen2vl-core -am package -DskipTests
python3 -c 'import PIL' 2>/dev/null || { apt-get install -y python3-pil >/dev/null; }
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2), load before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/machine.txt"
$JAVA bench-model --layers "$LAYERS" --prefill 128 --steps "$STEPS" --context "${CONTEXT:-64}" --batches "$BATCHES" 2>/dev/null | tee "$OUT/model.txt"
$JAVA bench-vision --side 448 --depth "$VISION_DEPTH" --runs 1 2>/dev/null | tee "$OUT/vision.txt"
$JAVA bench-preprocess --width 1920 --height 1080 --iterations 10 2>/dev/null | tee "$OUT/preprocess.json"
python3 bench/pillow_resize.py 10 | tee "$OUT/pillow.json"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine.txt"
python3 bench/report.py "$OUT" docs/img
