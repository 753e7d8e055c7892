#!/usr/bin/env bash
# Builds the demo module when its sources changed, fetches the datasets, and runs a main class of
# it on the module's runtime class path. Used by demo/run.sh and demo/throughput.sh.
#   demo/launch.sh <main class> <log file> [args...]
set -euo pipefail
cd "$(dirname "$0")/.."
main="$1"; log="$2"; shift 2
scripts/fetch-datasets.sh
if [ ! -f demo/target/classpath.txt ] || [ -n "$(find schemas core embedded-kafka connectors job demo pom.xml \
     -newer demo/target/classpath.txt \( -name '*.java' -o -name '*.avsc' -o -name 'pom.xml' -o -name '*.properties' \) \
     -not -path '*/target/*' -print -quit)" ]; then
  echo "Building (the first build downloads dependencies from Maven Central: a few minutes) ..."
  ./mvnw -q -B -ntp install -DskipTests -pl demo -am
  touch demo/target/classpath.txt
fi
mkdir -p demo-output
exec java -Xmx3g -XX:+UseG1GC -Djava.awt.headless=true -Dinstahide.demo.log="$log" \
  -Dorg.bytedeco.javacpp.cachedir="$PWD/.cache/javacpp" \
  -cp "demo/target/classes:$(cat demo/target/classpath.txt)" \
  "$main" "$@"
