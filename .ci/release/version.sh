# Sourced by windows.sh and macos.sh: the one definition of what a package
# says about its version and maker.
#   VERSION    git describe --tags --always --dirty (unless set): what
#              `tuanwu version` and 关于 show, set with -X main.version
#   NUMVER     X.Y.Z for the numeric fields: a tag vX.Y.Z, else FyneApp.toml's Version
#   BUILDNO    the commit count (fourth number of the Windows version, CFBundleVersion)
#   COMPANY    TUANWU_COMPANY, default 团务台开发组 (Windows CompanyName)
#   COPYRIGHT  © <year of the commit> COMPANY (LegalCopyright, NSHumanReadableCopyright)
VERSION=${VERSION:-$(git describe --tags --always --dirty)}
if [[ "$VERSION" =~ ^v([0-9]+\.[0-9]+\.[0-9]+) ]]; then
  NUMVER=${BASH_REMATCH[1]}
else
  NUMVER=$(sed -n 's/^ *Version *= *"\(.*\)"/\1/p' FyneApp.toml)
fi
BUILDNO=$(git rev-list --count HEAD)
COMPANY=${TUANWU_COMPANY:-团务台开发组}
COPYRIGHT="© $(git log -1 --format=%cd --date=format:%Y) $COMPANY"
