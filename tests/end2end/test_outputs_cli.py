"""Outputs from the real command line: never over a case, over a file only with --force, and a
kill leaves nothing behind: no named partial, no plaintext anywhere.

The kill loops SIGKILL ``irdesk export`` (at a random moment, or while it writes its unnamed
file) and ``irdesk import`` into a new file; ``KILLS`` rounds of the first (20 in ``make test``,
a tenth of ``IRDESK_KILLS`` in ``make test-long``), a fifth as many (at least 4) of the second.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import IRDESK, PASSPHRASE, ROOT

pytestmark = pytest.mark.e2e
KILLS = max(20, int(os.environ.get("IRDESK_KILLS", "0")) // 10)
MARKER = "ZX-EXPORT-MARKER-51c2e8"
REFUSAL = "is a case file, and irdesk never writes over one: delete it first, or merge it."


def irdesk(env, *args, rc=0):
    proc = subprocess.run([*IRDESK, *args], env=env, capture_output=True, text=True, timeout=180, cwd=ROOT)
    assert proc.returncode == rc, (args, proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    return proc


def digest(path) -> bytes:
    return Path(path).read_bytes()


@pytest.fixture
def env(irdesk_env):
    return {**irdesk_env, "IRDESK_PASSPHRASE": PASSPHRASE, "IRDESK_NEW_PASSPHRASE": PASSPHRASE,
            "IRDESK_OTHER_PASSPHRASE": PASSPHRASE}


@pytest.fixture
def cases(env, tmp_path):
    case, other = str(tmp_path / "case.ircase"), str(tmp_path / "handoff-copy.ircase")
    irdesk(env, "new", case, "--title", "Outputs")
    irdesk(env, "note", case, "--phase", "detection", "--body", f"Beacon seen {MARKER}")
    irdesk(env, "new", other, "--title", "Another case")
    return case, other


def test_no_output_lands_on_a_case_file_whatever_the_flags(env, cases, tmp_path):
    case, other = cases
    bare = tmp_path / "stick-copy"  # a case without an extension
    bare.write_bytes(digest(other))
    link = tmp_path / "shortcut.json"
    link.symlink_to(case)
    before = {p: digest(p) for p in (case, other, bare)}
    attempts = [(("export", "--format", "json"), target, force)
                for target in (case, str(link), other, str(bare)) for force in ((), ("--force",))]
    attempts += [(("export", "--format", fmt), case, ("--force",))
                 for fmt in ("markdown", "csv-timeline", "stix", "vcard", "misp", "thehive", "jsonl-timeline", "veris")]
    attempts += [((command,), target, ("--force",)) for command in ("report", "handoff", "salvage")
                 for target in (case, other, str(bare))]
    for command, target, force in attempts:
        proc = irdesk(env, command[0], case, *command[1:], "-o", target, *force, rc=2)
        assert proc.stderr == f"irdesk: {target} {REFUSAL}\n", (command, target, force)
    assert {p: digest(p) for p in before} == before
    assert os.path.islink(link)
    assert sorted(os.listdir(tmp_path)) == sorted(
        ["case.ircase", "handoff-copy.ircase", "stick-copy", "shortcut.json", "home"])
    irdesk(env, "check", case)


def test_an_existing_file_is_replaced_only_with_force(env, cases, tmp_path):
    case, _ = cases
    target = tmp_path / "case.json"
    target.write_text("yesterday's export")
    proc = irdesk(env, "export", case, "--format", "json", "-o", str(target), rc=2)
    assert proc.stderr == (f"irdesk: {target} already exists; irdesk replaces it only when you "
                           "say so (--force).\n")
    assert target.read_text() == "yesterday's export"
    irdesk(env, "export", case, "--format", "json", "-o", str(target), "--force")
    assert json.loads(target.read_text())["format"] == "irdesk-case-export"
    report = tmp_path / "report.pdf"
    report.write_bytes(b"an older report")
    irdesk(env, "report", case, "-o", str(report), rc=2)
    assert report.read_bytes() == b"an older report"
    irdesk(env, "report", case, "-o", str(report), "--force")
    assert report.read_bytes().startswith(b"%PDF-")
    copy = tmp_path / "for-ana.bin"
    copy.write_bytes(b"not a case")
    irdesk(env, "handoff", case, "-o", str(copy), rc=2)
    irdesk(env, "handoff", case, "-o", str(copy), "--force")
    irdesk(env, "check", str(copy))
    assert not [n for n in os.listdir(tmp_path) if n.endswith(".partial")]


def test_a_plaintext_output_never_takes_a_case_files_name(env, cases, tmp_path):
    case, _ = cases
    for command in (("export", case, "--format", "json"), ("report", case)):
        target = str(tmp_path / "for-legal.ircase")
        proc = irdesk(env, *command, "-o", target, "--force", rc=2)
        assert proc.stderr == (f"irdesk: {target} ends in .ircase, the name of an encrypted case file, but "
                               "this output is not encrypted: give it another name.\n")
    assert not (tmp_path / "for-legal.ircase").exists()
    irdesk(env, "handoff", case, "-o", str(tmp_path / "for-legal.ircase"))  # encrypted: its proper name


def unnamed_file_open(pid: int, folder: Path) -> bool:
    """Whether the process holds an unnamed (O_TMPFILE) file in ``folder``: it is writing."""
    try:
        names = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return False
    for name in names:
        try:
            where = os.readlink(f"/proc/{pid}/fd/{name}")
        except OSError:
            continue
        if where.startswith(f"{folder}/#") and where.endswith("(deleted)"):
            return True
    return False


def holders(root: Path, needles: tuple[bytes, ...]) -> list[str]:
    found = []
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink() and any(n in path.read_bytes() for n in needles):
            found.append(str(path.relative_to(root)))
    return found


def test_a_killed_export_leaves_no_partial_and_no_plaintext(env, tmp_path):
    from irdesk.demo import TITLE

    case = str(tmp_path / "big.ircase")
    irdesk(env, "demo", case, "--scale", "2000")  # the demo's title leads every format, the marker ends it
    irdesk(env, "note", case, "--phase", "containment", "--body", f"{MARKER} last step")
    started = time.monotonic()
    irdesk(env, "export", case, "--format", "json", "-o", str(tmp_path / "whole.json"))
    duration = time.monotonic() - started
    os.unlink(tmp_path / "whole.json")
    rng = random.Random(int(os.environ.get("IRDESK_KILL_SEED", "4242")))
    outcomes = {"finished": 0, "nothing": 0, "while writing": 0}
    for round_ in range(KILLS):
        folder = tmp_path / f"round-{round_}"
        folder.mkdir()
        fmt = ("json", "markdown", "csv-timeline")[round_ % 3]
        proc = subprocess.Popen([*IRDESK, "export", case, "--format", fmt, "-o", str(folder / "out")],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        if round_ % 2:
            time.sleep(rng.uniform(0, duration))
        else:  # aim at the moments it writes
            deadline = time.monotonic() + duration * 3
            while proc.poll() is None and time.monotonic() < deadline:
                if unnamed_file_open(proc.pid, folder):
                    outcomes["while writing"] += 1
                    break
                time.sleep(0.0005)
            time.sleep(rng.uniform(0, 0.05))
        proc.send_signal(signal.SIGKILL)
        finished = proc.wait(timeout=60) == 0
        left = os.listdir(folder)
        if left:  # only ever the whole output
            assert left == ["out"], (round_, left)
            data = (folder / "out").read_bytes()
            if fmt == "json":
                json.loads(data)
            assert MARKER.encode() in data
        outcomes["finished" if finished else "nothing"] += bool(finished) or not left
    everywhere = holders(tmp_path, (MARKER.encode(), TITLE.encode()))
    assert all(p.startswith("round-") and p.endswith("/out") for p in everywhere), everywhere
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".partial")]
    print(f"\n[figures] export kills ({KILLS}, one run {duration:.1f} s): {outcomes}")


def test_without_unnamed_files_a_killed_exports_partial_is_removed_by_the_next_command(
        env, cases, tmp_path):
    case, _ = cases
    shim = tmp_path / "no-tmpfile"
    shim.mkdir()
    (shim / "sitecustomize.py").write_text("import os\n\ndel os.O_TMPFILE\n")
    fat = {**env, "PYTHONPATH": f"{shim}{os.pathsep}{ROOT}"}
    folder = tmp_path / "stick"
    folder.mkdir()
    left = folder / ".case.json.0badc0de.partial"  # what a kill on a FAT stick leaves
    left.write_bytes(b"\0" * 4096 + MARKER.encode())
    proc = irdesk(fat, "export", case, "--format", "json", "-o", str(folder / "case.json"))
    assert f"Removed {left.name} from {folder}" in proc.stderr
    assert sorted(os.listdir(folder)) == ["case.json"]


def test_a_killed_import_into_a_new_file_leaves_nothing_half_made(env, tmp_path):
    source = str(tmp_path / "source.ircase")
    irdesk(env, "demo", source, "--scale", "1000")
    export = str(tmp_path / "source.json")
    irdesk(env, "export", source, "--format", "json", "-o", export)
    expected = len(json.loads(Path(export).read_text())["records"])
    folder = tmp_path / "restored"
    folder.mkdir()
    started = time.monotonic()
    irdesk(env, "import", str(folder / "first.ircase"), "--format", "json", export)
    duration = time.monotonic() - started
    rng = random.Random(int(os.environ.get("IRDESK_KILL_SEED", "99")))
    removed = 0
    for round_ in range(max(4, KILLS // 5)):
        target = folder / f"round-{round_}.ircase"
        proc = subprocess.Popen([*IRDESK, "import", str(target), "--format", "json", export], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        time.sleep(rng.uniform(duration * 0.3, duration * 1.05))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        if target.exists():  # complete, or not there at all
            proc = irdesk(env, "check", str(target))
            assert f"{expected} records" in proc.stdout
        # The next command writing into the folder removes what the kill left, and says so.
        after = irdesk(env, "import", str(folder / f"next-{round_}.ircase"), "--format", "json", export)
        removed += after.stderr.count("Removed ")
        assert not [n for n in os.listdir(folder) if n.endswith((".partial", "-journal"))], round_
    assert all(os.path.getsize(folder / n) > 0 for n in os.listdir(folder))
    print(f"\n[figures] import kills: {max(4, KILLS // 5)}, partials removed by the next command: {removed}")
