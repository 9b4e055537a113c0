#!/usr/bin/env bash
# Starts 团务台 (installing missing system packages first). The store is the
# embedded SQLite file <user config dir>/tuanwu/tuanwu.db unless --db is given.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/deps.sh
go run . "$@"
