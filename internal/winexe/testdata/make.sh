#!/usr/bin/env bash
# Rebuilds the small Windows programs that winexe_test.go reads (needs apt
# gcc-mingw-w64-x86-64): resources made by .ci/release/winexe.go as for
# 团务台.exe, with the test's Info (want in winexe_test.go).
#   gui.exe      GUI subsystem, icon, manifest, version: passes the check
#   console.exe  the same as a console program
#   bare.exe     GUI, no resources at all
#   foreign.exe  GUI with resources, but needs libwinpthread-1.dll
set -euo pipefail
cd "$(dirname "$0")"
root=../../..
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$root" && go run .ci/release/winexe.go res -dir "$tmp" -sizes 16,32,48,256 \
  -version v9.8.7-test -numbers 9.8.7 -build 6 -company '测试单位 "甲"' -copyright '© 2026 测试单位')
(cd "$tmp" && x86_64-w64-mingw32-windres -i tuanwu.rc -O coff -o res.o)
cc="x86_64-w64-mingw32-gcc -Os -s"
$cc -mwindows -o gui.exe hello.c "$tmp/res.o"
$cc -mconsole -o console.exe hello.c "$tmp/res.o"
$cc -mwindows -o bare.exe hello.c
$cc -mwindows -o foreign.exe pthread.c "$tmp/res.o" -lpthread
ls -l ./*.exe
