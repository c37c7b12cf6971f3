"""Opening a checked-in case file of every earlier format migrates it to the current one, with a
backup, and changes no record's hash and no audit entry (records evolve without rewriting history)."""

from __future__ import annotations

import os
import shutil

import pytest

from irdesk.casefile import operations as ops
from irdesk.casefile import schema
from irdesk.casefile.check import check_case
from irdesk.casefile.errors import CaseFileError
from irdesk.casefile.store import CaseFile
from irdesk.domain.enums import IndicatorKind
from irdesk.domain.records import Attachment, Contact, Indicator, Note

DATA = os.path.join(os.path.dirname(__file__), "data")
# format1.ircase was written by the format 1 code with the test KDF (1 MiB, 1 pass), its
# content is the demo case plus one edited note, one deleted note and one edited contact.
FORMAT1_PASSPHRASE = "format-one-fixture-passphrase"


@pytest.fixture
def format1(tmp_path):
    path = str(tmp_path / "old.ircase")
    shutil.copyfile(os.path.join(DATA, "format1.ircase"), path)
    return path


def test_opening_migrates_with_a_backup_and_keeps_everything(format1):
    with open(format1, "rb") as handle:
        original = handle.read()
    with CaseFile.open(format1, FORMAT1_PASSPHRASE, actor="Migrator") as case:
        assert case.db.scalar("PRAGMA user_version") == schema.SCHEMA_VERSION == 3
        assert case.counts()["note"] == 19 and case.counts()["contact"] == 6
        assert len(case.records.all(Note, include_deleted=True)) == 20
        edited = [n for n in case.records.all(Note) if n.body.endswith("(edited)")]
        assert len(edited) == 1 and len(case.records.history(Note, edited[0].id)) == 1
        contact = case.records.all(Contact)[0]
        assert contact.phone == "+31 10 555 0143"
        assert case.records.history(Contact, contact.id)[0].record.phone == "+31 10 555 0142"
        assert case.attachment_bytes(case.records.all(Attachment)[0].id).startswith(b"~~~ LockBit")
        last = list(case.chain.entries())[-1]
        assert (last.action, last.source) == ("migrate", "format 1")
        assert contact.notes == ""  # format 3's field, at its default
        report = check_case(case)
        assert report.ok, report.problems
        # The new table works.
        indicator = ops.add_indicator(case, kind=IndicatorKind.IPV4, value="10.20.4.17").value
        assert case.records.get(Indicator, indicator.id).value == "10.20.4.17"
        assert check_case(case).ok
    backup = format1 + ".format1-backup"
    with open(backup, "rb") as handle:
        assert handle.read() == original


def test_the_backup_still_opens_as_format_1_read_only(format1):
    with CaseFile.open(format1, FORMAT1_PASSPHRASE, actor="Migrator"):
        pass
    backup = format1 + ".format1-backup"
    with pytest.raises(CaseFileError, match="older format"):
        CaseFile.open(backup, FORMAT1_PASSPHRASE, writable=False)


def test_a_read_only_open_does_not_migrate(format1):
    with pytest.raises(CaseFileError, match="older format"):
        CaseFile.open(format1, FORMAT1_PASSPHRASE, writable=False)
    assert not os.path.exists(format1 + ".format1-backup")


def test_the_migration_step_adds_only_the_indicators_table():
    added = schema.expected_objects(2) - schema.expected_objects(1)
    names = {row[1] for row in added}
    assert names == {"indicators", "indicators_by_value", "sqlite_autoindex_indicators_1"}
    assert schema.expected_objects(1) <= schema.expected_objects(2)


def test_the_format_3_step_adds_only_the_contact_notes_column():
    changed = schema.expected_objects(3) ^ schema.expected_objects(2)
    assert {row[1] for row in changed} == {"contacts"}
    (new,) = [row for row in schema.expected_objects(3) if row[1] == "contacts"]
    assert new[3].endswith(", notes TEXT NOT NULL DEFAULT '')")


