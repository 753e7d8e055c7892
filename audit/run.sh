#!/usr/bin/env bash
# Privacy audit: encrypts MNIST digits and natural-photo patches with the product's encoder, runs
# the known attacks (Mixup vs InstaHide, k=4 inside vs k=6 with 2 private, T = 1, 5, 10, 50
# encryptions per image, oracle grouping vs clustering); then runs the real job on an embedded
# broker with the research key escrow, reads encrypted-samples back as a trainer does and attacks
# that (its order, clustering, oracle; ordered output as before vs shuffled as now, T = 1, 5, 50).
# Writes docs/privacy.md with image grids (docs/privacy-*.png). Fetches its data by package name
# and checksum first.
#   audit/run.sh [--data mnist,photos] [--t 1,5,10,50] [--images 100] [--pool 2000]
#                [--iterations 300] [--learning-rate 0.05] [--out docs]
#                [--source encoder,job] [--job-t 1,5,50]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/fetch-datasets.sh --photos
exec scripts/launch.sh audit io.instahide.audit.PrivacyAudit "$@"
