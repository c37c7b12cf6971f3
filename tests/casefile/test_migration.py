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
from irdesk.domain.enums import IndicatorKind, RegimeKind, Resolution
from irdesk.domain.moment import Moment
from irdesk.domain.records import Attachment, Contact, Evidence, Indicator, Note, Regime, System
from tests.casefile.tamper import raw_connect

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
        assert case.db.scalar("PRAGMA user_version") == schema.SCHEMA_VERSION == 7
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
        assert contact.notes == ""  # format 4's field, at its default
        report = check_case(case)
        assert report.ok, report.problems
        # The new tables work.
        indicator = ops.add_indicator(case, kind=IndicatorKind.IPV4, value="10.20.4.17").value
        assert case.records.get(Indicator, indicator.id).value == "10.20.4.17"
        regime = ops.add_regime(case, RegimeKind.GDPR, aware_at=Moment.parse("2026-10-12T08:10+01:00")).value
        ops.add_notification(case, regime.id, "notification", Moment.parse("2026-10-13T12:00+01:00"), contact.id)
        assert [d.state.value for d in ops.deadlines(case)] == ["met"]
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


# ---------------------------------------------------------------- format 2 → 3

# format2.ircase was written by the format 2 code (test KDF): six notes, one edited, one
# deleted, and two conflicts merged in from a hand-off copy, one of them settled the format 2
# way (its conflict mark cleared, a "resolve" audit entry).
FORMAT2_PASSPHRASE = "format-two-fixture-passphrase"


@pytest.fixture
def format2(tmp_path):
    path = str(tmp_path / "two.ircase")
    shutil.copyfile(os.path.join(DATA, "format2.ircase"), path)
    return path


def test_format_2_upgrades_with_its_conflicts_vouched_for(format2):
    from irdesk.casefile.conflicts import list_conflicts

    with CaseFile.open(format2, FORMAT2_PASSPHRASE, actor="Migrator") as case:
        assert case.db.scalar("PRAGMA user_version") == schema.SCHEMA_VERSION
        entries = list(case.chain.entries())
        assert [e.action for e in entries[-2:]] == ["conflict", "migrate"]  # the one still open
        assert entries[-1].source == "format 2"  # one upgrade, 2 → 4, one entry
        [conflict] = list_conflicts(case)
        assert "note 3" in conflict.other.body
        assert check_case(case).ok, check_case(case).problems
        assert [h.note.id for h in case.notes.search("hypervisor")]  # the index was rebuilt
        ops.settle_conflict(case, conflict, Resolution.KEEP_CURRENT)  # settled the format 3 way
        assert list_conflicts(case) == [] and check_case(case).ok


def test_a_format_2_settlement_survives_an_older_revisions_page(format2):
    """Its settled conflict was settled by clearing the mark; an older page sets it again, but
    the chain's "resolve" entry still vouches that it was settled."""
    from irdesk.casefile.conflicts import list_conflicts

    with CaseFile.open(format2, FORMAT2_PASSPHRASE, actor="Migrator") as case:
        raw = case.raw_key()
    conn = raw_connect(format2, raw)
    conn.execute("UPDATE revisions SET conflict = 1 WHERE json LIKE '%note 2%' AND json LIKE '%version%'")
    conn.close()
    with CaseFile.open(format2, FORMAT2_PASSPHRASE, writable=False) as case:
        assert len(list_conflicts(case)) == 1  # still only the open one
        assert not check_case(case).ok  # and the changed mark is reported


def test_the_migration_step_2_to_3_adds_only_the_settlements_table():
    added = schema.expected_objects(3) - schema.expected_objects(2)
    assert {row[1] for row in added} == {"settlements", "settlements_by_record", "sqlite_autoindex_settlements_1"}
    assert schema.expected_objects(2) <= schema.expected_objects(3)


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


# format2-demo.ircase was written by the issue 14 branch's format 2 code (a758864, test KDF): the
# demo case, one note edited and one deleted, one contact edited and one deleted, two indicators.
# format3.ircase was written by the format 3 code (main at 2d40b6a, test KDF) with
# data/make_format3.py: the demo case, a note and a contact edited, a note and a contact deleted,
# an indicator added, then a hand-off copy merged back with two conflicts (a note and a contact),
# the contact's settled (a settlement record), the note's still open.
FORMAT3_PASSPHRASE = "format-three-fixture-passphrase"
# format4.ircase was written by the format 4 code (main at 3905686, test KDF) with
# data/make_format4.py: format 3's history, plus contact notes (one contact added with notes,
# one edited to gain them).
FORMAT4_PASSPHRASE = "format-four-fixture-passphrase"
# format6.ircase was written by the format 6 code (main at 72e9a0c, test KDF) with
# data/make_format6.py: format 4's history with the demo's regimes and notifications (format 5),
# plus a system owned by a contact and an evidence request linked to it (format 6).
FORMAT6_PASSPHRASE = "format-six-fixture-passphrase"