# format2.ircase was written by the format 2 code (main at a758864, test KDF): the demo case,
# one note edited and one deleted, one contact edited and one deleted, two indicators added.
FORMAT2_PASSPHRASE = "format-two-fixture-passphrase"


@pytest.fixture
def format2(tmp_path):
    path = str(tmp_path / "two.ircase")
    shutil.copyfile(os.path.join(DATA, "format2.ircase"), path)
    return path


def _raw(path: str, passphrase: str) -> dict[str, list]:
    """What the file holds, read with SQLCipher alone: the chain, every record, every revision."""
    from irdesk.casefile import kdf
    from tests.casefile.tamper import raw_connect

    with open(path, "rb") as handle:
        salt = handle.read(16)
    conn = raw_connect(path, kdf.raw_key_literal(kdf.derive_key(passphrase, salt), salt))
    try:
        return {
            "audit": conn.execute("SELECT * FROM audit ORDER BY seq").fetchall(),
            "revisions": conn.execute("SELECT kind, record_id, rev, json FROM revisions ORDER BY seq").fetchall(),
            "version": conn.execute("PRAGMA user_version").fetchall(),
        }
    finally:
        conn.close()


def test_a_format_2_file_migrates_without_changing_any_hash_or_audit_entry(format2):
    from irdesk.domain.canonical import record_hash
    from irdesk.domain.records import RECORD_TYPES
    from irdesk.interop.exporting import export_case

    before = _raw(format2, FORMAT2_PASSPHRASE)
    assert before["version"] == [(2,)]
    with CaseFile.open(format2, FORMAT2_PASSPHRASE, actor="Migrator") as case:
        assert case.db.scalar("PRAGMA user_version") == 3
        entries = list(case.chain.entries())
        # The old chain is there entry for entry; the migration only appended its own.
        assert [e.values() for e in entries[:-1]] == [tuple(row) for row in before["audit"]]
        assert (entries[-1].action, entries[-1].source) == ("migrate", "format 2")
        # Every record, read by the new code, hashes to what the format 2 code chained for it.
        latest = {(e.entity, e.entity_id): e.record_hash for e in entries}
        count = 0
        for cls in RECORD_TYPES:
            for record in case.records.iter_all(cls):
                assert record_hash(record) == latest[(cls.KIND, record.id)], (cls.KIND, record.id)
                count += 1
        assert count == len({k for k in latest if k[0] != "file"}) == 61
        contacts = case.records.all(Contact, include_deleted=True)
        assert all(c.notes == "" for c in contacts) and any(c.deleted for c in contacts)
        report = check_case(case)
        assert report.ok, report.problems
        # The streamed export verifies every record against the chain by its own route.
        export_case(case, "json", format2 + ".json")
        # The new field works, and only the contact given notes gets a new hash.
        contact = case.records.all(Contact)[0]
        edited = ops.edit_contact(case, contact.id, notes="Escalate via the duty phone after 18:00.").value
        assert record_hash(edited) != record_hash(contact) and check_case(case).ok
    after = _raw(format2, FORMAT2_PASSPHRASE)
    assert after["audit"][: len(before["audit"])] == before["audit"]
    assert after["revisions"][: len(before["revisions"])] == before["revisions"]
    with open(format2 + ".format2-backup", "rb") as backup, open(os.path.join(DATA, "format2.ircase"), "rb") as kept:
        assert backup.read() == kept.read()


def test_a_second_migration_backup_never_replaces_the_first(format2):
    shutil.copyfile(format2, format2 + ".format2-backup")
    with open(format2 + ".format2-backup", "ab") as handle:
        handle.write(b"an earlier backup the user kept")
    with CaseFile.open(format2, FORMAT2_PASSPHRASE, actor="Migrator"):
        pass
    with open(format2 + ".format2-backup", "rb") as handle:
        assert handle.read().endswith(b"an earlier backup the user kept")
    assert os.path.exists(format2 + ".format2-backup-2")
