"""The hand-off copy: re-keyed, complete, atomic, fingerprinted; the original untouched."""

from __future__ import annotations

import contextlib
import hashlib
import os
import resource
import signal

import pytest

from irdesk.casefile import operations as ops
from irdesk.casefile.check import check_case
from irdesk.casefile.errors import OutputExists, OverCaseFile, StorageError, WrongPassphrase
from irdesk.casefile.handoff import write_handoff_copy
from irdesk.casefile.store import CaseFile
from irdesk.domain.enums import Phase
from irdesk.domain.records import Attachment, Note
from tests.conftest import PASSPHRASE

NEW = "violet-anchor-93-meadow-x"


def digest(path: str) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


@pytest.fixture
def filled(tmp_path):
    """A closed case with notes, an edited note and an attachment; yields its path."""
    path = str(tmp_path / "case.ircase")
    with CaseFile.create(path, PASSPHRASE, title="Harbour", actor="Ana") as case:
        with case.transaction():
            for i in range(300):
                ops.add_note(case,
                    Phase.DETECTION, f"sweep {i}: beacon to 203.0.113.{i % 250} " + "x" * 200
                )
        note = ops.add_note(case, Phase.CONTAINMENT, "Isolated FS01").value
        ops.edit_note(case, note.id, body="Isolated FS01 and FS02")
        ops.attach(case, "ransom.txt", b"pay up", media_type="text/plain")
    return path


def test_the_copy_is_complete_rekeyed_and_fingerprinted(filled, tmp_path):
    before = digest(filled)
    target = str(tmp_path / "out" / "copy.ircase")
    os.mkdir(os.path.dirname(target))
    with CaseFile.open(filled, PASSPHRASE, actor="Ana") as case:
        case_id, head = case.case_id, case.chain_head
        version = case.db.scalar("PRAGMA user_version")
        copy = write_handoff_copy(case, target, NEW)
    assert digest(filled) == before  # the original is never touched
    assert os.listdir(os.path.dirname(target)) == ["copy.ircase"]  # no temporaries left
    with open(filled, "rb") as a, open(target, "rb") as b:
        assert a.read(16) != b.read(16)  # a salt of its own
    with pytest.raises(WrongPassphrase):
        CaseFile.open(target, PASSPHRASE, writable=False)
    with CaseFile.open(target, NEW, writable=False) as received:
        assert received.case_id == case_id == copy.case_id
        assert received.db.scalar("PRAGMA user_version") == version
        assert received.fingerprint() == copy.fingerprint  # what the receiver reads back
        assert received.chain_head == copy.chain_head != head
        last = list(received.chain.entries())[-1]
        assert last.action == "handoff" and head in last.source
        assert check_case(received).ok
        assert received.notes.count() == 301
        assert len(received.notes.search("FS02")) == 1  # the full-text index came along
        [edited] = [n for n in received.records.all(Note) if n.body.startswith("Isolated")]
        assert [r.record.body for r in received.records.history(Note, edited.id)] == ["Isolated FS01"]
        [attachment] = received.records.all(Attachment)
        assert received.attachment_bytes(attachment.id) == b"pay up"


def test_an_existing_target_is_refused(filled, tmp_path):
    target = tmp_path / "copy.ircase"
    target.write_bytes(b"keep me")  # named like a case: never replaced, even when allowed
    with CaseFile.open(filled, PASSPHRASE) as case:
        for replace in (False, True):
            with pytest.raises(OverCaseFile):
                write_handoff_copy(case, str(target), NEW, replace=replace)
    assert target.read_bytes() == b"keep me"


def test_another_existing_file_is_replaced_only_when_allowed(filled, tmp_path):
    target = tmp_path / "copy.bin"
    target.write_bytes(b"an old file")
    with CaseFile.open(filled, PASSPHRASE) as case:
        with pytest.raises(OutputExists):
            write_handoff_copy(case, str(target), NEW)
        assert target.read_bytes() == b"an old file"
        copy = write_handoff_copy(case, str(target), NEW, replace=True)
    with CaseFile.open(copy.path, NEW, writable=False) as opened:
        assert check_case(opened).ok
    assert sorted(os.listdir(tmp_path)) == sorted(["copy.bin", os.path.basename(filled)])


@contextlib.contextmanager
def file_size_limit(limit: int):
    """Writes past ``limit`` bytes fail (EFBIG), as on a full or small stick."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)


def test_a_disk_that_fills_during_the_copy_leaves_nothing_behind(filled, tmp_path):
    before = digest(filled)
    folder = tmp_path / "stick"
    folder.mkdir()
    target = str(folder / "copy.ircase")
    with CaseFile.open(filled, PASSPHRASE, actor="Ana") as case:
        head = case.chain_head
        with file_size_limit(os.path.getsize(filled) // 3), pytest.raises(StorageError) as failure:
            write_handoff_copy(case, target, NEW)
        assert "copy.ircase" in failure.value.message, failure.value.message
        assert case.chain_head == head
    assert os.listdir(folder) == []  # no copy, no temporary, no journal
    assert digest(filled) == before
    with CaseFile.open(filled, PASSPHRASE, actor="Ana") as case:
        ops.add_note(case, Phase.DETECTION, "still writable after the failed copy")
        assert check_case(case).ok and case.notes.count() == 302


def test_a_tampered_case_is_not_handed_on(filled, tmp_path):
    import sqlcipher3

    from irdesk.casefile import kdf
    from irdesk.casefile.errors import TamperedCase

    with open(filled, "rb") as handle:
        salt = handle.read(16)
    conn = sqlcipher3.connect(filled, isolation_level=None)
    conn.execute(f'PRAGMA key = "{kdf.raw_key_literal(kdf.derive_key(PASSPHRASE, salt), salt)}"')
    conn.execute("UPDATE notes SET body = 'rewritten behind the chain' WHERE seq = 5")
    conn.close()
    folder = tmp_path / "stick"
    folder.mkdir()
    with CaseFile.open(filled, PASSPHRASE) as case, pytest.raises(TamperedCase):
        write_handoff_copy(case, str(folder / "copy.ircase"), NEW)
    assert os.listdir(folder) == []
