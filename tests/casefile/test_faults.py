"""Failures injected at each step of every file-replacing operation leave the original intact.

Steps: opening the temporary, writing, fsync, rename, folder fsync. Failures: an exception,
ENOSPC, EIO. After each: the target is either absent or the complete old file, no temporary is
left behind, and the case opens with its content unchanged. A real full disk is a small tmpfs.
"""

from __future__ import annotations

import errno
import hashlib
import os
import subprocess
from pathlib import Path

import pytest

from irdesk.casefile import files, outputs
from irdesk.casefile import operations as ops
from irdesk.casefile.errors import CaseFileError, StorageError
from irdesk.casefile.store import CaseFile
from irdesk.domain.enums import Phase
from irdesk.interop.jsonfmt import write_json
from tests.casefile.tamper import dump
from tests.conftest import PASSPHRASE

FAILURES = {
    "exception": lambda: RuntimeError("injected"),
    "ENOSPC": lambda: OSError(errno.ENOSPC, "No space left on device"),
    "EIO": lambda: OSError(errno.EIO, "Input/output error"),
}
STEPS = ["open", "write", "fsync", "replace"]


def sha(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@pytest.fixture
def filled(case_path):
    case = CaseFile.create(case_path, PASSPHRASE, title="Faults", actor="T")
    for i in range(30):
        ops.add_note(case, Phase.DETECTION, f"note {i}")
    return case


def inject(monkeypatch, step: str, failure: str) -> None:
    exc = FAILURES[failure]

    def boom(*args, **kwargs):
        raise exc()

    if step == "open":
        real_open = os.open

        def failing_open(path, flags, *a, **k):
            unnamed = hasattr(os, "O_TMPFILE") and flags & os.O_TMPFILE == os.O_TMPFILE
            if str(path).endswith(".partial") or unnamed:
                raise exc()
            return real_open(path, flags, *a, **k)

        monkeypatch.setattr(files.os, "open", failing_open)
    elif step == "write":
        real_fdopen = os.fdopen

        class FailingHandle:
            def __init__(self, handle):
                self._handle = handle

            def write(self, data):
                raise exc()

            def __getattr__(self, name):
                return getattr(self._handle, name)

            def __enter__(self):
                return self

            def __exit__(self, *a):
                self._handle.close()

        monkeypatch.setattr(files.os, "fdopen", lambda *a, **k: FailingHandle(real_fdopen(*a, **k)))
        monkeypatch.setattr(files.os, "write", boom)  # the unnamed writer's own writes
    elif step == "fsync":
        monkeypatch.setattr(files.os, "fsync", boom)
    elif step == "replace":
        monkeypatch.setattr(files.os, "replace", boom)


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".partial")]


@pytest.fixture(params=["unnamed", "named partial"])
def writer(request, monkeypatch):
    """The plaintext writer as on ext4 (O_TMPFILE), and as on FAT (a named partial)."""
    if request.param == "named partial":
        monkeypatch.setattr(files, "_open_unnamed", lambda folder: None)
    return request.param


@pytest.mark.parametrize("failure", list(FAILURES))
@pytest.mark.parametrize("step", STEPS)
def test_export_fails_cleanly(filled, tmp_path, monkeypatch, writer, step, failure):
    target = tmp_path / "out.json"
    target.write_text("the previous export")
    before, content = sha(filled.path), dump(filled)
    inject(monkeypatch, step, failure)
    with pytest.raises((CaseFileError, RuntimeError)) as raised:
        with outputs.plaintext_output(str(target), protect=(filled.path,), replace=True) as out:
            write_json(filled, out)
    if failure != "exception":
        assert isinstance(raised.value, StorageError)
    monkeypatch.undo()
    assert target.read_text() == "the previous export"
    assert leftovers(tmp_path) == []
    assert sha(filled.path) == before and dump(filled) == content


@pytest.mark.parametrize("failure", list(FAILURES))
@pytest.mark.parametrize("step", STEPS)
def test_backup_copy_fails_cleanly(filled, tmp_path, monkeypatch, step, failure):
    filled.close()
    before = sha(filled.path)
    inject(monkeypatch, step, failure)
    with pytest.raises((CaseFileError, RuntimeError)):
        files.atomic_copy(filled.path, filled.path + ".format1-backup")
    monkeypatch.undo()
    assert not os.path.exists(filled.path + ".format1-backup")
    assert leftovers(tmp_path) == []
    assert sha(filled.path) == before
    CaseFile.open(filled.path, PASSPHRASE).close()


def test_migration_backup_failure_leaves_the_old_file(tmp_path, monkeypatch):
    from irdesk.casefile import schema
    from tests.casefile.tamper import raw_connect

    path = str(tmp_path / "old.ircase")
    case = CaseFile.create(path, PASSPHRASE, title="Old", actor="T")
    raw = case.raw_key()
    case.close()
    current = schema.SCHEMA_VERSION
    monkeypatch.setattr(schema, "SCHEMA_VERSION", current + 1)
    monkeypatch.setitem(schema.MIGRATIONS, current, lambda execute: execute("CREATE TABLE added (x)"))
    schema.expected_objects.cache_clear()
    before = sha(path)
    real_fsync = os.fsync
    monkeypatch.setattr(files.os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(errno.ENOSPC, "full")))
    with pytest.raises(StorageError):
        CaseFile.open(path, PASSPHRASE)
    monkeypatch.setattr(files.os, "fsync", real_fsync)
    assert sha(path) == before and leftovers(tmp_path) == []
    migrated = CaseFile.open(path, PASSPHRASE)  # and with a working disk the migration goes through
    assert os.path.exists(path + f".format{current}-backup")
    migrated.close()
    conn = raw_connect(path, raw)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == current + 1
    conn.close()
    schema.expected_objects.cache_clear()


@pytest.fixture
def tiny_disk(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs for a real full disk needs root")
    mount = tmp_path / "tiny"
    mount.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", str(mount)], check=False)


def test_real_full_disk_loses_nothing_acknowledged(tiny_disk):
    path = str(tiny_disk / "full.ircase")
    case = CaseFile.create(path, PASSPHRASE, title="Full disk", actor="T")
    saved = []
    with pytest.raises(StorageError, match="full"):
        for i in range(10_000):
            saved.append(ops.add_note(case, Phase.CONTAINMENT, f"note {i} " + "z" * 2000).value.id)
    with pytest.raises(StorageError):  # the export of a full disk fails cleanly too
        with outputs.plaintext_output(str(tiny_disk / "export.json")) as out:
            write_json(case, out)
    case.close()
    assert [p.name for p in tiny_disk.iterdir() if p.name.endswith(".partial")] == []
    assert not (tiny_disk / "export.json").exists()
    reopened = CaseFile.open(path, PASSPHRASE, writable=False)
    from irdesk.casefile.check import check_case

    assert {n.id for n in reopened.notes.page()} >= set(saved)
    assert check_case(reopened).ok
    reopened.close()
