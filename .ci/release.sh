#!/usr/bin/env bash
# Builds the packages for office clerks into dist/ (issue 12):
#   团务台-<version>-windows-amd64.zip   GUI-subsystem .exe with icon and version
#                                        resource (cross-compiled with mingw-w64),
#                                        使用说明, licences
#   团务台-<version>-linux-amd64.tar.xz  binary, .desktop file, icon, 使用说明, licences
#   SHA256SUMS
# The version comes from `git describe --tags --always --dirty` and is set
# once, with -ldflags -X main.version=…; builds are stripped (-s -w) and
# -trimpath. Missing apt packages and the fyne packaging tool are installed.
# macOS cannot be built here (no Apple SDK): see README, .github/workflows/release.yml.
set -euo pipefail
cd "$(dirname "$0")/.."
t0=$(date +%s)
bash .ci/deps.sh
pkgs=(gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64 xz-utils)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "安装缺少的系统软件包：${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
FYNE="$(go env GOPATH)/bin/fyne"
if ! "$FYNE" version 2>&1 | grep -q "cli version: v1.7.4"; then
  echo "安装打包工具 fyne.io/tools/cmd/fyne@v1.7.4"
  go install fyne.io/tools/cmd/fyne@v1.7.4
fi

VERSION=$(git describe --tags --always --dirty)
# The Windows version resource needs numbers: a tag vX.Y.Z, else FyneApp.toml's.
if [[ "$VERSION" =~ ^v([0-9]+\.[0-9]+\.[0-9]+) ]]; then
  NUMVER=${BASH_REMATCH[1]}
else
  NUMVER=$(sed -n 's/^ *Version *= *"\(.*\)"/\1/p' FyneApp.toml)
fi
BUILDNO=$(git rev-list --count HEAD)
EPOCH=$(git log -1 --format=%ct)
LDX="-X=main.version=$VERSION"
echo "团务台 $VERSION（资源版本 $NUMVER.$BUILDNO）"

rm -rf dist
mkdir -p dist
work=$(mktemp -d)
# fyne package writes the build number into FyneApp.toml: keep it as committed.
cp FyneApp.toml "$work/FyneApp.toml"
trap 'cp "$work/FyneApp.toml" FyneApp.toml; rm -rf "$work"' EXIT

common() { # $1: package folder
  cp .ci/release/使用说明.txt "$1/使用说明.txt"
  cp assets/wqy-microhei.COPYRIGHT "$1/wqy-microhei.COPYRIGHT.txt"
}

# Windows: fyne package embeds icon, manifest and version resource (fyne.syso),
# links with -H=windowsgui, and with --release adds -s -w and -trimpath.
tw=$(date +%s)
win="$work/团务台-$VERSION-windows-amd64"
mkdir -p "$win"
GOFLAGS="-ldflags=$LDX" CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc \
  "$FYNE" package -os windows --release --app-version "$NUMVER" --app-build "$BUILDNO"
mv 团务台.exe "$win/团务台.exe"
common "$win"
GOOS=windows GOARCH=amd64 bash .ci/release/licences.sh > "$win/第三方许可.txt"
# Windows Notepad: CRLF line ends and a BOM.
for f in "$win"/*.txt; do
  sed -i 's/\r*$/\r/' "$f"
  printf '\xef\xbb\xbf' | cat - "$f" > "$f.tmp" && mv "$f.tmp" "$f"
done
subsys=$(x86_64-w64-mingw32-objdump -p "$win/团务台.exe" | awk '/^Subsystem/ {print $2}')
if [ "$((16#$subsys))" != 2 ]; then
  echo "团务台.exe 不是图形界面程序（Subsystem $subsys）" >&2
  exit 1
fi
x86_64-w64-mingw32-objdump -h "$win/团务台.exe" | grep -q '\.rsrc' || { echo "团务台.exe 没有资源节 .rsrc（图标、版本）" >&2; exit 1; }
go run .ci/release/mkzip.go "dist/团务台-$VERSION-windows-amd64.zip" "$win" "$EPOCH"
echo "Windows：$(( $(date +%s) - tw )) 秒"

# Linux: the binary with a .desktop file and the icon.
tl=$(date +%s)
lin="$work/团务台-$VERSION-linux-amd64"
mkdir -p "$lin"
CGO_ENABLED=1 go build -trimpath -tags migrated_fynedo -ldflags "-s -w $LDX" -o "$lin/tuanwu" .
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
echo "Linux：$(( $(date +%s) - tl )) 秒"

(cd dist && sha256sum -- * > SHA256SUMS)
echo
ls -l dist "$win/团务台.exe" "$lin/tuanwu"
echo "Subsystem $subsys（2 = 图形界面）"
echo "共用时 $(( $(date +%s) - t0 )) 秒"
