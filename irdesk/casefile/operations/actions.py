"""Operations on lessons-learned action items: proposed → accepted → implemented → tested, or waived."""

from __future__ import annotations

from datetime import date
from typing import Any

from irdesk.casefile.operations.base import operation
from irdesk.casefile.store import CaseFile
from irdesk.domain.enums import ActionStatus
from irdesk.domain.records import ActionItem, Note, RecordId


@operation
def add_action(case: CaseFile, title: str, *, owner: str = "", due: date | None = None,
               source_note_id: str | None = None, **fields: Any) -> ActionItem:
    """An action item, optionally fixing the gap a note recorded (``fields``: status and the rest)."""
    if source_note_id:
        case.records.get(Note, source_note_id)  # the note must exist
    return case.records.create(ActionItem, title=title, owner=owner, due=due,
                               source_note_id=RecordId(source_note_id) if source_note_id else None, **fields)


@operation
def edit_action(case: CaseFile, action_id: str, **changes: Any) -> ActionItem:
    """Change an item; leaving "waived" drops the reason, which no longer holds."""
    if changes.get("status", ActionStatus.WAIVED) is not ActionStatus.WAIVED:
        changes["waived_reason"] = ""
    return case.records.revise(ActionItem, action_id, **changes)
