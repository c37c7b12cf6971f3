#!/usr/bin/env bash
# `make package-test`: run the frozen bundle as a laptop with no Python would, with an empty
# environment (env -i; PATH holds nothing), and check what a responder does first:
# --version, demo, report (PDF text checked), check, and the GUI staying up until asked to stop.
set -uo pipefail

# Commands still being built on other branches: a missing one is SKIPPED instead of FAILED.
# Once they are all merged, empty this list (one line) and every step becomes mandatory.
OPTIONAL_COMMANDS=""

GUI_UP_SECONDS=4          # the GUI must still be running after this long (offscreen, X11, Wayland)
GUI_EXIT_SECONDS=15       # and must exit 0 within this long after SIGTERM
GLIBC_DOCUMENTED=2.36     # README "Install on an air-gapped laptop"; raise both together

cd "$(dirname "$0")/.."
exe=$(realpath "${1:-dist/irdesk/irdesk}")
bundle=$(dirname "$exe")
[ -x "$exe" ] || { echo "FAIL: no frozen binary at $exe (run make package)"; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/irdesk-smoke.XXXXXX")
gui_pid="" xvfb_pid="" weston_pid=""
cleanup() {
  for pid in $gui_pid $xvfb_pid $weston_pid; do kill -KILL "$pid" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/home" "$work/tmp" "$work/empty-bin" "$work/runtime"
chmod 700 "$work/runtime"
passphrase="tangerine-lighthouse-47-orbit"
case_file="$work/demo.ircase"

passed=0; failed=0; skipped=0
pass() { echo "ok      $1"; passed=$((passed + 1)); }
fail() { echo "FAIL    $1"; failed=$((failed + 1)); }
skip() { echo "SKIPPED: $1"; skipped=$((skipped + 1)); }

# The frozen program sees only this: no PATH to a Python, no PYTHON* variables, a fresh HOME.
frozen_env=(HOME="$work/home" TMPDIR="$work/tmp" PATH="$work/empty-bin" LANG=C.UTF-8
  XDG_RUNTIME_DIR="$work/runtime" XDG_CONFIG_HOME="$work/home/.config"
  XDG_DATA_HOME="$work/home/.local/share" XDG_CACHE_HOME="$work/home/.cache"
  IRDESK_PASSPHRASE="$passphrase" IRDESK_AUTHOR="Smoke Test" QT_QPA_PLATFORM=offscreen)
frozen() { env -i "${frozen_env[@]}" "$exe" "$@"; }

# A command this build has, or: SKIPPED when it is still optional, FAILED when it is not.
has_command() {
  if frozen "$1" --help >/dev/null 2>&1; then
    return 0
  fi
  case " $OPTIONAL_COMMANDS " in
    *" $1 "*) skip "$1 not in this build" ;;
    *) fail "$1 --help does not exit 0 in the frozen build" ;;
  esac
  return 1
}

echo "Frozen smoke test of $exe"

# ---- the bundle itself
if (cd "$(dirname "$bundle")" && sha256sum --quiet --check SHA256SUMS) >"$work/sums.log" 2>&1; then
  pass "every file matches SHA256SUMS"
else
  fail "SHA256SUMS does not match: $(head -n 3 "$work/sums.log")"
fi
archive_sum=$(ls "$(dirname "$bundle")"/irdesk-*-linux-*.tar.gz.sha256 2>/dev/null | head -n 1)
if [ -n "$archive_sum" ] && (cd "$(dirname "$archive_sum")" && sha256sum --quiet --check "$(basename "$archive_sum")") \
   && tar -tzf "${archive_sum%.sha256}" | grep -x 'irdesk/irdesk' >/dev/null; then
  pass "the archive for the stick matches its .sha256 and holds the bundle"
else
  fail "the .tar.gz for the stick is missing, does not match its .sha256, or lacks irdesk/irdesk"
fi
for plugin in platforms/libqxcb.so platforms/libqwayland.so platforms/libqoffscreen.so \
              wayland-shell-integration/libxdg-shell.so xcbglintegrations/libqxcb-glx-integration.so; do
  [ -f "$bundle/_internal/PySide6/Qt/plugins/$plugin" ] || fail "Qt plugin $plugin missing"
done
unresolved=$(find "$bundle/_internal/PySide6" -name '*.so*' -type f -exec ldd {} + 2>/dev/null \
  | grep -E '(libQt6|libpyside6|libshiboken6)[^ ]* => not found' | sort -u)
