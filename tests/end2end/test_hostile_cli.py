"""The issue's hostile inputs against the real `irdesk` (real key derivation, real argv bytes).

Each is refused with one sentence and exit 2 or 4, never "irdesk hit a bug"; a forged
record is never signed into a report, and the case is left byte for byte as it was.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.casefile.tamper import forge
from tests.conftest import IRDESK, PASSPHRASE

pytestmark = pytest.mark.e2e


def irdesk(env: dict, *args: str | bytes, code: int) -> str:
    proc = subprocess.run([*IRDESK, *args], env={**env, "IRDESK_PASSPHRASE": PASSPHRASE}, capture_output=True,
                          timeout=120, cwd=env["HOME"])
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == code, (args, proc.returncode, err)
    assert "hit a bug" not in err and "Traceback" not in err
    if code:
        assert err.strip().split("\n")[-1].startswith("irdesk: ") and err.count("irdesk: ") == 1, err
    return err


@pytest.fixture
def case(irdesk_env, tmp_path) -> str:
    path = str(tmp_path / "case.ircase")
    irdesk(irdesk_env, "new", path, "--title", "Hostile", code=0)
    return path


def test_bytes_that_are_not_utf8_are_refused(irdesk_env, case):
    irdesk(irdesk_env, "search", case, b"\xff", code=2)
    irdesk(irdesk_env, "note", case, "--phase", "detection", "--body", "x", "--tag", b"\xff", code=2)
    irdesk(irdesk_env, "search", case, "x", "--limit", "1e30", code=2)
    irdesk({**irdesk_env, "IRDESK_AUTHOR": os.fsdecode(b"\xfe")}, "note", case, "--phase", "detection",
           "--body", "x", code=2)
    irdesk({**irdesk_env, "IRDESK_IDENTITY_PASSPHRASE": "identity-passphrase-1"}, "identity", "new",
           "--name", b"\xff", code=2)


@pytest.mark.parametrize("when", ["9999-12-31T23:59:59.999999+00:00", "9999-12-31T23:30-05:00",
                                  "0001-01-01T00:10+01:00"])
def test_times_beyond_the_bounds_are_refused(irdesk_env, case, when):
    assert "out of range" in irdesk(irdesk_env, "note", case, "--phase", "detection", "--body", "x",
                                    "--at", when, code=2)


def test_a_case_cut_short_by_whole_pages_is_damaged_not_a_wrong_passphrase(irdesk_env, case):
    data = Path(case).read_bytes()
    Path(case).write_bytes(data[: 4096 * 3])
    assert "damaged" in irdesk(irdesk_env, "show", case, code=4)


def test_a_forged_note_is_never_signed(irdesk_env, case, tmp_path):
    irdesk(irdesk_env, "note", case, "--phase", "detection", "--body", "the genuine text", code=0)
    irdesk({**irdesk_env, "IRDESK_IDENTITY_PASSPHRASE": "identity-passphrase-1"}, "identity", "new",
           "--name", "Ana Responder", code=0)
    raw = subprocess.run([*IRDESK, "rawkey", case], env={**irdesk_env, "IRDESK_PASSPHRASE": PASSPHRASE},
                         capture_output=True, text=True, check=True, timeout=120).stdout.strip()
    forge(case, raw, "note", _note_id(case, raw))
    before = Path(case).read_bytes()
    out = tmp_path / "out"
    out.mkdir()
    env = {**irdesk_env, "IRDESK_IDENTITY_PASSPHRASE": "identity-passphrase-1"}
    err = irdesk(env, "report", case, "-o", str(out / "r.pdf"), "--sign", code=4)
    assert "irdesk check" in err
    irdesk(irdesk_env, "show", case, code=4)
    assert os.listdir(out) == [] and Path(case).read_bytes() == before


def _note_id(case: str, raw: str) -> str:
    from tests.casefile.tamper import raw_connect

    conn = raw_connect(case, raw)
    try:
        return conn.execute("SELECT id FROM notes").fetchone()[0]
    finally:
        conn.close()


def test_terminal_escapes_in_a_case_are_printed_never_run(irdesk_env, tmp_path):
    """A title or note from a colleague's copy may carry escapes that clear the screen, retitle
    the terminal or move the cursor: `show` and `search` print them as text."""
    path = str(tmp_path / "escapes.ircase")
    irdesk(irdesk_env, "new", path, "--title", "Esc \x1b[31mRED\x1b[0m", code=0)
    irdesk(irdesk_env, "note", path, "--phase", "detection", "--body",
           "beacon \x1b]0;pwned\x07 \x1b[2J\rfake prompt $ \x9b6n\nsecond line\tend", code=0)
    for args in (("show", path), ("search", path, "beacon")):
        proc = subprocess.run([*IRDESK, *args], env={**irdesk_env, "IRDESK_PASSPHRASE": PASSPHRASE},
                              capture_output=True, timeout=120, cwd=irdesk_env["HOME"])
        assert proc.returncode == 0, proc.stderr
        out = proc.stdout.decode("utf-8")
        assert not set(out) & {"\x1b", "\x07", "\r", "\x9b"}, (args, out)
        assert "\\x1b" in out, (args, out)
    assert "\\x1b]0;pwned\\x07" in out and "second line\tend" in out  # newline and tab stay as they are
