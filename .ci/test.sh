#!/usr/bin/env bash
# Runs every test of 团务台 (installing missing system packages first).
# UI tests use Fyne's headless test driver: no X server is needed.
# The store tests run twice, on SQLite files and on PostgreSQL (issue 14):
# unless TUANWU_TEST_PG already names a server, a throwaway one is started
# (.ci/pg.sh: initdb in a temporary folder as an unprivileged user, 127.0.0.1
# and a free port only) and stopped at the end. TUANWU_TEST_PG=off skips the
# PostgreSQL runs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/deps.sh
export LANG=C.UTF-8
if [ "${TUANWU_TEST_PG:-}" = "off" ]; then
  unset TUANWU_TEST_PG
elif [ -z "${TUANWU_TEST_PG:-}" ]; then
  pgdir=$(mktemp -d)
  trap 'bash .ci/pg.sh stop "$pgdir"; rm -rf "$pgdir"' EXIT
  t0=$(date +%s)
  TUANWU_TEST_PG=$(bash .ci/pg.sh start "$pgdir")
  export TUANWU_TEST_PG
  echo "PostgreSQL 测试服务器已启动（$(( $(date +%s) - t0 )) 秒）"
fi
go test -count=1 -timeout 30m ./...
