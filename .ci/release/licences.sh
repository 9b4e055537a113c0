#!/usr/bin/env bash
# Prints the licence texts of the Go modules linked into the program for
# GOOS/GOARCH as set in the environment (for 第三方许可.txt).
set -euo pipefail
cd "$(dirname "$0")/../.."
echo "团务台使用的第三方软件及其许可证"
echo "Third-party software in 团务台 and its licences"
echo
echo "界面字体：文泉驿微米黑 WenQuanYi Micro Hei（Apache-2.0，全文见 wqy-microhei.COPYRIGHT.txt）"
echo "SQLite（编译在 github.com/mattn/go-sqlite3 中）：公有领域 / public domain, https://sqlite.org/copyright.html"
echo
echo "================================================================"
echo "Go $(go env GOVERSION) (runtime and standard library)"
echo "================================================================"
cat "$(go env GOROOT)/LICENSE"
echo
CGO_ENABLED=1 go list -deps -tags migrated_fynedo -f '{{with .Module}}{{if not .Main}}{{.Path}} {{.Version}} {{.Dir}}{{end}}{{end}}' . | sort -u |
while read -r path version dir; do
  [ -n "$path" ] || continue
  case "$dir" in "$PWD"/*) continue ;; esac # our own modules (ui/earlyinit)
  echo "================================================================"
  echo "$path $version"
  echo "================================================================"
  found=""
  for f in "$dir"/LICENSE* "$dir"/LICENCE* "$dir"/COPYING* "$dir"/License* "$dir"/license*; do
    if [ -f "$f" ]; then found=1; cat "$f"; echo; fi
  done
  if [ -f "$dir/glfw/LICENSE.md" ]; then echo "--- GLFW C library (compiled in) ---"; cat "$dir/glfw/LICENSE.md"; echo; fi
  [ -n "$found" ] || echo "(该模块未附带许可证文件 / no licence file in the module: see https://$path)"
  echo
done
