"""The real command: a case survives export to JSON and import into a new file exactly."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.conftest import IRDESK, PASSPHRASE

pytestmark = pytest.mark.e2e


def irdesk(env, *args):
    return subprocess.run([*IRDESK, *args], env=env, capture_output=True, text=True, timeout=120)


def test_json_round_trip_through_the_command_line(tmp_path, irdesk_env):
    env = {**irdesk_env, "IRDESK_PASSPHRASE": PASSPHRASE}
    a, b = str(tmp_path / "a.ircase"), str(tmp_path / "b.ircase")
    first, second = str(tmp_path / "a.json"), str(tmp_path / "b.json")
    assert irdesk(env, "demo", a).returncode == 0
    assert irdesk(env, "export", a, "--format", "json", "-o", first).returncode == 0
    done = irdesk(env, "import", b, "--format", "json", first)
    assert done.returncode == 0, done.stderr
    assert irdesk(env, "export", b, "--format", "json", "-o", second).returncode == 0
    assert irdesk(env, "check", b).returncode == 0
    with open(first, encoding="utf-8") as f1, open(second, encoding="utf-8") as f2:
        one, two = json.load(f1), json.load(f2)
    audit_one, audit_two = one.pop("audit"), two.pop("audit")
    for key in ("exported_at", "chain_head", "chain_length", "fingerprint"):
        one.pop(key), two.pop(key)
    assert one == two
    assert audit_two[: len(audit_one)] == audit_one
    action = one["audit_columns"].index("action")
    assert {row[action] for row in audit_two[len(audit_one):]} <= {"import", "keep"}


def test_a_bad_vcard_is_refused_with_exit_2(tmp_path, irdesk_env):
    env = {**irdesk_env, "IRDESK_PASSPHRASE": PASSPHRASE}
    case, card = str(tmp_path / "c.ircase"), tmp_path / "bad.vcf"
    card.write_bytes(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cut off\r\n")
    assert irdesk(env, "new", case, "--title", "T").returncode == 0
    done = irdesk(env, "import", case, "--format", "vcard", str(card))
    assert done.returncode == 2
    assert done.stderr.strip() == "irdesk: Card 1 is cut off: it has no END:VCARD."
