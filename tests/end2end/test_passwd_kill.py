"""`irdesk passwd` killed at random moments: the case still opens with the old or new passphrase.

Each round starts a real ``irdesk passwd`` (real key derivation) and SIGKILLs it at a
uniformly random moment of its run, a random moment after SQLCipher's rekey has started
its rollback journal, or just after that journal turned hot (the rekey is rewriting
pages). Then the case must open with one of the two passphrases (tried in random order: a
wrong first try must not hurt) and pass the full check with every note still there.
``IRDESK_KILLS`` sets the number of rounds.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time

import pytest

from irdesk.casefile.check import check_case
from irdesk.casefile.errors import WrongPassphrase
from irdesk.casefile.store import CaseFile
from tests.conftest import IRDESK

PASSPHRASES = ("tangerine-lighthouse-47-orbit", "violet-anchor-93-meadow-x")
KILLS = int(os.environ.get("IRDESK_KILLS", "12"))
JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")


def run(args, env, **extra) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*IRDESK, *args], env=env, capture_output=True, text=True, timeout=120, **extra
    )


def raw_key(path, passphrase, env) -> bytes:
    done = run(["rawkey", path], {**env, "IRDESK_PASSPHRASE": passphrase})
    assert done.returncode == 0, done.stderr
    return bytes.fromhex(done.stdout.strip()[2:66])


def start_passwd(path, old, new, env) -> subprocess.Popen:
    return subprocess.Popen(
        [*IRDESK, "passwd", path],
        env={**env, "IRDESK_PASSPHRASE": old, "IRDESK_NEW_PASSPHRASE": new},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def kill_while_rekeying(
    proc: subprocess.Popen, journal: str, rng: random.Random, limit: float, *, hot_only: bool
) -> None:
    """Wait for this run's rekey journal (or for it to turn hot), then kill a moment later.

    A journal left by an earlier kill (header still zeroed, so not hot) does not count.
    """
    started = time.time()
    deadline = time.monotonic() + limit
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            if os.stat(journal).st_mtime >= started and (not hot_only or hot(journal)):
                break
        except FileNotFoundError:
            pass
        time.sleep(0.0005)
    time.sleep(rng.uniform(0, 0.005 if hot_only else 0.08))
    proc.send_signal(signal.SIGKILL)


def hot(journal: str) -> bool:
    """A journal SQLite will roll back: it carries the magic, written once its pages are synced."""
    try:
        with open(journal, "rb") as handle:
            return handle.read(8) == JOURNAL_MAGIC
    except FileNotFoundError:
        return False


@pytest.mark.e2e
def test_a_killed_passwd_leaves_the_case_openable_with_the_old_or_new_passphrase(
    tmp_path, irdesk_env
):
    path = str(tmp_path / "case.ircase")
    done = run(
        ["demo", path, "--scale", "4000"], {**irdesk_env, "IRDESK_NEW_PASSPHRASE": PASSPHRASES[0]}
    )
    assert done.returncode == 0, done.stderr
    keys = [raw_key(path, PASSPHRASES[0], irdesk_env), b""]
    started = time.monotonic()
    proc = start_passwd(path, PASSPHRASES[0], PASSPHRASES[1], irdesk_env)
    assert proc.wait(timeout=120) == 0
    duration = time.monotonic() - started
    keys[1] = raw_key(path, PASSPHRASES[1], irdesk_env)
    with CaseFile.open(path, key=keys[1], writable=False) as case:
        notes = case.notes.count()

    rng = random.Random(int(os.environ.get("IRDESK_KILL_SEED", "611")))
    current, outcomes = 1, {"old": 0, "new": 0, "during rekey": 0, "hot journal": 0}
    for _ in range(KILLS):
        other = 1 - current
        proc = start_passwd(path, PASSPHRASES[current], PASSPHRASES[other], irdesk_env)
        mode = rng.choice(("any time", "journal written", "journal hot"))
        during_rekey = mode != "any time"
        if during_rekey:
            kill_while_rekeying(
                proc, path + "-journal", rng, duration * 2, hot_only=mode == "journal hot"
            )
        else:
            time.sleep(rng.uniform(0, duration * 1.1))
            proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        outcomes["during rekey"] += during_rekey
        outcomes["hot journal"] += hot(path + "-journal")

        opened = None
        for index in rng.sample([current, other], 2):
            try:
                case = CaseFile.open(path, key=keys[index], actor="Test Responder")
            except WrongPassphrase:
                continue
            with case:
                report = check_case(case)
                assert report.ok, report.problems
                assert case.notes.count() == notes
            opened = index
            break
        assert opened is not None, "after a kill the case opened with neither passphrase"
        outcomes["new" if opened == other else "old"] += 1
        current = opened
    assert outcomes["old"] + outcomes["new"] == KILLS
    if KILLS >= 10:
        assert outcomes["hot journal"] > 0, "no kill landed inside the rekey"
    print(f"passwd kills: {outcomes}")
