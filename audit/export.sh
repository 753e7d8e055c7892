#!/usr/bin/env bash
# Exports encrypted samples (and, with --key-escrow, their ground truth) to NumPy files in the
# InstaHide challenge's layout for outside attack code. --help lists the options.
set -euo pipefail
cd "$(dirname "$0")/.."
exec scripts/launch.sh audit io.instahide.audit.ExportChallenge "$@"
