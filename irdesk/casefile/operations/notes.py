"""Operations on notes: write one, edit one (the earlier text stays in its history), and save
more of the same typing session (``amend_note``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from irdesk.casefile.operations.base import operation
from irdesk.casefile.store import CaseFile
from irdesk.domain import attack as attack_catalogue
from irdesk.domain.enums import Gap, Phase
from irdesk.domain.moment import Moment
from irdesk.domain.records import Note

# A typing session ends after this long without a save: the next edit keeps what was written.
SESSION_PAUSE = timedelta(minutes=2)
_NOTE_FIELDS = frozenset({"body", "occurred", "gap", "tags", "phase"})


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


@operation
def amend_note(case: CaseFile, note_id: str, working_rev: str, **changes: Any) -> Note:
    """Save more of one typing session: ``working_rev`` is replaced, not kept as a version.

    The editor saves at least every second while someone types, so that a crash loses
    nothing; keeping each of those saves as a version would bury the versions a person
    made. So the revision a typing session is writing is amended in place — every save is
    still chained (action ``amend``, with its hash) — as long as it is that session's:

    - ``working_rev`` is still the note's current revision (nobody else changed it since);
    - it was written by the same author, less than ``SESSION_PAUSE`` ago.

    Otherwise this is an ordinary ``edit_note``, and the working revision stays in the
    history. A front end passes ``working_rev`` only for a revision it wrote itself in the
    current session, and never for one that has left the file since (a hand-off copy, an
    export, a report): those must stay recoverable.
    """
    if not set(changes) <= _NOTE_FIELDS:
        raise ValueError(f"amend_note changes only {sorted(_NOTE_FIELDS)}")
    if "tags" in changes:
        changes["tags"] = tuple(changes["tags"])
    current = case.records.get(Note, note_id)
    since = case.clock() - current.updated
    if (current.rev != working_rev or current.deleted or current.author != case.actor
            or not timedelta(0) <= since <= SESSION_PAUSE):
        return case.records.revise(Note, note_id, **changes)
    return case.records.amend(Note, note_id, **changes)
