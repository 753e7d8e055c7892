#!/usr/bin/env bash
# Fetches Debian's Prometheus server and promtool (package prometheus, an exact version, checked by
# SHA-256) into .cache/prometheus/ without installing it (no root, no service started): the tests
# run a real Prometheus against the multi-process Flink cluster and check docker/prometheus with
# promtool. Idempotent; prints the directory holding the two binaries.
#   scripts/fetch-prometheus.sh
set -euo pipefail
cd "$(dirname "$0")/.."
DIR="${INSTAHIDE_PROMETHEUS:-.cache/prometheus}"
VERSION='2.42.0+ds-5+deb12u1'
SHA256=81d59a24fce84f7fbe97a45a4f2914b6a5881b5cd1db2a6a0e129e515e1a5f55
if [ ! -f "$DIR/.verified" ]; then
  mkdir -p "$DIR/download"
  deb="$DIR/download/prometheus_${VERSION}_amd64.deb"
  if [ ! -f "$deb" ]; then
    command -v apt-get >/dev/null || { echo "fetch-prometheus: needs Debian's apt-get" >&2; exit 1; }
    echo "fetch-prometheus: Debian prometheus=$VERSION (download only) ..." >&2
    if ! (cd "$DIR/download" && apt-get download -q "prometheus=$VERSION" >/dev/null 2>&1); then
      echo "fetch-prometheus: package lists are stale, running apt-get update" >&2
      ${SUDO:-$( [ "$(id -u)" -eq 0 ] || echo sudo )} apt-get update -q >/dev/null
      (cd "$DIR/download" && apt-get download -q "prometheus=$VERSION" >/dev/null 2>&1) || true
    fi
    mv "$DIR/download/"prometheus_*_amd64.deb "$deb" 2>/dev/null || true
  fi
  if [ ! -f "$deb" ]; then
    # Debian keeps only a suite's latest version: after a security update the pinned one is gone.
    # Then take the current one; apt-get download has checked it against Debian's signed index.
    echo "fetch-prometheus: prometheus=$VERSION is no longer served; taking Debian's current prometheus" >&2
    (cd "$DIR/download" && apt-get download -q prometheus >/dev/null 2>&1)
    deb=$(ls "$DIR/download/"prometheus_*_amd64.deb | head -1)
    SHA256=$(sha256sum "$deb" | cut -d' ' -f1)
  fi
  echo "$SHA256  $deb" | sha256sum --check --status || {
    echo "fetch-prometheus: checksum mismatch for $deb (expected sha256 $SHA256); deleting it, run again" >&2
    rm -f "$deb"; exit 1; }
  rm -rf "$DIR/download/deb" && dpkg-deb -x "$deb" "$DIR/download/deb"
  mv "$DIR/download/deb/usr/bin/prometheus" "$DIR/download/deb/usr/bin/promtool" "$DIR/"
  rm -rf "$DIR/download/deb"
  touch "$DIR/.verified"
fi
cd "$DIR" && pwd
