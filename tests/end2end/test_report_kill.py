"""`irdesk report --sign` killed at varied moments: no signed PDF is left that the case did not record.

Each round runs the real command (real key derivations for the case and the identity) and
SIGKILLs it at one of three kinds of moment: at a random time of its run, the moment any
file shows up in the output folder (the report, or a partial of it), or the moment the
case's rollback journal appears (the report's record is being committed). Then every file
in the output folder that ``verify`` accepts as signed by a trusted signer must also pass
``verify --case``: the case recorded it. The case itself must still pass the full check.
It runs twice: with unnamed files (O_TMPFILE), and as on a FAT stick without them (the
named partial). Each round builds and signs a whole report, so the round count is a tenth
of ``IRDESK_KILLS`` (at least 8).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time

import pytest

from irdesk.casefile.check import check_case
from irdesk.casefile.store import CaseFile
from irdesk.domain.records import ReportIssue
from irdesk.report.errors import ReportError
from irdesk.report.service import verify_report
from tests.conftest import IRDESK, ROOT

pytestmark = pytest.mark.e2e
KILLS = max(8, int(os.environ.get("IRDESK_KILLS", "0")) // 10)
SECRET = "tangerine-lighthouse-47-orbit"
IDENTITY_SECRET = "wombat-saxophone-91-quilt"
MODES = ("any time", "output appears", "journal appears")


def run(env, *args) -> subprocess.CompletedProcess:
    done = subprocess.run([*IRDESK, *args], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, (args, done.stderr)
    return done


def wait_for(predicate, proc: subprocess.Popen, limit: float) -> bool:
    deadline = time.monotonic() + limit
    while proc.poll() is None and time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.0003)
    return False


def newer_journal(path: str, started: float) -> bool:
    try:
        return os.stat(path).st_mtime >= started
    except FileNotFoundError:
        return False


@pytest.fixture(params=["O_TMPFILE", "named partial"])
def env(request, irdesk_env, tmp_path, monkeypatch):
    env = {
        **irdesk_env,
        "IRDESK_PASSPHRASE": SECRET,
        "IRDESK_NEW_PASSPHRASE": SECRET,
        "IRDESK_IDENTITY_PASSPHRASE": IDENTITY_SECRET,
    }
    if request.param == "named partial":  # a system without unnamed files, as FAT and exFAT are
        shim = tmp_path / "no-tmpfile"
        shim.mkdir()
        (shim / "sitecustomize.py").write_text("import os\n\ndel os.O_TMPFILE\n")
        env["PYTHONPATH"] = f"{shim}{os.pathsep}{ROOT}"
    monkeypatch.setenv("XDG_DATA_HOME", env["XDG_DATA_HOME"])  # verify here trusts that identity
    return env


def test_a_killed_report_sign_leaves_no_signed_report_the_case_has_not_recorded(tmp_path, env):
    case_path = str(tmp_path / "case.ircase")
    run(env, "identity", "new", "--name", "Ana Responder")
    run(env, "new", case_path, "--title", "Killed while signing")
    run(env, "note", case_path, "--phase", "detection", "--body", "Beacon to 10.20.4.17 seen.")
    started = time.monotonic()
    run(env, "report", case_path, "-o", str(tmp_path / "first.pdf"), "--sign")
    duration = time.monotonic() - started
    key = bytes.fromhex(run(env, "rawkey", case_path).stdout.strip()[2:66])

    rng = random.Random(int(os.environ.get("IRDESK_KILL_SEED", "1717")))
    outcomes = {"finished": 0, "record and file": 0, "record, no file": 0, "neither": 0}
    with CaseFile.open(case_path, key=key, writable=False) as case:
        recorded = {r.report_id for r in case.records.all(ReportIssue)}
    for round_ in range(KILLS):
        before = len(recorded)
        folder = tmp_path / f"round-{round_}"
        folder.mkdir()
        mode = MODES[round_ % len(MODES)]
        journal_started = time.time()
        proc = subprocess.Popen(
            [*IRDESK, "report", case_path, "-o", str(folder / "report.pdf"), "--sign"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if mode == "any time":
            time.sleep(rng.uniform(0, duration * 1.05))
        elif mode == "output appears":
            wait_for(lambda f=folder: bool(os.listdir(f)), proc, duration * 3)
            time.sleep(rng.uniform(0, 0.002))
        else:
            wait_for(
                lambda t=journal_started: newer_journal(case_path + "-journal", t), proc, duration * 3
            )
            time.sleep(rng.uniform(0, 0.004))
        proc.send_signal(signal.SIGKILL)
        finished = proc.wait(timeout=60) == 0

        # Writable, as the next irdesk command would: a read-only open cannot roll back a hot journal.
        with CaseFile.open(case_path, key=key, actor="Test Responder") as case:
            assert check_case(case).ok
            recorded = {r.report_id for r in case.records.all(ReportIssue)}
            files = sorted(os.listdir(folder))
            genuine = []
            for name in files:
                data = (folder / name).read_bytes()
                try:
                    verified = verify_report(data)
                except ReportError:
                    continue  # not a usable signed report (a partial, an empty file)
                genuine.append(name)
                assert verified.claims.report_id in recorded, (
                    f"round {round_} ({mode}): {name} verifies, but the case never recorded "
                    f"report {verified.claims.report_id}"
                )
                verify_report(data, case=case)
        if finished:
            outcomes["finished"] += 1
        elif genuine:
            outcomes["record and file"] += 1
        elif len(recorded) > before:
            outcomes["record, no file"] += 1
        else:
            outcomes["neither"] += 1
    partials = sum(1 for f in tmp_path.glob("round-*/.*.partial"))
    print(f"report --sign kills ({KILLS}, one run {duration:.1f} s): {outcomes}; partials left: {partials}")
