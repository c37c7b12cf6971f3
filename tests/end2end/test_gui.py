"""The real ``irdesk gui`` in an X window under Xvfb: it shows the demo case, holds it against a
second writer (exit 5), and exits 0 on SIGTERM."""

from __future__ import annotations

import subprocess

import pytest

from tests.conftest import IRDESK, require_tool

PASSPHRASE = "tangerine-lighthouse-47-orbit"

SCRIPT = r"""
"$@" gui "$CASE" 2>"$OUT/gui.err" & pid=$!
for _ in $(seq 1 120); do
  xdotool search --onlyvisible --name "Rotterdam" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { echo "gui died"; exit 1; }
  sleep 0.25
done
sleep 1.5
import -window root "$OUT/gui.png"
"$@" note "$CASE" --phase detection --body "second writer" 2>"$OUT/second.err"
echo "second=$?"
kill -TERM "$pid"
wait "$pid"
echo "gui=$?"
"""


@pytest.mark.e2e
def test_gui_under_xvfb(tmp_path, irdesk_env):
    xvfb = require_tool("xvfb-run")
    require_tool("xdotool")
    require_tool("import")
    case = tmp_path / "demo.ircase"
    env = dict(irdesk_env, IRDESK_NEW_PASSPHRASE=PASSPHRASE)
    subprocess.run(
        [*IRDESK, "demo", str(case)], env=env, check=True, capture_output=True, timeout=120
    )
    env = dict(irdesk_env, IRDESK_PASSPHRASE=PASSPHRASE, CASE=str(case), OUT=str(tmp_path))
    del env["QT_QPA_PLATFORM"]  # a real xcb window
    result = subprocess.run(
        [xvfb, "-a", "-s", "-screen 0 1280x800x24", "sh", "-c", SCRIPT, "sh", *IRDESK],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert "second=5" in result.stdout, (result.stdout, result.stderr)
    assert "in another irdesk window" in (tmp_path / "second.err").read_text()
    assert "gui=0" in result.stdout, (result.stdout, (tmp_path / "gui.err").read_text())
    colours = subprocess.run(
        ["identify", "-format", "%k", str(tmp_path / "gui.png")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert int(colours) > 50  # a drawn window, not a blank screen
    assert (tmp_path / "gui.err").read_text() == ""
