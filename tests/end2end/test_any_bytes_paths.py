"""Case files whose names are not UTF-8 (``caf\\xe9.ircase`` from an old USB stick) work like
any other, and every message prints the name readably (``caf\\xe9``), never a traceback."""

from __future__ import annotations

import os
import subprocess

import pytest

from tests.conftest import IRDESK, PASSPHRASE, ROOT

pytestmark = pytest.mark.e2e


def irdesk(env, *args: bytes | str, rc: int = 0) -> subprocess.CompletedProcess:
    proc = subprocess.run([*IRDESK, *args], env=env, capture_output=True, timeout=120, cwd=ROOT)
    stdout, stderr = proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")  # valid UTF-8 always
    assert proc.returncode == rc, (args, proc.returncode, stdout, stderr)
    assert "Traceback" not in stderr and "bug" not in stderr
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)


def test_a_case_named_with_a_latin1_byte_works_in_every_command(irdesk_env, tmp_path):
    env = {**irdesk_env, "IRDESK_PASSPHRASE": PASSPHRASE, "IRDESK_NEW_PASSPHRASE": PASSPHRASE,
           "IRDESK_OTHER_PASSPHRASE": PASSPHRASE}
    folder = os.fsencode(tmp_path) + b"/stick-\xe9"
    os.mkdir(folder)
    case = folder + b"/caf\xe9.ircase"
    readable = os.fsencode(tmp_path).decode() + "/stick-\\xe9/caf\\xe9.ircase"

    irdesk(env, "new", case, "--title", "Café on the stick")
    irdesk(env, "note", case, "--phase", "detection", "--body", "Beacon to 10.20.4.17")
    assert "Café on the stick" in irdesk(env, "show", case).stdout
    assert irdesk(env, "check", case).stdout.startswith("OK: integrity holds")
    exported = irdesk(env, "export", case, "--format", "json", "-o", folder + b"/caf\xe9.json").stdout
    assert "caf\\xe9.json" in exported
    copy = folder + b"/caf\xe9-copy.ircase"
    handed = irdesk(env, "handoff", case, "-o", copy).stdout
    assert "caf\\xe9-copy.ircase" in handed
    irdesk(env, "note", copy, "--phase", "containment", "--body", "Isolated on the colleague's copy")
    merged = irdesk(env, "merge", case, copy).stdout
    assert "Merged: 1 added" in merged, merged
    assert "2 notes" in irdesk(env, "show", case).stdout

    refused = irdesk(env, "export", case, "--format", "json", "-o", case, rc=2)
    assert refused.stderr.startswith(f"irdesk: {readable} is a case file")
    missing = irdesk(env, "show", folder + b"/gon\xe9.ircase", rc=2)
    assert "gon\\xe9.ircase" in missing.stderr
    assert sorted(os.listdir(folder)) == [b"caf\xe9-copy.ircase", b"caf\xe9.ircase", b"caf\xe9.json"]
