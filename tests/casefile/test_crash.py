"""SIGKILL writers at random moments: every acknowledged change survives and check passes.

IRDESK_KILLS sets the number of kills per test (default 100 each for notes and batches, 40
for rekeys: well over 200 over the suite); `make test-long` runs thousands.
"""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
import time

import pytest

from irdesk.casefile.check import check_case
from irdesk.casefile.errors import WrongPassphrase
from irdesk.casefile.store import CaseFile
from irdesk.domain.records import Note
from tests.conftest import PASSPHRASE, ROOT

KILLS = int(os.environ.get("IRDESK_KILLS", "100"))
WRITER = [sys.executable, "-m", "tests.casefile.writer_proc"]


def start_writer(path: str, mode: str, passphrase: str = PASSPHRASE) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": ROOT}
    return subprocess.Popen([*WRITER, path, passphrase, mode], stdout=subprocess.PIPE, cwd=ROOT,
                            env=env, text=True, bufsize=1)


def read_acks(proc: subprocess.Popen, seconds: float) -> list[str]:
    """Lines the writer printed within ``seconds`` (each one is a committed change)."""
    acks, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            break
        line = proc.stdout.readline()
        if not line:
            break
        acks.append(line.strip())
    return acks


def wait_until_ready(proc: subprocess.Popen, seconds: float = 60.0) -> list[str]:
    """Lines up to and including the writer's "ready" (it has opened the case)."""
    lines: list[str] = []
    while "ready" not in lines:
        got = read_acks_once(proc, seconds)
        if got is None:
            break
        lines.append(got)
    return lines


def read_acks_once(proc: subprocess.Popen, seconds: float) -> str | None:
    ready, _, _ = select.select([proc.stdout], [], [], seconds)
    line = proc.stdout.readline() if ready else ""
    return line.strip() if line else None


def kill(proc: subprocess.Popen) -> list[str]:
    proc.send_signal(signal.SIGKILL)
    rest = proc.stdout.read().split()  # acks printed before the kill landed still count
    proc.wait()
    proc.stdout.close()
    return rest


@pytest.mark.parametrize("mode", ["notes", "batch"])
def test_sigkill_never_loses_acknowledged_notes(tmp_path, mode):
    path = str(tmp_path / "crash.ircase")
    CaseFile.create(path, PASSPHRASE, title="crash", actor="t").close()
    rng = random.Random(mode)
    acknowledged: set[str] = set()
    for round_ in range(KILLS):
        proc = start_writer(path, mode)
        # One kill in four lands while the writer opens the case; the others once it is writing,
        # so the figure does not depend on how long start-up takes on a loaded machine.
        lines = [] if round_ % 4 == 0 else wait_until_ready(proc)
        lines += read_acks(proc, rng.uniform(0.05, 0.35))
        lines += kill(proc)
        acknowledged.update(x for x in lines if x and x != "ready")
    case = CaseFile.open(path, PASSPHRASE, actor="t")  # rolls back any hot journal
    try:
        present = {n.id for n in case.records.all(Note)}
        missing = acknowledged - present
        assert not missing, f"{len(missing)} acknowledged notes lost"
        report = check_case(case)
        assert report.ok, report.problems
        assert len(acknowledged) > KILLS  # the writers did get work done between kills
        print(f"\n[figures] {mode}: {KILLS} SIGKILLs, {len(acknowledged)} acknowledged notes all present")
    finally:
        case.close()


def test_sigkill_during_rekey_leaves_old_or_new_passphrase(tmp_path):
    path = str(tmp_path / "rekey.ircase")
    CaseFile.create(path, PASSPHRASE, title="rekey", actor="t").close()
    rng = random.Random(7)
    for _ in range(max(20, KILLS * 2 // 5)):
        proc = start_writer(path, "rekey")
        lines = read_acks(proc, rng.uniform(0.02, 0.3))
        lines += kill(proc)
        # The writer alternates between the two; a change after its last ack may also have landed.
        for attempt in (PASSPHRASE, PASSPHRASE + "-new"):
            try:
                case = CaseFile.open(path, attempt, actor="t")
            except WrongPassphrase:
                continue
            assert check_case(case).ok
            if attempt != PASSPHRASE:
                case.rekey(PASSPHRASE)  # the next writer starts from the base passphrase
            case.close()
            break
        else:
            pytest.fail("after a kill mid-rekey neither passphrase opens the case")
