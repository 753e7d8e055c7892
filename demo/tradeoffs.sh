#!/usr/bin/env bash
# The privacy-utility sweep: for every dataset, setting and seed, the accuracy benchmark's model
# trained on the setting's stream through the real broker and job, then the privacy audit of the
# same setting on the job's output (the attacker reads the shuffled topic as a trainer does).
# Appends each point to docs/tradeoffs-points.tsv as soon as it is measured and rewrites
# docs/tradeoffs.md with two plots per dataset (accuracy against the attack's and against the
# oracle's SSIM, each with its Pareto front); run again to resume: points already measured at the
# same budget are skipped. After the grid, settings on either front get seeds until each has
# --front-seeds. Needs python3-torch
# python3-confluent-kafka python3-avro (apt); about 3-6 minutes a point on 2 cores.
#   demo/tradeoffs.sh [--datasets mnist,fashion-mnist] [--settings plain,mixup-k4,inside-k4,...]
#                     [--seeds 1] [--front-seeds 3] [--epochs 5] [--train 20000]
#                     [--audit-images 100] [--audit-pool 2000] [--iterations 300] [--out docs]
#   --report-only rewrites docs/tradeoffs.md from the points file without running anything.
#   Settings: plain, mixup-kK, inside-kK[-tT], cross-kK-pP-{other,other-norm,photos}[-tT]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/fetch-datasets.sh --photos
INSTAHIDE_LOG=demo-output/tradeoffs.log exec scripts/launch.sh demo io.instahide.demo.TradeoffSweep "$@"
