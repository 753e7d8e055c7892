#!/usr/bin/env bash
# The quick start: installs a JDK if the machine lacks one (scripts/setup.sh), fetches the datasets (by package name and checksum), builds what it needs, then
# runs the InstaHide job on an embedded Kafka broker and a local Flink cluster with live progress.
#   demo/run.sh --help    for options; any job option (e.g. --instahide.k 4) is passed through.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh demo
scripts/fetch-datasets.sh
INSTAHIDE_LOG=demo-output/demo.log exec scripts/launch.sh demo io.instahide.demo.EmbeddedDemo "$@"