# Every checked-in file of an earlier format: (passphrase, its format, its records).
CHECKED_IN = {
    "format1.ircase": (FORMAT1_PASSPHRASE, 1, 54),
    "format2.ircase": (FORMAT2_PASSPHRASE, 2, 7),
    "format2-demo.ircase": (FORMAT2_PASSPHRASE, 2, 61),
    "format3.ircase": (FORMAT3_PASSPHRASE, 3, 61),
    "format4.ircase": (FORMAT4_PASSPHRASE, 4, 62),
    "format6.ircase": (FORMAT6_PASSPHRASE, 6, 72),
}


@pytest.mark.parametrize("name", sorted(CHECKED_IN))
def test_every_checked_in_format_migrates_without_changing_any_hash_or_audit_entry(tmp_path, name):
    from irdesk.domain.canonical import record_hash
    from irdesk.domain.records import RECORD_TYPES
    from irdesk.interop.exporting import export_case

    passphrase, version, records = CHECKED_IN[name]
    path = str(tmp_path / name)
    shutil.copyfile(os.path.join(DATA, name), path)
    before = _raw(path, passphrase)
    assert before["version"] == [(version,)]
    old = len(before["audit"])
    # What the old code chained for each record: the latest hash per (kind, id).
    chained = {(row[4], row[5]): row[6] for row in before["audit"] if row[4] != "file"}
    with CaseFile.open(path, passphrase, actor="Migrator") as case:
        assert case.db.scalar("PRAGMA user_version") == schema.SCHEMA_VERSION
        entries = list(case.chain.entries())
        # The old chain is there entry for entry; the upgrade only appended its own: a conflict
        # entry for each conflict an older format kept unvouched, then one "migrate".
        assert [e.values() for e in entries[:old]] == [tuple(row) for row in before["audit"]]
        added = entries[old:]
        assert [e.action for e in added[:-1]] == ["conflict"] * (len(added) - 1)
        assert (added[-1].action, added[-1].source) == ("migrate", f"format {version}")
        assert {e.entity for e in added} == {"file"}
        # Every record, read by the new code, hashes to what the old code chained for it.
        count = 0
        for cls in RECORD_TYPES:
            for record in case.records.iter_all(cls):
                assert record_hash(record) == chained[(cls.KIND, record.id)], (cls.KIND, record.id)
                count += 1
        assert count == len(chained) == records
        contacts = case.records.all(Contact, include_deleted=True)
        assert all(c.notes == "" for c in contacts) == (version < 4)  # format 4 added them
        report = check_case(case)
        assert report.ok, report.problems
        # The streamed export verifies every record against the chain by its own route.
        export_case(case, "json", path + ".json")
        if contacts:
            # The new field works, and only the contact given notes gets a new hash.
            contact = case.records.all(Contact)[0]
            edited = ops.edit_contact(case, contact.id, notes="Escalate via the duty phone after 18:00.").value
            assert record_hash(edited) != record_hash(contact) and check_case(case).ok
            assert case.records.get(Contact, contact.id).notes == "Escalate via the duty phone after 18:00."
            if version < 5:  # format 5's records work in the upgraded file
                regime = ops.add_regime(case, RegimeKind.GDPR, aware_at=Moment.parse("2026-10-12T08:10+01:00")).value
                ops.add_notification(case, regime.id, "notification", Moment.parse("2026-10-13T12:00+01:00"),
                                     contact.id)
                assert [d.state.value for d in ops.deadlines(case)] == ["met"] and check_case(case).ok
            else:  # the file's own regimes, notifications and systems read as they were written
                assert ops.deadlines(case) and case.records.all(System)
                assert any(e.system_id for e in case.records.all(Evidence)) and check_case(case).ok
    after = _raw(path, passphrase)
    assert after["audit"][:old] == before["audit"]
    assert after["revisions"][: len(before["revisions"])] == before["revisions"]
    with open(f"{path}.format{version}-backup", "rb") as backup, open(os.path.join(DATA, name), "rb") as kept:
        assert backup.read() == kept.read()


