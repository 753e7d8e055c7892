#!/usr/bin/env bash
# Publishes images (folder tree, IDX files or a watched directory) to the raw-images topic.
#   ingest/publish-images.sh --help
exec "$(dirname "$0")/../scripts/launch.sh" ingest io.instahide.ingest.PublishImages "$@"
