#!/usr/bin/env bash
# Builds and runs the JMH encryption benchmark, single-threaded. Extra arguments go to JMH,
# e.g. bench/run.sh -p shape=3x32x32 -p k=4   (about 8 minutes for the full matrix on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -pl bench -am package -DskipTests
export OMP_NUM_THREADS=1
exec java -jar bench/target/benchmarks.jar EncryptionBenchmark -rf json -rff bench/target/jmh-result.json "$@"