def test_the_demo_format_2_file_keeps_its_deleted_contact(tmp_path):
    path = str(tmp_path / "demo2.ircase")
    shutil.copyfile(os.path.join(DATA, "format2-demo.ircase"), path)
    with CaseFile.open(path, FORMAT2_PASSPHRASE, actor="Migrator") as case:
        contacts = case.records.all(Contact, include_deleted=True)
        assert any(c.deleted for c in contacts) and len(case.records.all(Indicator)) >= 2


# ---------------------------------------------------------------- format 3 → 4


@pytest.fixture
def format3(tmp_path):
    path = str(tmp_path / "three.ircase")
    shutil.copyfile(os.path.join(DATA, "format3.ircase"), path)
    return path


def test_the_migration_step_3_to_4_adds_only_the_contact_notes_column():
    changed = schema.expected_objects(4) ^ schema.expected_objects(3)
    assert {row[1] for row in changed} == {"contacts"}
    (new,) = [row for row in schema.expected_objects(4) if row[1] == "contacts"]
    assert new[3].endswith(", notes TEXT NOT NULL DEFAULT '')")


def test_format_3_upgrades_with_its_settlement_and_open_conflict_intact(format3):
    from irdesk.casefile.conflicts import list_conflicts
    from irdesk.domain.records import Settlement

    with CaseFile.open(format3, FORMAT3_PASSPHRASE, actor="Migrator") as case:
        entries = list(case.chain.entries())
        assert (entries[-1].action, entries[-1].source) == ("migrate", "format 3")
        assert entries[-2].action != "conflict"  # format 3 vouched for its conflicts itself
        [settled] = case.records.all(Settlement)
        assert settled.record_kind == "contact"
        [conflict] = list_conflicts(case)
        assert "(Ben)" in conflict.other.body or "(Ben)" in conflict.current.body
        contact = case.records.get(Contact, settled.record_id)
        assert contact.role in ("Duty manager (Ana)", "Duty manager (Ben)") and contact.notes == ""
        ops.settle_conflict(case, conflict, Resolution.KEEP_CURRENT)
        assert list_conflicts(case) == [] and check_case(case).ok


# ---------------------------------------------------------------- format 4 → 5


def test_the_migration_step_4_to_5_adds_only_the_regulatory_tables():
    added = schema.expected_objects(5) - schema.expected_objects(4)
    assert {row[1] for row in added} == {"regimes", "notifications", "notifications_by_regime",
                                         "sqlite_autoindex_regimes_1", "sqlite_autoindex_notifications_1"}
    assert schema.expected_objects(4) <= schema.expected_objects(5)


def test_format_4_upgrades_with_its_contact_notes_intact(tmp_path):
    path = str(tmp_path / "four.ircase")
    shutil.copyfile(os.path.join(DATA, "format4.ircase"), path)
    with CaseFile.open(path, FORMAT4_PASSPHRASE, actor="Migrator") as case:
        entries = list(case.chain.entries())
        assert (entries[-1].action, entries[-1].source) == ("migrate", "format 4")
        assert entries[-2].action != "conflict"
        noted = {c.name: c.notes for c in case.records.all(Contact) if c.notes}
        assert noted["Autoriteit Persoonsgegevens"] == "Meldloket datalekken; report within 72 h."
        assert "Escalate via the duty phone after 18:00." in noted.values()
        assert case.records.all(Regime) == [] and check_case(case).ok


def test_a_format_3_file_opened_read_only_is_not_migrated(format3):
    with pytest.raises(CaseFileError, match="older format"):
        CaseFile.open(format3, FORMAT3_PASSPHRASE, writable=False)
    assert not os.path.exists(format3 + ".format3-backup")


def test_a_second_migration_backup_never_replaces_the_first(format2):
    shutil.copyfile(format2, format2 + ".format2-backup")
    with open(format2 + ".format2-backup", "ab") as handle:
        handle.write(b"an earlier backup the user kept")
    with CaseFile.open(format2, FORMAT2_PASSPHRASE, actor="Migrator"):
        pass
    with open(format2 + ".format2-backup", "rb") as handle:
        assert handle.read().endswith(b"an earlier backup the user kept")
    assert os.path.exists(format2 + ".format2-backup-2")
