#!/usr/bin/env bash
# Installs what the quick start's two commands need and this machine lacks, from Debian packages
# only, and says what it installs; installs nothing when everything is there.
#   scripts/setup.sh demo    a JDK 17+, curl and unzip (the Maven wrapper fetches Maven itself)
#   scripts/setup.sh test    the same, plus g++ (the GPU kernel's host build) and Debian's Python
#                            with PyTorch, confluent-kafka, Avro and NumPy (the Python consumer's test)
# Needs root or sudo for apt-get when something is missing; without either it prints the one
# apt-get line to run and exits 1. The datasets are fetched by scripts/fetch-datasets.sh (curl;
# npm is not needed).
set -euo pipefail
purpose="${1:-demo}"
missing=()
java_ok() {
  command -v javac >/dev/null 2>&1 || return 1
  local v
  v=$(javac -version 2>&1 | sed -E 's/^javac ([0-9]+).*/\1/')
  [ "${v:-0}" -ge 17 ]
}
java_ok || missing+=(openjdk-17-jdk-headless)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v unzip >/dev/null 2>&1 || missing+=(unzip)
if [ "$purpose" = test ]; then
  command -v g++ >/dev/null 2>&1 || missing+=(g++)
  # Debian's interpreter with Debian's packages (a pyenv or conda python on PATH has other ones).
  /usr/bin/python3 -c 'import torch, confluent_kafka, avro, numpy' >/dev/null 2>&1 \
    || missing+=(python3 python3-torch python3-confluent-kafka python3-avro python3-numpy)
fi
[ "${#missing[@]}" -eq 0 ] && exit 0

echo "setup: installing ${missing[*]} (Debian packages this machine lacks)" >&2
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup: no apt-get here: install ${missing[*]} (or their equivalents) and run again" >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo=(sudo)
else
  echo "setup: not root and no password-less sudo; run this once, then again:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "setup: installed ${missing[*]}" >&2
