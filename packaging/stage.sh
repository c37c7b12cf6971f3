#!/bin/sh
# Put the desktop-integration files and the install scripts into a bundle folder (used by build.sh).
set -eu
bundle=${1:?usage: stage.sh BUNDLE_DIR}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
share="$bundle/share"
mkdir -p "$share/applications" "$share/mime/packages" "$share/icons/hicolor/scalable/apps"
cp "$here/install.sh" "$here/uninstall.sh" "$bundle/"
chmod 755 "$bundle/install.sh" "$bundle/uninstall.sh"
cp "$here/irdesk.desktop" "$share/applications/irdesk.desktop"
cp "$here/irdesk-mime.xml" "$share/mime/packages/irdesk.xml"
cp "$root/resources/icons/irdesk.svg" "$share/icons/hicolor/scalable/apps/irdesk.svg"
for png in "$root"/resources/icons/irdesk-*.png; do
  size=$(basename "$png" .png); size=${size#irdesk-}
  mkdir -p "$share/icons/hicolor/${size}x${size}/apps"
  cp "$png" "$share/icons/hicolor/${size}x${size}/apps/irdesk.png"
done
