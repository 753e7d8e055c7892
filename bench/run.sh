#!/usr/bin/env bash
# Builds and runs a JMH benchmark, single-threaded: EncryptionBenchmark (the default; about 8
# minutes for the full matrix on 2 cores), or as the first argument RecordCodecBenchmark (about 2
# minutes), ImageLayoutBenchmark, or PoolSnapshotBenchmark (the public pool's checkpoint write
# through Flink's operator-state backend, about 2 minutes). Further arguments go to JMH, e.g.
#   bench/run.sh -p shape=3x32x32 -p k=4
#   bench/run.sh RecordCodecBenchmark -p shape=3x32x32
set -euo pipefail
cd "$(dirname "$0")/.."
benchmark=EncryptionBenchmark
if [[ $# -gt 0 && $1 != -* ]]; then
    benchmark=$1
    shift
fi
./mvnw -q -B -pl bench -am package -DskipTests
export OMP_NUM_THREADS=1
exec java -jar bench/target/benchmarks.jar "$benchmark" -rf json -rff "bench/target/jmh-$benchmark.json" "$@"
