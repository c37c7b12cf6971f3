"""Autosaves of one typing session amend its working revision: a history of versions a person
made, with every save still chained, and nothing amended once it may have left the file."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest

from irdesk.casefile import operations as ops
from irdesk.casefile.check import check_case
from irdesk.casefile.conflicts import list_conflicts
from irdesk.casefile.handoff import write_handoff_copy
from irdesk.casefile.operations.notes import SESSION_PAUSE
from irdesk.casefile.store import CaseFile
from irdesk.domain.enums import Gap, Phase
from irdesk.domain.moment import Moment
from irdesk.domain.records import Note
from tests.conftest import PASSPHRASE

OTHER = "violet-anchor-93-meadow-x"


class Clock:
    def __init__(self) -> None:
        self.now = Moment.parse("2026-11-28T09:00:00+01:00")

    def __call__(self) -> Moment:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now = self.now + timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def timed(case_path, clock):
    c = CaseFile.create(case_path, PASSPHRASE, title="Typing", actor="Ana", clock=clock)
    yield c
    c.close()


def chain_actions(case: CaseFile, note_id: str) -> list[str]:
    return [e.action for e in case.chain.entries() if e.entity_id == note_id]


def test_a_typing_session_is_one_version_and_every_save_is_chained(timed, clock):
    note = ops.add_note(timed, Phase.DETECTION, "Mail").value
    rev = note.rev
    for text in ("Mailbox rule", "Mailbox rule found on", "Mailbox rule found on CFO account"):
        clock.advance(0.7)
        saved = ops.amend_note(timed, note.id, rev, body=text).value
        assert saved.rev != rev and saved.parent_rev is None  # a new id, the same parent
        rev = saved.rev
    assert timed.records.history(Note, note.id) == []  # one version: what was typed
    assert timed.records.get(Note, note.id).body == "Mailbox rule found on CFO account"
    assert timed.records.get(Note, note.id).created == note.created
    assert chain_actions(timed, note.id) == ["create", "amend", "amend", "amend"]
    assert check_case(timed).ok
    assert [h.note.id for h in timed.notes.search("CFO")] == [note.id]
    assert timed.notes.search("Mail") == []  # the index follows the amended text


def test_editing_a_saved_note_keeps_it_and_amends_only_the_new_wording(timed, clock):
    note = ops.add_note(timed, Phase.DETECTION, "first wording").value
    clock.advance(600)  # another typing session
    edited = ops.edit_note(timed, note.id, body="second").value
    clock.advance(1)
    final = ops.amend_note(timed, note.id, edited.rev, body="second wording", gap=Gap.ACCESS).value
    assert final.parent_rev == note.rev
    assert [r.record.body for r in timed.records.history(Note, note.id)] == ["first wording"]
    assert check_case(timed).ok


@pytest.mark.parametrize("why", ["pause", "someone else", "not current", "deleted"])
def test_outside_its_session_an_amend_keeps_the_revision(timed, clock, case_path, why):
    note = ops.add_note(timed, Phase.DETECTION, "Called Ana").value
    working = note.rev
    if why == "pause":
        clock.advance(SESSION_PAUSE.total_seconds() + 1)
    elif why == "someone else":
        timed.close()
        timed = CaseFile.open(case_path, PASSPHRASE, actor="Ben", clock=clock)
    elif why == "not current":
        ops.edit_note(timed, note.id, gap=Gap.COMMUNICATION)  # e.g. a merge brought a change
    else:
        ops.delete(timed, Note, note.id)
    current = timed.records.get(Note, note.id)
    ops.amend_note(timed, note.id, working, body="Called Ana: no answer")
    kept = [r.record.rev for r in timed.records.history(Note, note.id)]
    assert current.rev in kept and working in kept
    assert check_case(timed).ok
    if why == "someone else":
        timed.close()


def test_only_note_fields_can_be_amended(timed):
    note = ops.add_note(timed, Phase.DETECTION, "x").value
    with pytest.raises(ValueError):
        ops.amend_note(timed, note.id, note.rev, deleted=True)


def test_a_copy_made_before_an_ordinary_edit_merges_back_without_a_conflict(timed, clock, tmp_path):
    """What the GUI relies on: once a copy left, the next save edits (keeps) instead of amending."""
    note = ops.add_note(timed, Phase.DETECTION, "Saw beacon").value
    clock.advance(0.5)
    working = ops.amend_note(timed, note.id, note.rev, body="Saw beacon to 10.20.4.17").value
    copy = str(tmp_path / "copy.ircase")
    write_handoff_copy(timed, copy, OTHER)
    clock.advance(0.5)
    ops.edit_note(timed, note.id, body="Saw beacon to 10.20.4.17 every 60 s")
    with CaseFile.open(copy, OTHER, actor="Ben") as theirs:
        ops.add_note(theirs, Phase.CONTAINMENT, "Blocked at the proxy")
    ops.merge_copy(timed, copy, OTHER)
    assert list_conflicts(timed) == []
    assert working.rev in {r.record.rev for r in timed.records.history(Note, note.id)}
    assert check_case(timed).ok
    assert os.path.exists(copy)
