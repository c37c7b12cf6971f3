"""Settling the conflicts a merge left: keep the current version, take the other, or keep both.

A merge never throws text away: when both copies edited a record, the loser stays in the
record's history flagged as a conflict (vouched for by a ``conflict`` audit entry). The
``settle_conflict`` operation (``irdesk.casefile.operations.transfer``) makes the change
the user chose and adds a ``Settlement`` record; the competing version itself always stays
in the history. Settlements merge like any record, so every copy agrees on what is open.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from irdesk.casefile.records import STAMPS
from irdesk.casefile.store import CaseFile
from irdesk.domain.enums import Resolution
from irdesk.domain.records import Attachment, Case, Record

__all__ = ["Conflict", "Resolution", "content_fields", "list_conflicts"]


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
    for revision in case.records.conflict_revisions():
        current = case.records.find(type(revision.record), revision.record.id)
        if current is not None:
            found.append(Conflict(current, revision.record))
    return found


def content_fields(record: Record, *, with_deleted: bool) -> dict[str, Any]:
    """A record's own fields (no identity or stamps), to write them into another revision."""
    fields = {f.name: getattr(record, f.name) for f in dataclasses.fields(record) if f.name not in STAMPS}
    if not with_deleted:
        fields.pop("deleted")
    return fields
