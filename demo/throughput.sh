#!/usr/bin/env bash
# Pipeline throughput harness: the encrypting job vs a pass-through job of the same output size, on
# the same embedded broker and the same input records (MNIST), with exactly-once Kafka sinks.
#   demo/throughput.sh [--images 40000] [--passes 3] [--rounds 3] [--parallelism 2] [job options]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/fetch-datasets.sh
INSTAHIDE_LOG=demo-output/throughput.log exec scripts/launch.sh demo io.instahide.demo.ThroughputHarness "$@"
