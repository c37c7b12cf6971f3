"""The real `irdesk` command in a subprocess, with the real key derivation."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import textwrap
import threading

import pytest
import sqlcipher3

from tests.conftest import IRDESK, PASSPHRASE, ROOT

pytestmark = pytest.mark.e2e


def irdesk(env, *args, passphrase=PASSPHRASE, stdin=None, check_rc=None):
    full_env = dict(env)
    if passphrase is not None:
        full_env["IRDESK_PASSPHRASE"] = passphrase
    proc = subprocess.run([*IRDESK, *args], env=full_env, capture_output=True, text=True, input=stdin,
                          timeout=120, cwd=env["HOME"])
    if check_rc is not None:
        assert proc.returncode == check_rc, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    return proc


def digest(path):
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


@pytest.fixture
def demo(irdesk_env, tmp_path):
    path = str(tmp_path / "demo.ircase")
    irdesk(irdesk_env, "demo", path, check_rc=0)
    return path


def test_version_is_instant_and_light(irdesk_env):
    proc = irdesk(irdesk_env, "--version", check_rc=0)
    assert proc.stdout.startswith("irdesk ")


def test_headless_commands_import_no_qt_or_reportlab(irdesk_env, tmp_path):
    script = textwrap.dedent(f"""
        import sys
        from irdesk.casefile import kdf
        kdf.PARAMETERS[1] = kdf.KdfParameters(1024, 1, 1)
        from irdesk.cli import run
        case = {str(tmp_path / "light.ircase")!r}
        for argv in (["--version"], ["new", case, "--title", "Light"],
                     ["note", case, "--phase", "detection", "--body", "x"], ["show", case],
                     ["search", case, "x"], ["check", case],
                     ["export", case, "--format", "json", "-o", case + ".json"]):
            assert run(argv) == 0, argv
        heavy = sorted(m for m in sys.modules
                       if m.split(".")[0] in ("PySide6", "shiboken6", "reportlab", "pyhanko"))
        assert not heavy, heavy
    """)
    env = {**irdesk_env, "IRDESK_PASSPHRASE": PASSPHRASE}
    proc = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr


def test_case_lifecycle(irdesk_env, tmp_path):
    path = str(tmp_path / "c.ircase")
    env = {**irdesk_env, "IRDESK_NEW_PASSPHRASE": PASSPHRASE}
    created = irdesk(env, "new", path, "--title", "Phishing at finance", "--tlp", "red", "--drill", check_rc=0)
    assert len(created.stdout.strip()) == 36 and "cannot recover" in created.stderr
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"
    note = irdesk(env, "note", path, "--phase", "detection", "--body", "Mailbox rule <b>found</b>",
                  "--gap", "visibility", "--at", "2026-11-28T09:15:00+01:00", check_rc=0)
    note_id = note.stdout.strip()
    irdesk(env, "contact", "add", path, "--name", "Ana Lima", "--kind", "law-enforcement", check_rc=0)
    evidence_file = tmp_path / "export.pst"
    evidence_file.write_bytes(b"mail" * 1000)
    irdesk(env, "evidence", "add", path, "--label", "Mailbox export", "--file", str(evidence_file), check_rc=0)
    shown = irdesk(env, "show", path, check_rc=0).stdout
    assert "TLP:RED" in shown and "DRILL" in shown and "Visibility" in shown
    found = irdesk(env, "search", path, "mailbox", check_rc=0).stdout
    assert note_id in found and "»Mailbox«" in found
    checked = irdesk(env, "check", path, check_rc=0).stdout
    assert "OK" in checked and "Fingerprint" in checked
    out = tmp_path / "case.json"
    irdesk(env, "export", path, "--format", "json", "-o", str(out), check_rc=0)
    assert hashlib.sha256(evidence_file.read_bytes()).hexdigest() in out.read_text()


def test_rawkey_opens_the_file_in_plain_sqlcipher(demo, irdesk_env):
    raw = irdesk(irdesk_env, "rawkey", demo, check_rc=0).stdout.strip()
    assert raw.startswith("x'") and len(raw) == 2 + 96 + 1
    conn = sqlcipher3.connect(demo)
    conn.execute(f'PRAGMA key = "{raw}"')
    assert conn.execute("SELECT count(*) FROM notes").fetchone()[0] == 20
    assert conn.execute("PRAGMA user_version").fetchone()[0] >= 1
    conn.close()


def test_wrong_passphrase_exit_3_and_file_untouched(demo, irdesk_env):
    before = digest(demo)
    proc = irdesk(irdesk_env, "note", demo, "--phase", "detection", "--body", "x", passphrase="wrong one",
                  check_rc=3)
    assert proc.stderr.strip() == "irdesk: The passphrase is wrong, or the file's first page is damaged."
    assert digest(demo) == before


def test_read_only_commands_never_modify_the_file(demo, irdesk_env, tmp_path):
    before, mtime = digest(demo), os.stat(demo).st_mtime_ns
    for args in (["show", demo], ["search", demo, "hypervisor"], ["check", demo], ["rawkey", demo],
                 ["export", demo, "--format", "json", "-o", str(tmp_path / "o.json")]):
        irdesk(irdesk_env, *args, check_rc=0)
    assert digest(demo) == before and os.stat(demo).st_mtime_ns == mtime


def test_not_a_case_file_and_missing_file(irdesk_env, tmp_path):
    empty = tmp_path / "empty.ircase"
    empty.write_bytes(b"")
    assert "empty" in irdesk(irdesk_env, "show", str(empty), check_rc=4).stderr
    odd = tmp_path / "odd.ircase"
    odd.write_bytes(b"x" * 5000)
    irdesk(irdesk_env, "check", str(odd), check_rc=4)
    missing = irdesk(irdesk_env, "show", str(tmp_path / "nope.ircase"), check_rc=2)
    assert missing.stderr.count("\n") == 1


def test_case_held_by_a_writer_gives_exit_5(demo, irdesk_env):
    from irdesk.casefile.lock import WriterLock

    lock = WriterLock(demo)
    try:
        proc = irdesk(irdesk_env, "note", demo, "--phase", "detection", "--body", "x", check_rc=5)
        assert "open in another irdesk" in proc.stderr
        irdesk(irdesk_env, "show", demo, check_rc=0)  # readers are never blocked
    finally:
        lock.release()


def test_two_writers_at_once_both_succeed_or_one_gets_5(demo, irdesk_env):
    results = []

    def write(i):
        results.append(irdesk(irdesk_env, "note", demo, "--phase", "containment", "--body", f"parallel {i}"))

    threads = [threading.Thread(target=write, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r.returncode in (0, 5) for r in results)
    written = [r.stdout.strip() for r in results if r.returncode == 0]
    found = irdesk(irdesk_env, "search", demo, "parallel", check_rc=0).stdout
    assert all(note_id in found for note_id in written) and written


def test_passphrase_file_strips_one_newline_and_weak_ones_are_refused(irdesk_env, tmp_path):
    secret = tmp_path / "pp.txt"
    secret.write_text(PASSPHRASE + "\n")
    path = str(tmp_path / "f.ircase")
    irdesk(irdesk_env, "new", path, "--title", "File pass", "--new-passphrase-file", str(secret),
           passphrase=None, check_rc=0)
    irdesk(irdesk_env, "show", path, "--passphrase-file", str(secret), passphrase=None, check_rc=0)
    weak = irdesk({**irdesk_env, "IRDESK_NEW_PASSPHRASE": "password"}, "new", str(tmp_path / "w.ircase"),
                  "--title", "Weak", passphrase=None, check_rc=2)
    assert "too short" in weak.stderr and not os.path.exists(tmp_path / "w.ircase")
    irdesk(irdesk_env, "show", path, passphrase=None, check_rc=2)  # no tty, no secret: usage


def test_usage_errors_are_one_sentence(irdesk_env, tmp_path):
    proc = irdesk(irdesk_env, "note", str(tmp_path / "x"), "--phase", "lunch", "--body", "x", check_rc=2)
    assert proc.stderr.strip().splitlines()[-1].startswith("irdesk: Argument --phase")
    proc = irdesk(irdesk_env, "note", str(tmp_path / "x"), "--phase", "detection", "--body", "x",
                  "--at", "yesterday", check_rc=2)
    assert "ISO 8601" in proc.stderr
