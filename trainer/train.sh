#!/usr/bin/env bash
# Trains a small CNN online on the encrypted-samples topic (DL4J on ND4J's CPU backend).
#   trainer/train.sh --help
exec "$(dirname "$0")/../scripts/launch.sh" trainer io.instahide.trainer.OnlineTrainer "$@"
