#!/usr/bin/env bash
# Builds 团务台.app for macOS 12 or later, one universal binary for Apple
# silicon and Intel, ad-hoc signed, zipped into dist/ (issue 12, item 2):
#   bash .ci/release/macos.sh                    # on a Mac with `xcode-select --install`
#   MACOS_DRY_RUN=1 bash .ci/release/macos.sh    # on any machine: the same bundle
#       around a placeholder executable, Info.plist and icon checked (what can
#       be tested without Apple's SDK); nothing is signed or zipped
# Used by the macos job of .github/workflows/release.yml and the README recipe.
# `fyne package --executable` makes the bundle (layout, icon.icns); the
# Info.plist is ours (fyne v1.7.4 writes an empty category and macOS 10.11,
# which Go 1.26 programs do not run on).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
. .ci/release/version.sh
MIN_MACOS=12.0 # Go 1.25 and later need macOS 12 Monterey

FYNE="$(go env GOPATH)/bin/fyne"
if ! "$FYNE" version 2>&1 | grep -q "cli version: v1.7.4"; then
  echo "安装打包工具 fyne.io/tools/cmd/fyne@v1.7.4"
  go install fyne.io/tools/cmd/fyne@v1.7.4
fi

work=$(mktemp -d)
# fyne package writes a build number into FyneApp.toml: keep it as committed.
cp FyneApp.toml "$work/FyneApp.toml"
trap 'cp "$work/FyneApp.toml" "$root/FyneApp.toml"; rm -rf "$work"' EXIT

exe="$work/tuanwu"
if [ "${MACOS_DRY_RUN:-}" = 1 ]; then
  printf '#!/bin/sh\necho "placeholder for the universal binary"\n' > "$exe"
  chmod +x "$exe"
else
  for arch in arm64 amd64; do
    CGO_ENABLED=1 GOOS=darwin GOARCH=$arch MACOSX_DEPLOYMENT_TARGET=$MIN_MACOS \
      go build -trimpath -tags release,migrated_fynedo \
        -ldflags "-s -w -X=main.version=$VERSION" -o "$exe-$arch" .
  done
  lipo -create -output "$exe" "$exe-arm64" "$exe-amd64"
  archs=$(lipo -archs "$exe")
  [[ "$archs" == *arm64* && "$archs" == *x86_64* ]] || { echo "不是通用二进制：$archs" >&2; exit 1; }
fi

mkdir -p dist
app="dist/团务台.app"
rm -rf "$app"
(cd dist && "$FYNE" package -os darwin --src "$root" --executable "$exe" --name 团务台 \
  --app-id cn.tuanwu.desktop --app-version "$NUMVER" --app-build "$BUILDNO" \
  --icon "$root/assets/icon.png" --release)

xml() { sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' <<<"$1"; }
cat > "$app/Contents/Info.plist" <<PLIST
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>CFBundleDevelopmentRegion</key>
	<string>zh_CN</string>
	<key>CFBundleLocalizations</key>
	<array>
		<string>zh_CN</string>
	</array>
	<key>CFBundleName</key>
	<string>团务台</string>
	<key>CFBundleDisplayName</key>
	<string>团务台</string>
	<key>CFBundleExecutable</key>
	<string>tuanwu</string>
	<key>CFBundleIdentifier</key>
	<string>cn.tuanwu.desktop</string>
	<key>CFBundleIconFile</key>
	<string>icon.icns</string>
	<key>CFBundleInfoDictionaryVersion</key>
	<string>6.0</string>
	<key>CFBundlePackageType</key>
	<string>APPL</string>
	<key>CFBundleShortVersionString</key>
	<string>$NUMVER</string>
	<key>CFBundleVersion</key>
	<string>$BUILDNO</string>
	<key>CFBundleSupportedPlatforms</key>
	<array>
		<string>MacOSX</string>
	</array>
	<key>NSHumanReadableCopyright</key>
	<string>$(xml "$COPYRIGHT")</string>
	<key>LSApplicationCategoryType</key>
	<string>public.app-category.productivity</string>
	<key>LSMinimumSystemVersion</key>
	<string>$MIN_MACOS</string>
	<key>NSHighResolutionCapable</key>
	<true/>
	<key>NSSupportsAutomaticGraphicsSwitching</key>
	<true/>
</dict>
</plist>
PLIST

# The bundle as macOS reads it.
[ -x "$app/Contents/MacOS/tuanwu" ] || { echo "$app 中没有可执行文件 Contents/MacOS/tuanwu" >&2; exit 1; }
head -c 8 "$app/Contents/Resources/icon.icns" | grep -q '^icns' || { echo "$app 的 icon.icns 不是 icns 图标" >&2; exit 1; }
if command -v plutil >/dev/null; then
  plutil -lint "$app/Contents/Info.plist"
elif command -v python3 >/dev/null; then
  python3 - "$app/Contents/Info.plist" "$NUMVER" "$BUILDNO" <<'PY'
import plistlib, sys
d = plistlib.load(open(sys.argv[1], "rb"))
want = {"CFBundleExecutable": "tuanwu", "CFBundleIdentifier": "cn.tuanwu.desktop", "CFBundleName": "团务台",
        "CFBundleShortVersionString": sys.argv[2], "CFBundleVersion": sys.argv[3], "CFBundlePackageType": "APPL",
        "LSMinimumSystemVersion": "12.0", "LSApplicationCategoryType": "public.app-category.productivity"}
bad = {k: d.get(k) for k, v in want.items() if d.get(k) != v}
if bad or not d.get("NSHumanReadableCopyright", "").startswith("©"):
    sys.exit(f"Info.plist: {bad or d.get('NSHumanReadableCopyright')}")
print(f"Info.plist: {len(d)} keys, valid")
PY
fi

if [ "${MACOS_DRY_RUN:-}" = 1 ]; then
  find "$app" -type f -exec ls -l {} +
  echo "试构建完成（占位可执行文件，未签名、未打包）：$app"
  exit 0
fi
# Ad-hoc signature (no Apple Developer ID): Apple silicon runs only signed
# code. The user opens it the first time with right-click → 打开 (README).
codesign --force --deep --sign - "$app"
codesign --verify --strict --verbose=2 "$app"
zip="dist/团务台-$VERSION-macos-universal.zip"
ditto -c -k --keepParent "$app" "$zip"
rm -rf "$app"
(cd dist && shasum -a 256 -- "$(basename "$zip")" > SHA256SUMS-macos)
ls -l dist
