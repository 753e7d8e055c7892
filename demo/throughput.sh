#!/usr/bin/env bash
# Pipeline throughput harness, on one embedded broker in one run: the encrypting job against a
# pass-through job (same sources, validation and sink; random-sign copies, as incompressible as
# encryptions), the broker's own ceiling (transactional producers alone, the sink's settings) and
# the plain-script Python peer (python/instahide_stream/peer.py, one process per raw partition);
# then the latency from device send to read_committed visibility at half the encrypt rate (or at
# each of --latency-loads), halved again while the job does not sustain it, with Flink's
# checkpoint statistics task by task; each load at every output shuffle window of
# --latency-windows (default: the job's encrypt.shuffle-window), with the anonymity sets it gave.
#   demo/throughput.sh [--shape 1x28x28|3x32x32|3x224x224] [--images N] [--passes 3] [--rounds 3]
#                      [--parallelism 2] [--latency-seconds 30] [--latency-tries 3]
#                      [--latency-loads 0.5[,0.1...]] [--latency-windows 64mb[,4mb,0...]]
#                      [--peer true|false] [job options]
# 1x28x28 streams MNIST digits (Fashion-MNIST pool), colour shapes patches of natural photos.
# Results: demo-output/throughput-<shape>.md
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/fetch-datasets.sh --photos
INSTAHIDE_LOG=demo-output/throughput.log exec scripts/launch.sh demo io.instahide.demo.ThroughputHarness "$@"
