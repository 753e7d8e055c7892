#!/usr/bin/env bash
# The quick start: builds what it needs, fetches the datasets (by package name and checksum), then
# runs the InstaHide job on an embedded Kafka broker and a local Flink cluster with live progress.
#   demo/run.sh --help    for options; any job option (e.g. --instahide.k 4) is passed through.
exec "$(dirname "$0")/launch.sh" io.instahide.demo.EmbeddedDemo demo-output/demo.log "$@"
