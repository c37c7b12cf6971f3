"""Tampered, damaged and hostile case files are rejected or flagged, never shown as genuine."""

import os
import random
from pathlib import Path

import pytest

from irdesk.casefile import operations as ops
from irdesk.casefile import schema
from irdesk.casefile.check import check_case
from irdesk.casefile.errors import (
    CaseFileError,
    NewerFormat,
    NotACaseFile,
    TamperedCase,
    WrongPassphrase,
)
from irdesk.casefile.store import CaseFile
from irdesk.domain.enums import Gap, Phase
from tests.casefile.tamper import PAGE, dump, pages, raw_connect, verdict
from tests.conftest import PASSPHRASE


@pytest.fixture
def filled(case_path):
    case = CaseFile.create(case_path, PASSPHRASE, title="Tamper target", actor="T")
    notes = [ops.add_note(case, list(Phase)[i % 4], f"note {i} " + "word " * (i * 7),
                          gap=Gap.ACCESS if i % 3 else None).value
             for i in range(40)]
    ops.attach(case, "blob.bin", os.urandom(9000))
    raw = case.raw_key()
    case.close()
    return case_path, notes, raw


def test_clean_file_passes(filled):
    path, _, _ = filled
    assert verdict(path, PASSPHRASE)[0] == "clean"


