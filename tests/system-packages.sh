#!/usr/bin/env bash
# Install the Debian packages the test suite uses, when running as root (as CI does).
# Elsewhere the tests that need a missing tool skip, naming it.
set -u
PACKAGES="poppler-utils xvfb xauth xdotool imagemagick strace dbus gnome-keyring libsecret-tools
  libegl1 libgl1 libfontconfig1 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0
  libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1
  libdbus-1-3 fonts-dejavu-core binutils desktop-file-utils shared-mime-info weston qpdf"
[ "$(id -u)" = 0 ] || exit 0
command -v apt-get >/dev/null || exit 0
missing=$(dpkg-query -W -f='${Status} ${Package}\n' $PACKAGES 2>/dev/null | grep -v "install ok installed" | awk '{print $NF}')
for p in $PACKAGES; do dpkg-query -W "$p" >/dev/null 2>&1 || missing="$missing $p"; done
missing=$(echo $missing | tr ' ' '\n' | sort -u | tr '\n' ' ')
[ -z "${missing// /}" ] && exit 0
echo "Installing system packages for the tests: $missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null 2>&1 || true
apt-get install -y -qq --no-install-recommends $missing >/dev/null 2>&1 \
  || echo "warning: could not install some of: $missing (the tests that need them will skip)"
exit 0
