"""Restores are operations: an earlier note version or a deleted record comes back as a new
revision with a ``restore`` audit entry, passes the verified reader and check, and merges."""

from __future__ import annotations

import pytest

from irdesk.casefile import operations as ops
from irdesk.casefile.check import check_case
from irdesk.casefile.errors import NotAllowed
from irdesk.casefile.handoff import write_handoff_copy
from irdesk.casefile.store import CaseFile
from irdesk.domain.enums import Gap, IndicatorKind, Phase
from irdesk.domain.records import Contact, Engagement, Indicator, Note

OTHER = "violet-anchor-93-meadow-x"


def _last_action(case: CaseFile, record_id: str) -> str:
    return case.db.scalar("SELECT action FROM audit WHERE entity_id = ? ORDER BY seq DESC LIMIT 1", (record_id,))


def test_restore_an_earlier_version_of_a_note(case):
    note = ops.add_note(case, Phase.DETECTION, "Beacon to 10.0.0.9", gap=Gap.VISIBILITY, tags=["c2"]).value
    ops.edit_note(case, note.id, attack=("T1071",))
    ops.edit_note(case, note.id, body="Beacon to 10.0.0.99 (typo fixed?)", gap=None, tags=[], attack=())
    first = case.records.history(Note, note.id)[1]  # the version with the ATT&CK technique
    done = ops.restore_note_version(case, note.id, first.record.rev)
    restored = done.value
    assert (restored.body, restored.gap, restored.tags, restored.attack) == (
        "Beacon to 10.0.0.9", Gap.VISIBILITY, ("c2",), ("T1071",))
    assert restored.rev != first.record.rev and restored.parent_rev is not None
    assert done.changes.touches(Note.KIND)
    assert _last_action(case, note.id) == "restore"
    bodies = [r.record.body for r in case.records.history(Note, note.id)]
    assert bodies == ["Beacon to 10.0.0.9"] * 2 + ["Beacon to 10.0.0.99 (typo fixed?)"]  # nothing lost
    assert case.records.get(Note, note.id) == restored  # through the verified reader
    assert check_case(case).ok


def test_restore_refuses_an_unknown_version_and_a_deleted_note(case):
    note = ops.add_note(case, Phase.DETECTION, "one").value
    with pytest.raises(NotAllowed, match="no earlier version"):
        ops.restore_note_version(case, note.id, "not-a-rev")
    ops.edit_note(case, note.id, body="two")
    [first] = case.records.history(Note, note.id)
    ops.delete(case, Note, note.id)
    with pytest.raises(NotAllowed, match="Deleted items"):
        ops.restore_note_version(case, note.id, first.record.rev)


def test_restore_a_deleted_record(case):
    note = ops.add_note(case, Phase.CONTAINMENT, "Isolate FS01").value
    indicator = ops.add_indicator(case, IndicatorKind.IPV4, "10.0.0.9").value
    ops.delete(case, Note, note.id)
    ops.delete(case, Indicator, indicator.id)
    assert {r.id for r in ops.deleted_items(case)} == {note.id, indicator.id}
    back = ops.restore_deleted(case, Note, note.id).value
    assert not back.deleted and back.body == "Isolate FS01"
    assert _last_action(case, note.id) == "restore"
    assert [n.id for n in case.notes.page()] == [note.id]  # listed and searchable again
    assert [r.id for r in ops.deleted_items(case)] == [indicator.id]
    again = ops.restore_deleted(case, Note, note.id)  # already live: no revision
    assert again.value.rev == back.rev and not again.changes.touches(Note.KIND)
    assert check_case(case).ok


def test_an_engagement_comes_back_only_under_a_live_contact(case):
    contact = ops.add_contact(case, "Dana Pike").value
    engagement = ops.add_engagement(case, contact.id, "Firewall logs").value
    ops.delete(case, Engagement, engagement.id)
    ops.delete(case, Contact, contact.id)
    with pytest.raises(NotAllowed, match="Restore the contact “Dana Pike” first"):
        ops.restore_deleted(case, Engagement, engagement.id)
    ops.restore_deleted(case, Contact, contact.id)
    assert not ops.restore_deleted(case, Engagement, engagement.id).value.deleted


def test_restores_travel_by_hand_off_and_merge(case, tmp_path):
    note = ops.add_note(case, Phase.DETECTION, "first").value
    gone = ops.add_note(case, Phase.DETECTION, "deleted by mistake").value
    ops.edit_note(case, note.id, body="second")
    ops.delete(case, Note, gone.id)
    copy_path = str(tmp_path / "copy.ircase")
    write_handoff_copy(case, copy_path, OTHER)
    colleague = CaseFile.open(copy_path, OTHER, actor="Colleague")
    try:
        [first] = colleague.records.history(Note, note.id)
        ops.restore_note_version(colleague, note.id, first.record.rev)
        ops.restore_deleted(colleague, Note, gone.id)
    finally:
        colleague.close()
    ops.merge_copy(case, copy_path, OTHER)
    assert case.records.get(Note, note.id).body == "first"
    assert not case.records.get(Note, gone.id).deleted
    assert check_case(case).ok


def test_a_restored_record_obeys_todays_rules(case):
    """Old data that breaks a rule (here: unavailable without a reason, kept as it was chained)
    can be deleted, but comes back only once it obeys the rule: a restore is checked as new."""
    import dataclasses

    from irdesk.domain.enums import EvidenceStatus
    from irdesk.domain.records import Evidence

    item = ops.add_evidence(case, "Firewall logs").value
    with case.transaction():
        case.records.put(dataclasses.replace(item, rev="old-rev", status=EvidenceStatus.UNAVAILABLE),
                         action="import", as_is=True)
    ops.delete(case, Evidence, item.id)
    with pytest.raises(NotAllowed, match="reason"):
        ops.restore_deleted(case, Evidence, item.id)
    assert case.records.get(Evidence, item.id).deleted
    assert check_case(case).ok


def test_restores_survive_export_and_salvage(case, tmp_path):
    from irdesk.casefile.salvage import salvage
    from irdesk.interop.exporting import export_case

    note = ops.add_note(case, Phase.DETECTION, "first").value
    ops.edit_note(case, note.id, body="second")
    [first] = case.records.history(Note, note.id)
    ops.restore_note_version(case, note.id, first.record.rev)
    gone = ops.add_note(case, Phase.DETECTION, "back again").value
    ops.delete(case, Note, gone.id)
    ops.restore_deleted(case, Note, gone.id)
    export_case(case, "json", str(tmp_path / "case.json"))  # the verified reader vouches for both
    salvage(case, str(tmp_path / "salvaged.ircase"), OTHER)
    again = CaseFile.open(str(tmp_path / "salvaged.ircase"), OTHER, actor="Salvager")
    try:
        assert again.records.get(Note, note.id).body == "first"
        assert not again.records.get(Note, gone.id).deleted
        assert check_case(again).ok
    finally:
        again.close()
