#!/usr/bin/env bash
# Builds the packages for office clerks into dist/ (issue 12):
#   团务台-<version>-windows-amd64.zip   GUI-subsystem .exe with icon, manifest and
#                                        version resource (company, copyright),
#                                        cross-compiled with mingw-w64 by
#                                        .ci/release/windows.sh, 使用说明, licences
#   团务台-<version>-linux-amd64.tar.xz  binary, .desktop file, icon, 使用说明, licences
#   SHA256SUMS
# The version comes from `git describe --tags --always --dirty` and is set
# once, with -ldflags -X main.version=…; builds are stripped (-s -w),
# -trimpath and tagged release. Missing apt packages are installed.
# macOS cannot be built here (no Apple SDK): see README, .github/workflows/release.yml.
set -euo pipefail
cd "$(dirname "$0")/.."
t0=$(date +%s)
bash .ci/deps.sh gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64 xz-utils

VERSION=$(git describe --tags --always --dirty)
export VERSION
EPOCH=$(git log -1 --format=%ct)
LDX="-X=main.version=$VERSION"
echo "团务台 $VERSION"

rm -rf dist
mkdir -p dist
work=$(mktemp -d)
trap 'kill "${winpid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

common() { # $1: package folder
  cp .ci/release/使用说明.txt "$1/使用说明.txt"
  cp assets/wqy-microhei.COPYRIGHT "$1/wqy-microhei.COPYRIGHT.txt"
}

# Windows: the .exe with its resources, built and checked (subsystem, DLLs,
# icon, version information) by .ci/release/windows.sh, in the background
# while the Linux binary builds (cold, each spends minutes in one C compiler).
tw=$(date +%s)
win="$work/团务台-$VERSION-windows-amd64"
mkdir -p "$win"
bash .ci/release/windows.sh "$win/团务台.exe" >"$work/windows.log" 2>&1 &
winpid=$!

# Linux: the binary with a .desktop file and the icon.
lin="$work/团务台-$VERSION-linux-amd64"
mkdir -p "$lin"
CGO_ENABLED=1 go build -trimpath -tags release,migrated_fynedo -ldflags "-s -w $LDX" -o "$lin/tuanwu" .
echo "Linux 程序：$(( $(date +%s) - tw )) 秒"
if ! wait $winpid; then
  cat "$work/windows.log" >&2
  echo "Windows 程序构建或检查失败（见上）" >&2
  exit 1
fi
cat "$work/windows.log"
echo "Windows 程序：$(( $(date +%s) - tw )) 秒"

common "$win"
GOOS=windows GOARCH=amd64 bash .ci/release/licences.sh > "$win/第三方许可.txt"
# Windows Notepad: CRLF line ends and a BOM.
for f in "$win"/*.txt; do
  sed -i 's/\r*$/\r/' "$f"
  printf '\xef\xbb\xbf' | cat - "$f" > "$f.tmp" && mv "$f.tmp" "$f"
done
go run .ci/release/mkzip.go "dist/团务台-$VERSION-windows-amd64.zip" "$win" "$EPOCH"

cp assets/icon.png "$lin/tuanwu.png"
cat > "$lin/tuanwu.desktop" <<DESKTOP
[Desktop Entry]
Type=Application
Name=团务台
Comment=团员与团组织管理（离线桌面版）
Exec=tuanwu
Icon=tuanwu
Terminal=false
Categories=Office;
DESKTOP
common "$lin"
bash .ci/release/licences.sh > "$lin/第三方许可.txt"
tar -C "$work" --sort=name --mtime="@$EPOCH" --owner=0 --group=0 --numeric-owner \
  -cJf "dist/团务台-$VERSION-linux-amd64.tar.xz" "$(basename "$lin")"

(cd dist && sha256sum -- * > SHA256SUMS)
echo
ls -l dist "$win/团务台.exe" "$lin/tuanwu"
echo "共用时 $(( $(date +%s) - t0 )) 秒"
