"""No plaintext leaks: a scripted session with a marker string leaves it nowhere but the outputs asked for.

HOME, the XDG folders and TMPDIR point at empty folders; afterwards every file there (and the case
file itself) is scanned for the marker, in UTF-8 and UTF-16. strace lists every file the commands
open; none may be outside an allowlist. Core dumps are off in every command.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import IRDESK, PASSPHRASE, ROOT, require_tool

pytestmark = pytest.mark.e2e
MARKER = "ZX-LEAK-MARKER-7f3a9c"


def scan(root: Path, allowed: set[Path]) -> list[str]:
    needles = [MARKER.encode(), MARKER.encode("utf-16-le")]
    found, scanned, files = [], 0, 0
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink() and path not in allowed:
            data = path.read_bytes()
            scanned, files = scanned + len(data), files + 1
            if any(n in data for n in needles):
                found.append(str(path))
    print(f"\n[figures] leak scan of {root.name}: {files} files, {scanned:,} bytes, {len(found)} with the marker")
    return found


@pytest.fixture
def session(irdesk_env, tmp_path):
    work = tmp_path / "cases"
    outputs = tmp_path / "outputs"
    inputs = tmp_path / "inputs"
    for d in (work, outputs, inputs):
        d.mkdir()
    evidence = inputs / "log-excerpt.txt"
    evidence.write_text(f"suspicious login {MARKER} from 10.0.0.1\n")
    env = {**irdesk_env, "IRDESK_PASSPHRASE": PASSPHRASE, "IRDESK_NEW_PASSPHRASE": PASSPHRASE}
    return env, work, outputs, evidence


def run(env, *args, prefix=()):
    proc = subprocess.run([*prefix, *IRDESK, *args], env=env, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert MARKER not in proc.stderr
    return proc


def test_cli_session_leaves_no_plaintext(session):
    env, work, outputs, evidence = session
    case = str(work / "leak.ircase")
    run(env, "new", case, "--title", "Leak test")
    run(env, "note", case, "--phase", "detection", "--body", f"Found {MARKER} in the proxy log")
    run(env, "evidence", "add", case, "--label", "excerpt", "--file", str(evidence), "--embed")
    run(env, "show", case)
    assert MARKER in run(env, "search", case, MARKER).stdout
    run(env, "check", case)
    export = outputs / "case.json"
    run(env, "export", case, "--format", "json", "-o", str(export))
    assert MARKER in export.read_text()
    home = Path(env["HOME"])
    assert scan(home, set()) == []
    assert scan(work, set()) == []  # the case file is encrypted; no journal or temp is left
    assert sorted(p.name for p in work.iterdir()) == ["leak.ircase"]
    assert scan(outputs, {export}) == []


def test_gui_and_report_session_leaves_no_plaintext(session):
    """The desktop app (type, save, copy, lock, quit) and a signed report leave the marker nowhere."""
    env, work, outputs, _ = session
    case = str(work / "gui.ircase")
    run(env, "new", case, "--title", "GUI leak test")
    gui = subprocess.run([sys.executable, "-m", "tests.end2end.gui_session", case, MARKER], env=env,
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert gui.returncode == 0 and "saved" in gui.stdout and "done" in gui.stdout, gui.stderr
    assert MARKER not in gui.stderr
    assert MARKER in run(env, "search", case, MARKER).stdout  # the note was really saved
    identity_env = {**env, "IRDESK_IDENTITY_PASSPHRASE": "indigo-harbour-lantern-93"}
    run(identity_env, "identity", "new", "--name", "Leak Tester")
    report = outputs / "report.pdf"
    run(identity_env, "report", case, "-o", str(report), "--sign")
    assert report.exists()
    home = Path(env["HOME"])
    assert any(p.is_file() for p in home.rglob("*"))  # settings and identity were written…
    assert scan(home, set()) == []  # …and hold no note text
    assert sorted(p.name for p in work.iterdir()) == ["gui.ircase"]
    assert scan(work, set()) == []
    assert scan(outputs, {report}) == []


ALLOWED_PREFIXES = ("/usr/", "/lib", "/etc/", "/proc/", "/sys/", "/dev/", "/root/.pyenv/", "/opt/")


def test_strace_opens_nothing_outside_the_allowlist(session):
    strace = require_tool("strace")
    env, work, outputs, evidence = session
    case = str(work / "traced.ircase")
    trace = outputs / "trace.txt"
    prefix = (strace, "-f", "-qq", "-e", "trace=openat,creat,open", "-o", str(trace))
    run(env, "new", case, "--title", "Traced", prefix=prefix)
    opened = trace.read_text()
    run(env, "note", case, "--phase", "detection", "--body", f"{MARKER}", prefix=prefix)
    opened += trace.read_text()
    run(env, "export", case, "--format", "json", "-o", str(outputs / "t.json"), prefix=prefix)
    opened += trace.read_text()
    allowed = (*ALLOWED_PREFIXES, str(work) + "/", str(outputs) + "/", sys.prefix + "/", sys.base_prefix + "/",
               ROOT + "/", env["HOME"] + "/")
    paths = set(re.findall(r'open(?:at)?\([^"]*"([^"]+)"', opened))
    outside = sorted(p for p in paths if not os.path.isabs(p) or not p.startswith(allowed))
    outside = [p for p in outside if not p.startswith(("/tmp/pytest-", ROOT))]
    assert outside == [], f"files opened outside the allowlist: {outside[:10]}"
    writes = set(re.findall(r'open(?:at)?\([^"]*"([^"]+)", [^)]*O_(?:WRONLY|RDWR|CREAT)', opened))
    unexpected = sorted(w for w in writes if not w.startswith((str(work), str(outputs), "/dev/")))
    assert unexpected == [], f"files opened for writing outside the case and output folders: {unexpected}"


def test_every_command_disables_core_dumps(irdesk_env):
    script = (
        "import ctypes, resource\n"
        "from irdesk.cli import run\n"
        "assert run(['search', '/nonexistent.ircase', 'x']) == 2\n"  # any command hardens first
        "assert resource.getrlimit(resource.RLIMIT_CORE) == (0, 0), resource.getrlimit(resource.RLIMIT_CORE)\n"
        "assert ctypes.CDLL(None).prctl(3, 0, 0, 0, 0) == 0  # PR_GET_DUMPABLE\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], env=irdesk_env, capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
