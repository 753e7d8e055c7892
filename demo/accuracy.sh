#!/usr/bin/env bash
# Accuracy benchmark: plain / Mixup / InstaHide inside k=4 / InstaHide cross k=6 (the other image
# set as the pool), the same small CNN (PyTorch, python/instahide_stream) for the same epochs, fresh
# encryptions every epoch, InstaHide rows through the real broker and job. Writes docs/accuracy.md
# and .png (docs/accuracy-fashion-mnist.* with --private fashion-mnist). Needs python3-torch
# python3-confluent-kafka python3-avro (apt).
#   demo/accuracy.sh [--private mnist|fashion-mnist] [--epochs 15] [--seeds 1]
#                    [--rows plain,mixup,instahide-k4,instahide-cross-k6]
#   A row may name its own seed count: --rows plain:3,mixup:1,instahide-k4:3,instahide-cross-k6:1
#   Other cross pools: instahide-cross-k6-pool-norm (the other set on the private statistics),
#   instahide-cross-k6-photos (grey patches of ten natural photos)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/fetch-datasets.sh --photos
INSTAHIDE_LOG=demo-output/accuracy.log exec scripts/launch.sh demo io.instahide.demo.AccuracyBenchmark "$@"