if [ -z "$unresolved" ]; then
  pass "Qt plugins present; every Qt library they load is bundled"
else
  fail "bundled Qt binaries load Qt libraries that were left out: $unresolved"
fi
if [ -n "$(find "$bundle" -ipath '*keyrings*')" ]; then
  fail "keyrings.alt (a plaintext keychain) is in the bundle"
elif ! ls "$bundle"/_internal/keyring-*.dist-info/entry_points.txt >/dev/null 2>&1; then
  fail "keyring's entry points are missing: it would find no keychain backend"
else
  pass "keyring backends listed, no keyrings.alt"
fi
if [ -f "$bundle/_internal/irdesk/assets/icons/irdesk.svg" ] && [ -x "$bundle/install.sh" ] \
   && [ -f "$bundle/share/applications/irdesk.desktop" ]; then
  pass "irdesk/assets/ (fonts, templates, icons), install scripts and desktop files are in the bundle"
else
  fail "irdesk/assets/ (fonts, templates, icons) or the desktop files are missing from the bundle"
fi
needed=$(cat "$bundle/GLIBC_MINIMUM" 2>/dev/null || echo "")
if [ -z "$needed" ]; then
  skip "glibc floor not measured (objdump missing at build time)"
elif [ "$(printf '%s\n%s\n' "$needed" "$GLIBC_DOCUMENTED" | sort -t. -k2,2n | tail -n 1)" = "$GLIBC_DOCUMENTED" ]; then
  pass "the bundle needs glibc $needed (documented: $GLIBC_DOCUMENTED)"
else
  fail "the bundle needs glibc $needed, newer than the $GLIBC_DOCUMENTED the README states"
fi

# ---- --version, with nothing but the bundle
want="irdesk $(sed -n 's/^__version__ = "\(.*\)"/\1/p' irdesk/__init__.py)"
got=$(frozen --version 2>&1)
[ "$got" = "$want" ] && pass "--version prints '$got'" || fail "--version printed '$got', expected '$want'"
start=$(date +%s%N); for _ in 1 2 3 4 5; do frozen --version >/dev/null; done
echo "        --version takes $(( ($(date +%s%N) - start) / 5000000 )) ms (mean of 5)"

# ---- demo, show, check
if frozen demo "$case_file" >"$work/demo.out" 2>"$work/demo.err" && [ -s "$case_file" ]; then
  pass "demo wrote a case ($(stat -c %s "$case_file") bytes)"
else
  fail "demo: $(cat "$work/demo.err")"
fi
title=$(frozen show "$case_file" 2>"$work/show.err" | head -n 1)
[ -n "$title" ] && pass "show: '$title'" || fail "show: $(cat "$work/show.err")"
if frozen check "$case_file" >"$work/check.out" 2>&1 && grep -q '^OK' "$work/check.out"; then
  pass "check: $(head -n 1 "$work/check.out" | cut -c1-70)"
else
  fail "check: $(cat "$work/check.out")"
fi

# ---- ATT&CK offline and the field's formats: the catalogue and the VERIS lists ship inside
if frozen note "$case_file" --phase detection --body "smoke" --attack T1486 >/dev/null 2>"$work/attack.err" \
   && ! frozen note "$case_file" --phase detection --body "smoke" --attack T9999 >/dev/null 2>"$work/unknown.err" \
   && grep -q "ATT&CK Enterprise v18.1" "$work/unknown.err"; then
  pass "ATT&CK: T1486 accepted, T9999 refused naming v18.1, with nothing but the bundle"
else
  fail "ATT&CK tagging: $(cat "$work/attack.err" "$work/unknown.err" 2>/dev/null)"
fi
for fmt in stix misp thehive veris jsonl-timeline; do
  if frozen export "$case_file" --format "$fmt" -o "$work/out.$fmt" >/dev/null 2>"$work/export.err" \
     && [ -s "$work/out.$fmt" ]; then
    pass "export --format $fmt ($(stat -c %s "$work/out.$fmt") bytes)"
  else
    fail "export --format $fmt: $(cat "$work/export.err")"
  fi
done
grep -q '"external_id": "T1486"' "$work/out.stix" && pass "STIX bundle holds the ATT&CK attack-pattern" \
  || fail "STIX bundle lacks the T1486 attack-pattern"
