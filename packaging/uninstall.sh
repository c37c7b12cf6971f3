#!/bin/sh
# Remove what install.sh put in place: the program, the menu entry, the icons and the .ircase type.
# Case files, and irdesk's settings and signing identity, are never touched.
#
#   ./uninstall.sh [--prefix DIR]     (the same DIR given to install.sh; default ~/.local)
set -eu

fail() { echo "uninstall.sh: $*" >&2; exit 1; }

prefix="$HOME/.local"
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) [ $# -ge 2 ] || fail "--prefix needs a folder."; prefix=$2; shift 2 ;;
    --prefix=*) prefix=${1#--prefix=}; shift ;;
    -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) fail "unknown option $1 (see --help)." ;;
  esac
done
case "$prefix" in /*) ;; *) prefix="$(pwd)/$prefix" ;; esac
data=${XDG_DATA_HOME:-$HOME/.local/share}
dest="$prefix/opt/irdesk"

if [ -e "$dest" ]; then
  [ -x "$dest/irdesk" ] && [ -d "$dest/_internal" ] || fail "$dest does not look like an irdesk bundle; left alone."
fi
link="$prefix/bin/irdesk"
if [ -L "$link" ] && [ "$(readlink "$link")" = "$dest/irdesk" ]; then
  rm -f "$link"
fi
rm -f "$data/applications/irdesk.desktop" "$data/mime/packages/irdesk.xml"
for icon in "$data"/icons/hicolor/*/apps/irdesk.png "$data"/icons/hicolor/*/apps/irdesk.svg \
            "$data"/icons/hicolor/*/mimetypes/application-x-irdesk-case.png \
            "$data"/icons/hicolor/*/mimetypes/application-x-irdesk-case.svg; do
  rm -f "$icon"
done
rm -rf "$dest" "$dest.new"

command -v update-mime-database >/dev/null 2>&1 && [ -d "$data/mime" ] && update-mime-database "$data/mime" >/dev/null 2>&1 || true
command -v update-desktop-database >/dev/null 2>&1 && [ -d "$data/applications" ] && update-desktop-database "$data/applications" >/dev/null 2>&1 || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -d "$data/icons/hicolor" ] && gtk-update-icon-cache -q -t "$data/icons/hicolor" >/dev/null 2>&1 || true

echo "Removed irdesk from $prefix. Case files and settings were left as they are."
