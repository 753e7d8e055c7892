#!/usr/bin/env bash
# Builds a module when the sources changed, then runs one of its main classes on the module's
# runtime class path. Used by demo/run.sh, demo/throughput.sh and the ingest tools.
#   scripts/launch.sh <module> <main class> [args...]     (INSTAHIDE_LOG: log file, optional)
set -euo pipefail
cd "$(dirname "$0")/.."
module="$1"; main="$2"; shift 2
stamp="$module/target/classpath.txt"
if [ ! -f "$stamp" ] || [ -n "$(find schemas core clients nd4j gpu embedded-kafka ingest trainer connectors job demo audit pom.xml \
     -newer "$stamp" \( -name '*.java' -o -name '*.avsc' -o -name 'pom.xml' -o -name '*.properties' \) \
     -not -path '*/target/*' -print -quit)" ]; then
  echo "Building $module (the first build downloads dependencies from Maven Central: a few minutes) ..." >&2
  ./mvnw -q -B -ntp install -DskipTests -DskipITs -Dgpu.bundle.skip=true -pl "$module" -am
  touch "$stamp"
fi
log=()
[ -n "${INSTAHIDE_LOG:-}" ] && mkdir -p "$(dirname "$INSTAHIDE_LOG")" && log=(-Dinstahide.demo.log="$INSTAHIDE_LOG")
# --add-modules jdk.incubator.vector: the SIMD mixing kernel (MixKernels); -Dinstahide.kernel=scalar
# in JAVA_TOOL_OPTIONS turns it off.
exec java -Xmx3g -XX:+UseG1GC -Djava.awt.headless=true --add-modules jdk.incubator.vector "${log[@]}" \
  -Dorg.bytedeco.javacpp.cachedir="$PWD/.cache/javacpp" \
  -cp "$module/target/classes:$(cat "$stamp")" \
  "$main" "$@"
