"""``irdesk handoff`` and ``irdesk merge`` as a responder runs them (real key derivation)."""

from __future__ import annotations

import os
import re
import resource
import signal
import subprocess

import pytest

from tests.conftest import IRDESK, require_tool

MINE = "tangerine-lighthouse-47-orbit"
THEIRS = "violet-anchor-93-meadow-x"


def irdesk(env, *args, passphrase=MINE, preexec_fn=None, **extra_env):
    return subprocess.run(
        [*IRDESK, *args],
        env={**env, "IRDESK_PASSPHRASE": passphrase, **extra_env},
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=preexec_fn,
    )


def fingerprint(text: str) -> str:
    found = re.search(r"Fingerprint:\s+([0-9A-F]{4}( [0-9A-F]{4}){3})", text)
    assert found, text
    return found.group(1)


@pytest.mark.e2e
def test_hand_off_then_merge_back(tmp_path, irdesk_env):
    case, copy = str(tmp_path / "case.ircase"), str(tmp_path / "stick" / "copy.ircase")
    os.mkdir(tmp_path / "stick")
    assert (
        irdesk(irdesk_env, "new", case, "--title", "Harbour", IRDESK_NEW_PASSPHRASE=MINE).returncode
        == 0
    )

    weak = irdesk(irdesk_env, "handoff", case, "-o", copy, IRDESK_NEW_PASSPHRASE="password")
    assert weak.returncode == 2 and "passphrase" in weak.stderr and not os.path.exists(copy)

    done = irdesk(irdesk_env, "handoff", case, "-o", copy, IRDESK_NEW_PASSPHRASE=THEIRS)
    assert done.returncode == 0, done.stderr
    said = fingerprint(done.stdout)
    check = irdesk(irdesk_env, "check", copy, passphrase=THEIRS)
    assert check.returncode == 0 and fingerprint(check.stdout) == said  # read back over the phone

    note = irdesk(
        irdesk_env,
        "note",
        copy,
        "--phase",
        "containment",
        "--body",
        "Ben: isolated FS02",
        passphrase=THEIRS,
    )
    assert note.returncode == 0, note.stderr
    merged = irdesk(irdesk_env, "merge", case, copy, IRDESK_OTHER_PASSPHRASE=THEIRS)
    assert merged.returncode == 0, merged.stderr
    assert "1 added" in merged.stdout and "Ben: isolated FS02" in merged.stdout
    again = irdesk(irdesk_env, "merge", case, copy, IRDESK_OTHER_PASSPHRASE=THEIRS)
    assert again.returncode == 0 and "Nothing to merge" in again.stdout

    wrong = irdesk(irdesk_env, "merge", case, copy, IRDESK_OTHER_PASSPHRASE="nope-nope-nope")
    assert wrong.returncode == 3 and "copy.ircase" in wrong.stderr
    assert wrong.stderr.count("\n") == 1 and "Traceback" not in wrong.stderr
    itself = irdesk(irdesk_env, "merge", case, case, IRDESK_OTHER_PASSPHRASE=MINE)
    assert itself.returncode == 2 and "itself" in itself.stderr


def _small_file_limit(limit: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.mark.e2e
def test_a_hand_off_onto_a_full_disk_fails_cleanly(tmp_path, irdesk_env):
    case, stick = str(tmp_path / "case.ircase"), tmp_path / "stick"
    stick.mkdir()
    made = irdesk(irdesk_env, "demo", case, "--scale", "500", IRDESK_NEW_PASSPHRASE=MINE)
    assert made.returncode == 0, made.stderr
    with open(case, "rb") as handle:
        before = handle.read()
    full = irdesk(
        irdesk_env,
        "handoff",
        case,
        "-o",
        str(stick / "copy.ircase"),
        IRDESK_NEW_PASSPHRASE=THEIRS,
        preexec_fn=_small_file_limit(len(before) // 4),
    )
    assert full.returncode == 1, full.stderr
    assert "copy.ircase" in full.stderr and "Traceback" not in full.stderr
    assert os.listdir(stick) == []
    with open(case, "rb") as handle:
        assert handle.read() == before


@pytest.mark.e2e
def test_a_hand_off_onto_a_really_full_stick_fails_cleanly(tmp_path, irdesk_env):
    """A real ENOSPC: a small tmpfs mounted in a private user namespace plays the USB stick."""
    unshare = require_tool("unshare")
    case, stick = str(tmp_path / "case.ircase"), str(tmp_path / "stick")
    os.mkdir(stick)
    made = irdesk(irdesk_env, "demo", case, "--scale", "500", IRDESK_NEW_PASSPHRASE=MINE)
    assert made.returncode == 0, made.stderr
    size_kib = os.path.getsize(case) // 2048  # the stick holds half a copy
    script = (
        f'mount -t tmpfs -o size={size_kib}k tmpfs "$0" || exit 99; "$@"; rc=$?; '
        'echo "left: $(ls -A "$0")"; exit $rc'
    )
    env = {**irdesk_env, "IRDESK_PASSPHRASE": MINE, "IRDESK_NEW_PASSPHRASE": THEIRS}
    command = [
        unshare,
        "-Urm",
        "sh",
        "-c",
        script,
        stick,
        *IRDESK,
        "handoff",
        case,
        "-o",
        os.path.join(stick, "copy.ircase"),
    ]
    full = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    if full.returncode == 99:  # no user namespaces here: a file size limit stands in for the stick
        full = irdesk(
            irdesk_env,
            "handoff",
            case,
            "-o",
            os.path.join(stick, "copy.ircase"),
            IRDESK_NEW_PASSPHRASE=THEIRS,
            preexec_fn=_small_file_limit(size_kib * 1024),
        )
        assert os.listdir(stick) == []
    else:
        assert "left: \n" in full.stdout or full.stdout.endswith("left: \n"), full.stdout
        assert "disk is full" in full.stderr, full.stderr
    assert full.returncode == 1, full.stderr
    assert "copy.ircase" in full.stderr and "Traceback" not in full.stderr
    assert irdesk(irdesk_env, "check", case).returncode == 0
