"""Undo what matters: bring back an earlier version of a note, or a deleted record.

A restore never rewrites history: it writes a new revision (audit action ``restore``) whose
content is the earlier one, so the version it replaces stays kept, and a colleague's copy
merges it like any other edit.
"""

from __future__ import annotations

import dataclasses
from typing import TypeVar

from irdesk.casefile import rules
from irdesk.casefile.errors import NotAllowed
from irdesk.casefile.operations.base import operation
from irdesk.casefile.records import STAMPS
from irdesk.casefile.store import CaseFile
from irdesk.domain.labels import record_label
from irdesk.domain.records import (
    ActionItem,
    ChecklistItem,
    Contact,
    Engagement,
    Evidence,
    Indicator,
    Note,
    Notification,
    Record,
    Regime,
)

R = TypeVar("R", bound=Record)
RESTORE = "restore"  # the audit action of every restore
# What a responder deletes from a screen, and can bring back from "Deleted items". A regime is
# left out: deleting it deleted its notifications too, which one restore would not bring back.
RESTORABLE: tuple[type[Record], ...] = (Note, Evidence, Contact, Engagement, ActionItem, Indicator,
                                        ChecklistItem, Notification)
_NOT_CONTENT = STAMPS | {"deleted"}  # all else a version holds comes back (text, times, gap, tags, ATT&CK…)


@operation
def restore_note_version(case: CaseFile, note_id: str, rev: str) -> Note:
    """Make the kept version ``rev`` of a note its current text again, as a new revision.

    The text it replaces is kept as an earlier version, so nothing is lost either way.
    """
    current = case.records.get(Note, note_id)
    if current.deleted:
        raise NotAllowed("The note is deleted; restore it from Deleted items first.")
    for revision in case.records.history(Note, note_id):
        old = revision.record
        if old.rev == rev and isinstance(old, Note):
            break
    else:
        raise NotAllowed(f"The note {note_id} has no earlier version {rev}.")
    changes = {f.name: getattr(old, f.name) for f in dataclasses.fields(Note) if f.name not in _NOT_CONTENT}
    return case.records.revise(Note, note_id, audit_action=RESTORE, **changes)


@operation
def restore_deleted(case: CaseFile, cls: type[R], record_id: str) -> R:
    """Bring back a deleted (tombstoned) record as it was, as a new revision.

    It must obey today's rules as if it were new (its times in bounds, its links to live
    records), and an engagement or a notification comes back only under a live contact or
    regime.
    """
    if cls not in RESTORABLE:
        raise NotAllowed(f"A deleted {cls.KIND} cannot be restored here.")
    record = case.records.get(cls, record_id)
    if not record.deleted:
        return record  # already live: nothing to do, no audit entry
    parent = _parent(case, record)
    if parent is not None and parent.deleted:
        label = record_label(dataclasses.replace(parent, deleted=False))
        raise NotAllowed(f"Restore the {parent.KIND} “{label}” first: this {record.KIND} belongs to it.")
    rules.check(dataclasses.replace(record, deleted=False), None, case.records)
    return case.records.revise(cls, record_id, audit_action=RESTORE, deleted=False)


def _parent(case: CaseFile, record: Record) -> Record | None:
    if isinstance(record, Engagement):
        return case.records.find(Contact, record.contact_id)
    if isinstance(record, Notification):
        return case.records.find(Regime, record.regime_id)
    return None


def deleted_items(case: CaseFile) -> list[Record]:
    """Every deleted record a responder can restore, the latest deleted first (reads only)."""
    found: list[Record] = []
    for cls in RESTORABLE:
        found.extend(r for r in case.records.select(cls, include_deleted=True, where="deleted = 1")
                     if r.deleted)
    return sorted(found, key=lambda r: r.updated.utc, reverse=True)
