"""Operations on notes: write one, edit one (the earlier text stays in its history)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from irdesk.casefile.operations.base import operation
from irdesk.casefile.store import CaseFile
from irdesk.domain import attack as attack_catalogue
from irdesk.domain.enums import Gap, Phase
from irdesk.domain.moment import Moment
from irdesk.domain.records import Note


@operation
def add_note(case: CaseFile, phase: Phase, body: str, *, occurred: Moment | None = None,
             gap: Gap | None = None, tags: Sequence[str] = (), attack: Sequence[str] = ()) -> Note:
    """A note in ``phase``; it occurred now by the case's clock unless ``occurred`` says when.

    ``attack`` are ATT&CK technique ids as entered: checked against the shipped catalogue
    (unknown or revoked ones refused, ``attack.check_entered``)."""
    techniques, _ = attack_catalogue.check_entered(attack)
    return case.records.create(Note, phase=phase, body=body, occurred=occurred or case.clock(),
                               gap=gap, tags=tuple(tags), attack=techniques)


@operation
def edit_note(case: CaseFile, note_id: str, **changes: Any) -> Note:
    if "tags" in changes:
        changes["tags"] = tuple(changes["tags"])
    if "attack" in changes:  # ids already on the note stay as they are; new ones are checked
        kept = case.records.get(Note, note_id).attack
        given = [attack_catalogue.normalise(i) for i in changes["attack"]]
        entered, _ = attack_catalogue.check_entered(i for i in given if i not in kept)
        changes["attack"] = tuple(dict.fromkeys([i for i in given if i in kept] + list(entered)))
    return case.records.revise(Note, note_id, **changes)
