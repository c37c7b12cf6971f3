#!/bin/sh
# Install this irdesk bundle for the current user: the program, a menu entry, its icon, and the
# .ircase file type, so that double-clicking a case opens irdesk. No root, no network.
#
#   ./install.sh [--prefix DIR]     (default DIR: ~/.local)
#
# The bundle goes to DIR/opt/irdesk and the command to DIR/bin/irdesk; the menu entry, icon and
# file type go to ${XDG_DATA_HOME:-~/.local/share}. ./uninstall.sh removes them again.
set -eu

fail() { echo "install.sh: $*" >&2; exit 1; }

prefix="$HOME/.local"
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) [ $# -ge 2 ] || fail "--prefix needs a folder."; prefix=$2; shift 2 ;;
    --prefix=*) prefix=${1#--prefix=}; shift ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) fail "unknown option $1 (see --help)." ;;
  esac
done
case "$prefix" in /*) ;; *) prefix="$(pwd)/$prefix" ;; esac

bundle=$(cd "$(dirname "$0")" && pwd)
[ -x "$bundle/irdesk" ] && [ -d "$bundle/_internal" ] || fail "run me from inside the irdesk bundle folder."
data=${XDG_DATA_HOME:-$HOME/.local/share}
dest="$prefix/opt/irdesk"

# 1. What was handed over is what was built: check SHA256SUMS when it travels beside the bundle.
sums="$(dirname "$bundle")/SHA256SUMS"
if [ -f "$sums" ] && [ "$bundle" != "$dest" ]; then
  if command -v sha256sum >/dev/null 2>&1; then
    (cd "$(dirname "$bundle")" && sha256sum --quiet --check SHA256SUMS) \
      || fail "the bundle does not match SHA256SUMS; do not install it, ask for a fresh copy."
    echo "Checked every file against SHA256SUMS."
  else
    echo "install.sh: sha256sum is missing, so SHA256SUMS was not checked." >&2
  fi
fi

# 2. The C library must be recent enough for the bundled Qt and Python.
if [ -f "$bundle/GLIBC_MINIMUM" ]; then
  need=$(cat "$bundle/GLIBC_MINIMUM")
  have=$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}')
  if [ -n "$have" ]; then
    oldest=$(printf '%s\n%s\n' "$need" "$have" | sort -t. -k1,1n -k2,2n | head -n 1)
    [ "$oldest" = "$need" ] || fail "this laptop has glibc $have; irdesk needs glibc $need or newer."
  fi
fi

# 3. The program: copy next to the old one, then swap, so a failed copy leaves the old one working.
if [ "$bundle" != "$dest" ]; then
  mkdir -p "$prefix/opt"
  rm -rf "$dest.new"
  cp -R -P "$bundle" "$dest.new"
  rm -rf "$dest"
  mv "$dest.new" "$dest"
fi
mkdir -p "$prefix/bin"
ln -sfn "$dest/irdesk" "$prefix/bin/irdesk"

# 4. Menu entry (with the full path: a desktop session may not have ~/.local/bin on its PATH),
#    icons, and the .ircase type.
mkdir -p "$data/applications" "$data/mime/packages"
sed -e "s|^Exec=irdesk |Exec=\"$dest/irdesk\" |" -e "s|^TryExec=irdesk\$|TryExec=$dest/irdesk|" \
  "$dest/share/applications/irdesk.desktop" > "$data/applications/irdesk.desktop"
cp "$dest/share/mime/packages/irdesk.xml" "$data/mime/packages/irdesk.xml"
for icon in "$dest"/share/icons/hicolor/*/apps/irdesk.*; do
  size=$(basename "$(dirname "$(dirname "$icon")")")
  ext=${icon##*.}
  mkdir -p "$data/icons/hicolor/$size/apps" "$data/icons/hicolor/$size/mimetypes"
  cp "$icon" "$data/icons/hicolor/$size/apps/irdesk.$ext"
  cp "$icon" "$data/icons/hicolor/$size/mimetypes/application-x-irdesk-case.$ext"
done

command -v update-mime-database >/dev/null 2>&1 && update-mime-database "$data/mime" >/dev/null 2>&1 || true
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$data/applications" >/dev/null 2>&1 || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$data/icons/hicolor" >/dev/null 2>&1 || true
command -v xdg-mime >/dev/null 2>&1 && xdg-mime default irdesk.desktop application/x-irdesk-case >/dev/null 2>&1 || true

echo "Installed irdesk $("$dest/irdesk" --version 2>/dev/null | awk '{print $2}') in $dest"
echo "Command: $prefix/bin/irdesk   Menu: irdesk   Double-click a .ircase file to open it."
case ":$PATH:" in
  *":$prefix/bin:"*) ;;
  *) echo "Note: $prefix/bin is not on your PATH; add it, or run $prefix/bin/irdesk." ;;
esac
