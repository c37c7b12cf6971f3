"""Operations on notes: write one, edit one (the earlier text stays in its history)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from irdesk.casefile.operations.base import operation
from irdesk.casefile.store import CaseFile
from irdesk.domain.enums import Gap, Phase
from irdesk.domain.moment import Moment
from irdesk.domain.records import Note


@operation
def add_note(case: CaseFile, phase: Phase, body: str, *, occurred: Moment | None = None,
             gap: Gap | None = None, tags: Sequence[str] = ()) -> Note:
    """A note in ``phase``; it occurred now by the case's clock unless ``occurred`` says when."""
    return case.records.create(Note, phase=phase, body=body, occurred=occurred or case.clock(),
                               gap=gap, tags=tuple(tags))


@operation
def edit_note(case: CaseFile, note_id: str, **changes: Any) -> Note:
    if "tags" in changes:
        changes["tags"] = tuple(changes["tags"])
    return case.records.revise(Note, note_id, **changes)
