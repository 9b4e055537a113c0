#!/usr/bin/env bash
# Runs every test of 团务台 (installing missing system packages first).
# UI tests use Fyne's headless test driver: no X server is needed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/deps.sh
export LANG=C.UTF-8
go test -count=1 ./...
