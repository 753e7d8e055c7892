#!/usr/bin/env bash
# Builds the public mixing pool (photo patches or an image set) on the public-images topic.
#   ingest/build-pool.sh --help
exec "$(dirname "$0")/../scripts/launch.sh" ingest io.instahide.ingest.BuildPublicPool "$@"
