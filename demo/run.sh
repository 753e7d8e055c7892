#!/usr/bin/env bash
# The quick start: builds what it needs, fetches the datasets (by package name and checksum), then
# runs the InstaHide job on an embedded Kafka broker and a local Flink cluster with live progress.
#   demo/run.sh --help    for options; any job option (e.g. --instahide.k 4) is passed through.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/fetch-datasets.sh
if [ ! -f demo/target/classpath.txt ] || [ -n "$(find schemas core embedded-kafka connectors job demo pom.xml \
     -newer demo/target/classpath.txt \( -name '*.java' -o -name '*.avsc' -o -name 'pom.xml' -o -name '*.properties' \) \
     -not -path '*/target/*' -print -quit)" ]; then
  echo "demo: building (the first build downloads dependencies from Maven Central: a few minutes) ..."
  ./mvnw -q -B -ntp install -DskipTests -pl demo -am
  touch demo/target/classpath.txt
fi
mkdir -p demo-output
exec java -Xmx3g -XX:+UseG1GC -Djava.awt.headless=true \
  -Dorg.bytedeco.javacpp.cachedir="$PWD/.cache/javacpp" \
  -cp "demo/target/classes:$(cat demo/target/classpath.txt)" \
  io.instahide.demo.EmbeddedDemo "$@"
