"""The readiness book through the real `irdesk` command: passphrases, exit codes, filing, show."""

from __future__ import annotations

import subprocess

import pytest

from tests.conftest import IRDESK, PASSPHRASE

pytestmark = pytest.mark.e2e

BOOK_PASS = "book-lantern-orbit-58-quartz"


def irdesk(env, *args, extra=None, check_rc=None):
    full = {**env, "IRDESK_PASSPHRASE": PASSPHRASE, "IRDESK_BOOK_PASSPHRASE": BOOK_PASS, **(extra or {})}
    proc = subprocess.run([*IRDESK, *args], env=full, capture_output=True, text=True, timeout=120, cwd=env["HOME"])
    if check_rc is not None:
        assert proc.returncode == check_rc, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    return proc


def one_sentence(proc) -> str:
    lines = [line for line in proc.stderr.splitlines() if line.startswith("irdesk: ")]
    assert len(lines) == 1, proc.stderr
    return lines[0]


def test_the_book_from_the_command_line(irdesk_env, tmp_path):
    book, case = str(tmp_path / "team.irbook"), str(tmp_path / "case.ircase")
    book_id = irdesk(irdesk_env, "book", "new", book, "--title", "SOC readiness", check_rc=0).stdout.strip()
    assert len(book_id) == 36
    dana = irdesk(irdesk_env, "book", "contact", "add", book, "--name", "Dana Ng", "--team", "Network",
                  "--escalation", "Ask Lee", check_rc=0).stdout.strip()
    system = irdesk(irdesk_env, "book", "system", "add", book, "--name", "Edge firewall", "--owner", dana,
                    "--logs", "traffic", "--retention", "30", check_rc=0).stdout.strip()
    assert len(system) == 36
    made = irdesk(irdesk_env, "new", case, "--title", "Harbour", "--book", book, check_rc=0)
    assert "1 contact(s)" in made.stderr
    engagement = irdesk(irdesk_env, "engagement", "add", case, "--contact", dana, "--purpose", "firewall",
                        "--needed-at", "2026-11-01T10:00Z", check_rc=0).stdout.strip()
    irdesk(irdesk_env, "engagement", "set", case, engagement, "--reached-at", "2026-11-01T12:30Z", check_rc=0)
    filed = irdesk(irdesk_env, "book", "file", book, case, check_rc=0)
    assert "Filed “Harbour”, 1 contact(s) updated." in filed.stdout
    again = irdesk(irdesk_env, "book", "file", book, case, check_rc=0)
    assert "already filed" in again.stdout
    shown = irdesk(irdesk_env, "book", "show", book, check_rc=0).stdout
    assert "Dana Ng (Network): verified 2026-11-01" in shown and "median 2 h 30 min to reach" in shown
    checked = irdesk(irdesk_env, "check", book, check_rc=0).stdout
    assert checked.startswith("OK: integrity holds")
    assert irdesk(irdesk_env, "rawkey", book, check_rc=0).stdout.startswith("x'")
    unfiled = irdesk(irdesk_env, "book", "unfile", book, made.stdout.strip(), check_rc=0)
    assert "“Harbour” was taken out of the register." in unfiled.stdout
    assert "Register: 0 incident(s)" in irdesk(irdesk_env, "book", "show", book, check_rc=0).stdout


def test_a_book_where_a_case_is_expected_and_the_reverse(irdesk_env, tmp_path):
    book, case = str(tmp_path / "team.irbook"), str(tmp_path / "case.ircase")
    irdesk(irdesk_env, "book", "new", book, "--title", "SOC readiness", check_rc=0)
    irdesk(irdesk_env, "new", case, "--title", "Harbour", check_rc=0)
    proc = irdesk(irdesk_env, "note", book, "--phase", "detection", "--body", "x", check_rc=4)
    assert "is a readiness book, not a case file" in one_sentence(proc)
    proc = irdesk(irdesk_env, "book", "show", case, check_rc=4)
    assert "is a case file, not a readiness book" in one_sentence(proc)
    misnamed = str(tmp_path / "renamed.ircase")
    subprocess.run(["cp", book, misnamed], check=True)
    proc = irdesk(irdesk_env, "show", misnamed, extra={"IRDESK_PASSPHRASE": BOOK_PASS}, check_rc=4)
    assert "is a readiness book, not a case file" in one_sentence(proc)


def test_book_passphrases(irdesk_env, tmp_path):
    book = str(tmp_path / "team.irbook")
    new_pass = "new-book-heron-42-cobalt"
    irdesk(irdesk_env, "book", "new", book, "--title", "T", extra={"IRDESK_NEW_PASSPHRASE": new_pass}, check_rc=0)
    proc = irdesk(irdesk_env, "check", book, check_rc=3)  # IRDESK_BOOK_PASSPHRASE is not the new one
    secret = tmp_path / "pass.txt"
    secret.write_text(new_pass + "\n", encoding="utf-8")
    irdesk(irdesk_env, "check", book, "--book-passphrase-file", str(secret), check_rc=0)
    proc = irdesk(irdesk_env, "book", "new", str(tmp_path / "weak.irbook"), "--title", "T",
                  extra={"IRDESK_BOOK_PASSPHRASE": "short"}, check_rc=2)
    assert one_sentence(proc)
