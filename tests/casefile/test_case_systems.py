"""A case's systems (schema 5): the migration from format 4, evidence linked to a system, a case
that starts from the book gets its systems with their ids, and filing measures them."""

from __future__ import annotations

import os
import shutil

import pytest

from irdesk.casefile import operations as ops
from irdesk.casefile import schema
from irdesk.casefile.book_store import BookFile
from irdesk.casefile.check import check_case
from irdesk.casefile.errors import NoSuchRecord
from irdesk.casefile.filing import file_case
from irdesk.casefile.handoff import write_handoff_copy
from irdesk.casefile.merge import open_other, plan_merge
from irdesk.casefile.operations.book import add_book_contact, add_system
from irdesk.casefile.starting import start_from_book
from irdesk.casefile.store import CaseFile
from irdesk.domain.book import FiledEvidence
from irdesk.domain.canonical import to_dict
from irdesk.domain.enums import EvidenceStatus
from irdesk.domain.moment import Moment
from irdesk.domain.records import SYSTEMS_FORMAT, Contact, Evidence, System
from tests.conftest import PASSPHRASE

DATA = os.path.join(os.path.dirname(__file__), "data")


def test_systems_format_is_the_migration_step_that_adds_them():
    assert schema.MIGRATIONS[SYSTEMS_FORMAT - 1] is schema._systems  # renumber both together
    added = schema.expected_objects(SYSTEMS_FORMAT) ^ schema.expected_objects(SYSTEMS_FORMAT - 1)
    assert {row[1] for row in added} == {"systems", "sqlite_autoindex_systems_1", "evidence"}


def test_an_older_case_gains_systems_and_keeps_every_hash(tmp_path):
    from tests.casefile.test_migration import FORMAT3_PASSPHRASE as fixture_passphrase

    path = str(tmp_path / "three.ircase")
    shutil.copyfile(os.path.join(DATA, "format3.ircase"), path)
    with CaseFile.open(path, fixture_passphrase, actor="Migrator") as case:
        assert case.db.scalar("PRAGMA user_version") == schema.SCHEMA_VERSION
        assert check_case(case).ok
        evidence = case.records.all(Evidence)
        assert all(e.system_id is None and "system_id" not in to_dict(e) for e in evidence)
        system = add_system(case, "Edge firewall", retention_days=30).value
        assert case.records.get(System, system.id).retention_days == 30


def test_evidence_names_a_system_of_the_case(case):
    owner = ops.add_contact(case, "Dana Ng", phone="+1 555 0100").value
    system = add_system(case, "Edge firewall", owner_id=owner.id, retention_days=7).value
    item = ops.add_evidence(case, "Firewall logs", system_id=system.id).value
    assert item.system_id == system.id and item.source_system == "Edge firewall"
    assert to_dict(item)["system_id"] == system.id
    with pytest.raises(NoSuchRecord):
        ops.add_evidence(case, "Other logs", system_id="00000000-0000-0000-0000-000000000000")
    with pytest.raises(NoSuchRecord):
        add_system(case, "SIEM", owner_id="00000000-0000-0000-0000-000000000000")
    assert check_case(case).ok


def test_a_case_from_the_book_has_its_systems_and_filing_measures_them(tmp_path):
    book = BookFile.create(str(tmp_path / "team.irbook"), PASSPHRASE, title="SOC", actor="Lead")
    dana = add_book_contact(book, "Dana Ng").value
    firewall = add_system(book, "Edge firewall", owner_id=dana.id, retention_days=7).value
    with CaseFile.create(str(tmp_path / "c.ircase"), PASSPHRASE, title="C", actor="Ana",
                         fill=lambda new: start_from_book(new, book)) as case:
        copied = case.records.get(System, firewall.id)
        assert (copied.name, copied.owner_id, copied.retention_days) == ("Edge firewall", dana.id, 7)
        assert case.records.get(Contact, dana.id).name == "Dana Ng"  # its owner came along
        item = ops.add_evidence(case, "Logs", system_id=firewall.id, source_system="fw-01 (renamed)",
                                requested_at=Moment.parse("2026-11-01T10:00Z")).value
        ops.edit_evidence(case, item.id, status=EvidenceStatus.COLLECTED,
                          collected_at=Moment.parse("2026-11-01T11:15Z"))
        file_case(book, case)
        filed = book.records.get(FiledEvidence, item.id)
        assert filed.system_id == firewall.id
    measured = book.records.get(System, firewall.id)  # matched by id, whatever the source's name says
    assert measured.last_obtained_minutes == 75
    book.close()


def test_systems_travel_in_a_handoff_and_merge_back(case, tmp_path):
    system = add_system(case, "Edge firewall", retention_days=7).value
    copy = write_handoff_copy(case, str(tmp_path / "copy.ircase"), "another-passphrase-entirely-77")
    with CaseFile.open(copy.path, "another-passphrase-entirely-77", actor="Ben") as theirs:
        from irdesk.casefile.operations.book import edit_system

        edit_system(theirs, system.id, retention_days=90)
        add_system(theirs, "SIEM")
    other = open_other(case, copy.path, "another-passphrase-entirely-77")
    try:
        ops.merge(case, other, plan_merge(case, other))
    finally:
        other.close()
    assert {s.name: s.retention_days for s in case.records.all(System)} == {"Edge firewall": 90, "SIEM": None}
    assert check_case(case).ok
