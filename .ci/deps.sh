#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages that building and testing 团务台 need
# (cgo, X11/GL headers for Fyne), only those that are missing; packages
# given as arguments too (.ci/run and .ci/release.sh: mingw-w64 for the
# Windows build).
set -euo pipefail
pkgs=(gcc libc6-dev pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev
      libxinerama-dev libxi-dev libxxf86vm-dev xvfb xauth poppler-utils postgresql "$@")
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "安装缺少的系统软件包：${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  # PostgreSQL is for the tests' throwaway servers (.ci/pg.sh): no system
  # cluster is created or started by the package.
  if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
    $SUDO mkdir -p /etc/postgresql-common
    echo "create_main_cluster = false" | $SUDO tee /etc/postgresql-common/createcluster.conf >/dev/null
  fi
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
command -v go >/dev/null || { echo "需要 Go 1.26 或更新版本：请先安装 Go（https://go.dev/dl/）。" >&2; exit 1; }
