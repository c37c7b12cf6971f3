#!/usr/bin/env bash
# `make package`: build dist/irdesk/ from packaging/irdesk.spec, stage the desktop files and
# install scripts into it, record the glibc it needs, write dist/SHA256SUMS beside it, and pack
# both into dist/irdesk-VERSION-linux-ARCH.tar.gz (USB sticks formatted FAT/exFAT keep neither
# the symbolic links nor the execute bits of the folder itself) with a .sha256 to read out.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PACKAGE_PYTHON:-.venv-package/bin/python}

# Same inputs, same bytes as far as PyInstaller allows: fixed hash seed and timestamps.
export PYTHONHASHSEED=0 PYTHONDONTWRITEBYTECODE=1
SOURCE_DATE_EPOCH=$(git log -1 --format=%ct 2>/dev/null || echo 315532800)
export SOURCE_DATE_EPOCH

start=$(date +%s)
version=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' irdesk/__init__.py)
archive="irdesk-$version-linux-$(uname -m).tar.gz"
rm -rf dist/irdesk dist/SHA256SUMS dist/irdesk-*.tar.gz dist/irdesk-*.tar.gz.sha256
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/irdesk.spec
packaging/stage.sh dist/irdesk

# The newest glibc symbol version any bundled binary asks for is the laptop's minimum glibc.
if command -v objdump >/dev/null; then
  find dist/irdesk -type f \( -name '*.so*' -o -path dist/irdesk/irdesk \) -print0 \
    | xargs -0 objdump -T 2>/dev/null | grep -o 'GLIBC_2\.[0-9]*' | sed 's/GLIBC_//' \
    | sort -t. -k2,2n -u | tail -n 1 > dist/irdesk/GLIBC_MINIMUM
else
  echo "build.sh: objdump (binutils) is missing; dist/irdesk/GLIBC_MINIMUM not written." >&2
fi

# Normalise timestamps so a copy (cp -a, rsync -t) of the bundle does not look changed.
find dist/irdesk -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

# Every file and link of the bundle, sorted, relative to dist/: `cd dist && sha256sum -c SHA256SUMS`.
(cd dist && find irdesk \( -type f -o -type l \) -print0 | LC_ALL=C sort -z \
  | xargs -0 sha256sum) > dist/SHA256SUMS.tmp
mv dist/SHA256SUMS.tmp dist/SHA256SUMS

# One archive for the stick, byte-identical for identical inputs (sorted, fixed owner and times).
touch -d "@$SOURCE_DATE_EPOCH" dist/SHA256SUMS
tar -C dist --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" \
  -cf - SHA256SUMS irdesk | gzip -n -6 > "dist/$archive.tmp"
mv "dist/$archive.tmp" "dist/$archive"
(cd dist && sha256sum "$archive") > "dist/$archive.sha256"

files=$(wc -l < dist/SHA256SUMS)
echo "Built dist/irdesk/: $(du -sh dist/irdesk | cut -f1)B in $files files, needs glibc" \
  "$(cat dist/irdesk/GLIBC_MINIMUM 2>/dev/null || echo '?')+, in $(( $(date +%s) - start )) s."
echo "For the stick: dist/$archive ($(du -h "dist/$archive" | cut -f1)B); its SHA-256: $(cut -c1-64 "dist/$archive.sha256")"
