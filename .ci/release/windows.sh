#!/usr/bin/env bash
# Builds 团务台.exe for 64-bit Windows and checks it (issue 12):
#   bash .ci/release/windows.sh OUT.exe
# - resources: the icon (16–256 px), a manifest and the version information
#   (CompanyName, FileDescription 团务台, ProductName, LegalCopyright,
#   FileVersion = the git version) from .ci/release/winexe.go, compiled by
#   windres into a .syso that go build links in;
# - GUI subsystem (-H=windowsgui: no console window), stripped, -trimpath,
#   the version set once with -X main.version;
# - then the check: subsystem 2, only DLLs that Windows ships, every resource,
#   the version strings as wanted. Any failure exits non-zero.
# Used by .ci/release.sh (the release), .ci/run (CI) and the Windows job of
# .github/workflows/release.yml (there with WIN_CC=gcc WINDRES=windres).
# Environment: VERSION and TUANWU_COMPANY (see version.sh), WIN_CC, WINDRES.
set -euo pipefail
[ $# -eq 1 ] || { echo "用法：bash .ci/release/windows.sh 输出.exe" >&2; exit 2; }
out=$(realpath -m "$1")
cd "$(dirname "$0")/../.."

. .ci/release/version.sh
info=(-version "$VERSION" -numbers "$NUMVER" -build "$BUILDNO" -company "$COMPANY" -copyright "$COPYRIGHT")

work=$(mktemp -d)
# Only windows/amd64 builds read a *_windows_amd64.syso: tests running
# beside this build (.ci/run) do not see it.
syso=zz_tuanwu_windows_amd64.syso
trap 'rm -rf "$work" "$syso"' EXIT
go run .ci/release/winexe.go res -dir "$work" "${info[@]}"
(cd "$work" && "${WINDRES:-x86_64-w64-mingw32-windres}" -i tuanwu.rc -O coff -o tuanwu.syso)
mv "$work/tuanwu.syso" "$syso"

# The same flags in CI and in the release (cgo's default C flags, -trimpath,
# the tags), so each warms the other's build cache: cold, cgo spends ~8 min
# on go-gl's bindings for Windows alone.
CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC="${WIN_CC:-x86_64-w64-mingw32-gcc}" \
  go build -trimpath -tags release,migrated_fynedo \
    -ldflags "-H=windowsgui -s -w -X=main.version=$VERSION" -o "$out" .
go run .ci/release/winexe.go check "${info[@]}" "$out"
