#!/usr/bin/env bash
# The quick start's test command: installs what the tests need and this machine lacks
# (scripts/setup.sh test), then builds every module and runs every test, unit and integration.
# Extra arguments go to Maven, e.g. scripts/test.sh -pl core -am
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
exec ./mvnw -B -ntp verify "$@"
