"""Contact notes travel: through a hand-off copy and back by a merge, as a conflict settled
either way, and through the JSON export, without changing the hash of any record written
before contacts had notes, nor any audit entry."""

from __future__ import annotations

import os
import shutil

import pytest

from irdesk.casefile import operations as ops
from irdesk.casefile.check import check_case
from irdesk.casefile.conflicts import Resolution, list_conflicts
from irdesk.casefile.handoff import write_handoff_copy
from irdesk.casefile.store import CaseFile
from irdesk.domain.canonical import record_hash
from irdesk.domain.records import RECORD_TYPES, Contact
from tests.casefile.test_migration import DATA, FORMAT3_PASSPHRASE, _raw

OTHER = "violet-anchor-93-meadow-x"
DUTY = "Can grant span port access, router ACL changes.\nEscalate via duty phone after 18:00."


@pytest.fixture
def old_case(tmp_path):
    """The checked-in format 3 file (no contact has notes), and what its chain held."""
    path = str(tmp_path / "three.ircase")
    shutil.copyfile(os.path.join(DATA, "format3.ircase"), path)
    before = _raw(path, FORMAT3_PASSPHRASE)
    return path, before


def hashes(case: CaseFile) -> dict[tuple[str, str], str]:
    return {(cls.KIND.value, r.id): record_hash(r) for cls in RECORD_TYPES for r in case.records.iter_all(cls)}


def test_notes_go_out_in_a_hand_off_copy_and_come_back_by_a_merge(old_case, tmp_path):
    path, before = old_case
    copy = str(tmp_path / "for-ben.ircase")
    with CaseFile.open(path, FORMAT3_PASSPHRASE, actor="Ana") as case:
        old = hashes(case)
        marta, other, *_ = case.records.all(Contact)
        ops.edit_contact(case, marta.id, notes=DUTY)
        write_handoff_copy(case, copy, OTHER)
    with CaseFile.open(copy, OTHER, actor="Ben") as theirs:
        assert theirs.records.get(Contact, marta.id).notes == DUTY
        ops.edit_contact(theirs, other.id, notes="Ask for the SOC lead; never e-mail.")
        assert check_case(theirs).ok
    with CaseFile.open(path, FORMAT3_PASSPHRASE, actor="Ana") as case:
        ops.merge_copy(case, copy, OTHER)
        assert case.records.get(Contact, marta.id).notes == DUTY
        assert case.records.get(Contact, other.id).notes == "Ask for the SOC lead; never e-mail."
        now = hashes(case)
        changed = {key for key in old if now[key] != old[key]}
        assert changed == {("contact", marta.id), ("contact", other.id)}
        assert check_case(case).ok
    after = _raw(path, FORMAT3_PASSPHRASE)
    assert after["audit"][: len(before["audit"])] == before["audit"]  # no old entry rewritten
    assert after["revisions"][: len(before["revisions"])] == before["revisions"]


@pytest.mark.parametrize("how", [Resolution.KEEP_CURRENT, Resolution.TAKE_OTHER])
def test_notes_edited_on_both_copies_are_a_conflict_settled_either_way(old_case, tmp_path, how):
    path, _before = old_case
    copy = str(tmp_path / "for-ben.ircase")
    with CaseFile.open(path, FORMAT3_PASSPHRASE, actor="Ana") as case:
        for conflict in list_conflicts(case):  # the fixture's open one, out of the way
            ops.settle_conflict(case, conflict, Resolution.KEEP_CURRENT)
        marta = case.records.all(Contact)[0]
        write_handoff_copy(case, copy, OTHER)
        ops.edit_contact(case, marta.id, notes="Ana: call the duty phone.")
    with CaseFile.open(copy, OTHER, actor="Ben") as theirs:
        ops.edit_contact(theirs, marta.id, notes="Ben: mail the SOC first.")
    with CaseFile.open(path, FORMAT3_PASSPHRASE, actor="Ana") as case:
        ops.merge_copy(case, copy, OTHER)
        [conflict] = list_conflicts(case)
        both = {conflict.current.notes, conflict.other.notes}
        assert both == {"Ana: call the duty phone.", "Ben: mail the SOC first."}
        ops.settle_conflict(case, conflict, how)
        expected = conflict.current.notes if how is Resolution.KEEP_CURRENT else conflict.other.notes
        assert case.records.get(Contact, marta.id).notes == expected
        assert list_conflicts(case) == [] and check_case(case).ok


def test_notes_survive_a_json_export_and_restore(old_case, tmp_path):
    from irdesk.interop.exporting import export_case
    from irdesk.interop.jsonimport import load_export, restore_export

    path, _before = old_case
    target = str(tmp_path / "case.json")
    with CaseFile.open(path, FORMAT3_PASSPHRASE, actor="Ana") as case:
        marta = case.records.all(Contact)[0]
        ops.edit_contact(case, marta.id, notes=DUTY)
        export_case(case, "json", target)
        expected = hashes(case)
    with open(target, "rb") as handle:
        export = load_export(handle)
    with restore_export(str(tmp_path / "restored.ircase"), OTHER, export, actor="T", source="json") as restored:
        assert restored.records.get(Contact, marta.id).notes == DUTY
        assert hashes(restored) == expected  # every record, with notes or without, hashes the same
        assert check_case(restored).ok
