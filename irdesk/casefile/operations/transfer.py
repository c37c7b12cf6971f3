"""Operations that bring a colleague's work in: a merge of their copy, a JSON import, and
settling the conflicts either leaves."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeVar

from irdesk.casefile.conflicts import Conflict, Resolution, content_fields
from irdesk.casefile.container import EncryptedFile
from irdesk.casefile.errors import CaseFileError, NotAllowed
from irdesk.casefile.importing import ImportSummary, import_into
from irdesk.casefile.merge import Cancelled, MergePlan, MergeResult, Progress, apply_plan, plan_merge
from irdesk.casefile.operations.base import operation
from irdesk.casefile.store import CaseFile
from irdesk.domain.records import Record, Revision

F = TypeVar("F", bound=EncryptedFile)


@operation
def merge(case: F, other: F, plan: MergePlan, *, progress: Progress | None = None,
          cancelled: Cancelled | None = None) -> MergeResult:
    """Apply a previewed merge of ``other`` in one transaction.

    When this case moved on since the preview (a note saved meanwhile), the merge is planned
    again; it goes ahead only if it still makes the changes the user saw.
    """
    other.refresh_head()
    if other.chain_head != plan.other_head:
        raise CaseFileError(f"{other.path} changed since the merge was previewed; preview it again.")
    if case.chain_head != plan.case_head:
        fresh = plan_merge(case, other)
        if not fresh.same_changes(plan):
            raise CaseFileError("The case changed since the merge was previewed; preview it again.")
        plan = fresh
    return apply_plan(case, other, plan, progress=progress, cancelled=cancelled)


def merge_copy(case: EncryptedFile, other_path: str, passphrase: str) -> MergeResult:
    """Open, verify, plan and apply in one call (the command line's merge)."""
    from irdesk.casefile.merge import open_other

    other = open_other(case, other_path, passphrase)
    try:
        return merge(case, other, plan_merge(case, other)).value
    finally:
        other.close()


@operation
def settle_conflict(case: CaseFile, conflict: Conflict, how: Resolution) -> Record | None:
    """Apply the user's choice; returns the record KEEP_BOTH added."""
    cls = type(conflict.current)
    added = None
    if how is Resolution.TAKE_OTHER:
        case.records.revise(cls, conflict.current.id, **content_fields(conflict.other, with_deleted=True))
    elif how is Resolution.KEEP_BOTH:
        if not conflict.can_keep_both:
            raise NotAllowed("Both versions cannot be kept as separate records here; choose one of them.")
        added = case.records.create(cls, **content_fields(conflict.other, with_deleted=False))
    case.records.settle_conflict(conflict.other, how)
    return added


@operation
def import_records(case: CaseFile, records: Sequence[Record], revisions: Sequence[Revision],
                   attachments: Mapping[str, bytes], *, source: str, foreign_title: str | None = None
                   ) -> ImportSummary:
    """Merge an export's records into the case by UUID (see ``irdesk.casefile.importing``)."""
    return import_into(case, records, revisions, attachments, source=source, foreign_title=foreign_title)