# ---- the regulators' clocks: US business days from the bundled holiday calendar (Thanksgiving)
if has_command regime; then
  if frozen regime add "$case_file" --regime sec-8k --determined-at 2026-11-23T16:00-05:00 \
       --time-zone America/New_York >"$work/regime.out" 2>&1 \
     && frozen show "$case_file" 2>&1 | grep -q 'due 2026-11-30 23:59 -05:00'; then
    pass "regime: SEC 8-K due 2026-11-30 23:59 -05:00 (four business days over Thanksgiving)"
  else
    fail "regime: $(cat "$work/regime.out") $(frozen show "$case_file" 2>&1 | grep -i 'sec 8-k' -A1)"
  fi
fi

# ---- report: a PDF whose text holds the case title
if has_command report; then
  pdf="$work/report.pdf"
  if frozen report "$case_file" -o "$pdf" >"$work/report.out" 2>&1 && [ "$(head -c 5 "$pdf")" = "%PDF-" ]; then
    if ! command -v pdftotext >/dev/null; then
      skip "report text not checked: needs the system tool pdftotext (poppler-utils)"
    elif [[ "$(pdftotext "$pdf" - | tr -s ' \n' ' ')" == *"$title"* ]]; then
      pass "report: $(stat -c %s "$pdf") bytes of PDF naming '$title'"
    else
      fail "report: the PDF text does not contain the case title '$title'"
    fi
  else
    fail "report: $(cat "$work/report.out")"
  fi
fi

# ---- gui: stays up on each display platform, exits 0 on SIGTERM
run_gui() {  # LABEL VAR=VALUE...: start `gui CASE` with these extra variables, then stop it
  local label=$1; shift
  (exec env -i "${frozen_env[@]}" "$@" "$exe" gui "$case_file" >"$work/gui.out" 2>&1) &
  gui_pid=$!  # exec above: this is the program itself, so the signal reaches it
  sleep "$GUI_UP_SECONDS"
  if ! kill -0 "$gui_pid" 2>/dev/null; then
    wait "$gui_pid"; local code=$?; gui_pid=""
    fail "gui ($label) exited by itself (code $code) within ${GUI_UP_SECONDS}s: $(tail -n 5 "$work/gui.out")"
    return
  fi
  kill -TERM "$gui_pid"
  for _ in $(seq $((GUI_EXIT_SECONDS * 10))); do
    kill -0 "$gui_pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$gui_pid" 2>/dev/null; then
    fail "gui ($label) still running ${GUI_EXIT_SECONDS}s after SIGTERM"
    return
  fi
  wait "$gui_pid"; local code=$?; gui_pid=""
  if [ "$code" = 0 ] && ! grep -qE 'Traceback|Could not load the Qt platform|Failed to create wl_display' "$work/gui.out"; then
    pass "gui ($label) stayed up ${GUI_UP_SECONDS}s and exited 0 on SIGTERM"
  else
    fail "gui ($label) exit code $code after SIGTERM: $(tail -n 5 "$work/gui.out")"
  fi
}

if has_command gui; then
  run_gui offscreen QT_QPA_PLATFORM=offscreen
  # X11 through the bundled xcb plugin, on a private Xvfb (no TCP).
  if command -v Xvfb >/dev/null; then
    Xvfb -displayfd 3 -nolisten tcp -screen 0 1280x800x24 3>"$work/display" 2>"$work/xvfb.log" &
    xvfb_pid=$!
    for _ in $(seq 50); do [ -s "$work/display" ] && break; sleep 0.1; done
    run_gui X11 QT_QPA_PLATFORM=xcb DISPLAY=":$(cat "$work/display")"
    kill "$xvfb_pid" 2>/dev/null; wait "$xvfb_pid" 2>/dev/null; xvfb_pid=""
  else
    skip "gui on X11 not run: needs the system tool Xvfb (xvfb)"
  fi
  # Wayland through the bundled wayland plugin, on a headless weston.
  if command -v weston >/dev/null; then
    XDG_RUNTIME_DIR="$work/runtime" weston --backend=headless-backend.so --socket=irdesk-smoke \
      --idle-time=0 >"$work/weston.log" 2>&1 &
    weston_pid=$!
    for _ in $(seq 50); do [ -S "$work/runtime/irdesk-smoke" ] && break; sleep 0.1; done
    run_gui Wayland QT_QPA_PLATFORM=wayland WAYLAND_DISPLAY=irdesk-smoke
    kill "$weston_pid" 2>/dev/null; wait "$weston_pid" 2>/dev/null; weston_pid=""
  else
    skip "gui on Wayland not run: needs the system tool weston"
  fi
fi

echo "frozen: $passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
