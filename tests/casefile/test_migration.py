"""Opening a checked-in format 1 case file migrates it to the current format, with a backup."""

from __future__ import annotations

import os
import shutil

import pytest

from irdesk.casefile import operations as ops
from irdesk.casefile import schema
from irdesk.casefile.check import check_case
from irdesk.casefile.errors import CaseFileError
from irdesk.casefile.store import CaseFile
from irdesk.domain.enums import IndicatorKind, Resolution
from irdesk.domain.records import Attachment, Contact, Indicator, Note
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
        assert case.db.scalar("PRAGMA user_version") == 3
        entries = list(case.chain.entries())
        assert [e.action for e in entries[-2:]] == ["conflict", "migrate"]  # the one still open
        assert entries[-1].source == "format 2"
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