def test_flipped_byte_in_every_page_is_caught(filled):
    path, _, _ = filled
    original = Path(path).read_bytes()
    results = {}
    rng = random.Random(1)
    for index in range(len(original) // PAGE):
        data = bytearray(original)
        data[index * PAGE + rng.randrange(16 if index == 0 else 0, PAGE)] ^= 0x40
        with open(path, "wb") as handle:
            handle.write(data)
        outcome, _ = verdict(path, PASSPHRASE)
        results[index] = outcome
    with open(path, "wb") as handle:
        handle.write(original)
    assert results[0] == "rejected:WrongPassphrase"  # SQLCipher cannot tell: exit 3 by design
    not_caught = [i for i, r in results.items() if r == "clean"]
    assert not_caught == [], f"pages accepted with a flipped byte: {not_caught}"
    print(f"\n[figures] flipped bytes: {len(results)} pages, {len(results)} rejected or flagged")


def test_page_spliced_from_older_copy_never_changes_what_case_says(filled):
    path, notes, _ = filled
    older = Path(path).read_bytes()
    case = CaseFile.open(path, PASSPHRASE, actor="T")
    for note in notes[::2]:
        ops.edit_note(case, note.id, body=note.body.upper() + " (edited)")
    ops.delete(case, type(notes[1]), notes[1].id)
    truth = dump(case)
    case.close()
    newer = Path(path).read_bytes()
    old_pages, new_pages = pages(older), pages(newer)
    spliced = caught = 0
    for i in range(min(len(old_pages), len(new_pages))):
        if old_pages[i] == new_pages[i]:
            continue
        spliced += 1
        mixed = new_pages[:i] + [old_pages[i]] + new_pages[i + 1 :]
        with open(path, "wb") as handle:
            handle.write(b"".join(mixed))
        outcome, content = verdict(path, PASSPHRASE)
        if outcome == "clean":
            assert content == truth, f"page {i} from the older copy changed the case silently"
        else:
            caught += 1
    assert spliced > 5 and caught > 0
    print(f"\n[figures] splices: {spliced} older pages spliced in, {caught} caught, "
          f"{spliced - caught} changed nothing the case says")


@pytest.mark.parametrize(("mutate", "error"), [
    (lambda d: d[:-100], NotACaseFile),           # truncated mid-page
    (lambda d: d + b"appended", NotACaseFile),    # bytes appended
    (lambda d: b"", NotACaseFile),                # empty
    (lambda d: bytes(len(d)), NotACaseFile),      # zero bytes
    (lambda d: random.Random(2).randbytes(len(d)), WrongPassphrase),  # indistinguishable from a wrong key
    (lambda d: d[: PAGE * 2], CaseFileError),     # truncated at a page boundary
])
def test_damaged_files_get_typed_errors(filled, mutate, error):
    path, _, _ = filled
    data = Path(path).read_bytes()
    with open(path, "wb") as handle:
        handle.write(mutate(data))
    outcome, _ = verdict(path, PASSPHRASE)
    assert outcome.startswith("rejected") or outcome == "flagged"
    if outcome.startswith("rejected"):
        assert issubclass(getattr(__import__("irdesk.casefile.errors", fromlist=["x"]),
                                  outcome.split(":")[1]), error)


def test_sparse_two_gigabyte_file_is_refused_quickly(tmp_path):
    path = tmp_path / "sparse.ircase"
    with open(path, "wb") as handle:
        handle.truncate(2 * 1024**3)
    with pytest.raises(NotACaseFile):
        CaseFile.open(str(path), PASSPHRASE)


@pytest.mark.parametrize("ddl", [
    "CREATE TRIGGER evil AFTER INSERT ON notes BEGIN DELETE FROM notes; END",
    "CREATE VIEW peek AS SELECT body FROM notes",
    "DROP INDEX notes_by_gap",
    "CREATE TABLE extra (x)",
])
def test_right_key_wrong_schema_is_refused(filled, ddl):
    path, _, raw = filled
    conn = raw_connect(path, raw)
    conn.execute(ddl)
    conn.close()
    with pytest.raises(TamperedCase):
        CaseFile.open(path, PASSPHRASE)


def test_newer_user_version_is_refused(filled):
    path, _, raw = filled
    conn = raw_connect(path, raw)
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(NewerFormat, match="newer irdesk"):
        CaseFile.open(path, PASSPHRASE)


def test_record_changed_behind_the_chain_is_flagged(filled):
    path, notes, raw = filled
    conn = raw_connect(path, raw)
    conn.execute("UPDATE notes SET body = 'rewritten' WHERE id = ?", (notes[3].id,))
    conn.close()
    case = CaseFile.open(path, PASSPHRASE, writable=False)
    report = check_case(case)
    case.close()
    assert any("differs from what the audit chain recorded" in p for p in report.problems)


def test_audit_entry_removed_is_flagged(filled):
    path, _, raw = filled
    conn = raw_connect(path, raw)
    conn.execute("DELETE FROM audit WHERE seq = 5")
    conn.close()
    case = CaseFile.open(path, PASSPHRASE, writable=False)
    report = check_case(case)
    case.close()
    assert any("Audit entry 5 is missing" in p for p in report.problems)


def test_chain_tail_rewritten_is_refused_on_open(filled):
    path, _, raw = filled
    conn = raw_connect(path, raw)
    conn.execute("UPDATE audit SET actor = 'mallory' WHERE seq = (SELECT max(seq) FROM audit)")
    conn.close()
    with pytest.raises(TamperedCase, match="broken at its last entry"):
        CaseFile.open(path, PASSPHRASE)


def test_wal_mode_file_is_refused_read_only_and_repaired_by_a_writer(filled):
    path, _, raw = filled
    conn = raw_connect(path, raw)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    with pytest.raises(CaseFileError, match="journal mode"):
        CaseFile.open(path, PASSPHRASE, writable=False)
    CaseFile.open(path, PASSPHRASE).close()  # a writer puts it back to a rollback journal
    CaseFile.open(path, PASSPHRASE, writable=False).close()
    assert not os.path.exists(path + "-wal")


def test_encrypted_database_that_is_not_a_case(tmp_path):
    from irdesk.casefile import kdf

    path = str(tmp_path / "other.ircase")
    salt = kdf.new_salt()
    conn = raw_connect(path, kdf.raw_key_literal(kdf.derive_key(PASSPHRASE, salt), salt))
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    with pytest.raises(NotACaseFile):
        CaseFile.open(path, PASSPHRASE)
