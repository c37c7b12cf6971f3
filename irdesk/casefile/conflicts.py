"""Settling the conflicts a merge left: keep the current version, take the other, or keep both.

A merge never throws text away: when both copies edited a record, the loser stays in the
record's history flagged as a conflict. These operations clear that flag, after making
the change the user chose; the competing version itself always stays in the history.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import Enum
from typing import Any

from irdesk.casefile.errors import NotAllowed
from irdesk.casefile.store import CaseFile
from irdesk.domain.records import Attachment, Case, Record

STAMPS = frozenset({"id", "rev", "parent_rev", "created", "updated", "author"})


class Resolution(Enum):
    KEEP_CURRENT = "keep current"
    TAKE_OTHER = "take other"
    KEEP_BOTH = "keep both"


@dataclass(frozen=True)
class Conflict:
    current: Record  # what the case holds now
    other: Record  # the competing version a merge kept

    @property
    def kind(self) -> str:
        return self.current.KIND

    @property
    def can_keep_both(self) -> bool:
        """Both can stay only as two records; a case, an attachment or a deletion cannot."""
        return not isinstance(self.current, Case | Attachment) and not self.other.deleted


def list_conflicts(case: CaseFile) -> list[Conflict]:
    """Every unsettled conflict, oldest first."""
    found = []
    for revision in case.conflict_revisions():
        current = case.find(type(revision.record), revision.record.id)
        if current is not None:
            found.append(Conflict(current, revision.record))
    return found


def _content(record: Record, *, with_deleted: bool) -> dict[str, Any]:
    fields = {
        f.name: getattr(record, f.name) for f in dataclasses.fields(record) if f.name not in STAMPS
    }
    if not with_deleted:
        fields.pop("deleted")
    return fields


def resolve(case: CaseFile, conflict: Conflict, how: Resolution) -> Record | None:
    """Apply the user's choice in one transaction; returns the record added by KEEP_BOTH."""
    cls = type(conflict.current)
    added = None
    with case.transaction():
        if how is Resolution.TAKE_OTHER:
            case.update(cls, conflict.current.id, **_content(conflict.other, with_deleted=True))
        elif how is Resolution.KEEP_BOTH:
            if not conflict.can_keep_both:
                raise NotAllowed(
                    "Both versions cannot be kept as separate records here; choose one of them."
                )
            added = case.add(cls, **_content(conflict.other, with_deleted=False))
        case.settle_conflict(conflict.other, how.value)
    return added
