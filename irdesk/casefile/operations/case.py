"""Operations on the case record: its fields, its status, its key times."""

from __future__ import annotations

from typing import Any

from irdesk.casefile.changes import NO_CHANGES, Changes, Done, changes_of
from irdesk.casefile.errors import NotAllowed
from irdesk.casefile.operations.base import operation
from irdesk.casefile.store import CaseFile
from irdesk.domain import veris
from irdesk.domain.enums import CaseStatus, RecordKind
from irdesk.domain.records import Case

# Reaching a status stamps its key time from the case's clock, unless a time was given.
STATUS_TIMES = {
    CaseStatus.CONTAINED: "contained_at",
    CaseStatus.RECOVERED: "recovered_at",
    CaseStatus.CLOSED: "closed_at",
}


@operation
def edit_case(case: CaseFile, **changes: Any) -> Case:
    """Change the case record: title, marking, summary, key times and status.

    A new status stamps its key time if it has none yet. Closing is refused while action
    items are neither tested nor waived.
    """
    if "veris_discovery" in changes:  # VERIS classifications: checked against VERIS 1.4's lists
        changes["veris_discovery"] = veris.check_discovery(changes["veris_discovery"])
    for name, check in (("veris_actors", veris.check_actors), ("veris_actions", veris.check_actions),
                        ("veris_assets", veris.check_assets)):
        if name in changes:
            changes[name] = check(tuple(changes[name]))
    current = case.case()
    status = changes.get("status")
    if status is not None and status != current.status:
        if status is CaseStatus.CLOSED:
            _refuse_early_close(case)
        stamp = STATUS_TIMES.get(status)
        if stamp is not None and changes.get(stamp) is None and getattr(current, stamp) is None:
            changes[stamp] = case.clock()
    return case.records.revise(Case, case.case_id, **changes)


def set_status(case: CaseFile, status: CaseStatus) -> Done[Case]:
    """The deliberate act of moving the case on (or back); see ``edit_case``."""
    return edit_case(case, status=status)


def _refuse_early_close(case: CaseFile) -> None:
    blockers = case.closing_blockers()
    if blockers:
        names = "; ".join(f"“{a.title}” ({a.status.value})" for a in blockers[:5])
        raise NotAllowed(
            f"The case cannot be closed while {len(blockers)} action item(s) are neither "
            f"tested nor waived: {names}."
        )


def repair_search_index(case: CaseFile) -> Done[bool]:
    """Rebuild the search index when it disagrees with the notes (True when it did)."""
    rebuilt = case.repair_search_index()
    return Done(rebuilt, changes_of([RecordKind.NOTE]) if rebuilt else NO_CHANGES)


def change_passphrase(case: CaseFile, new_passphrase: str) -> Done[None]:
    """Re-key the file in place (SQLCipher's journaled rekey, outside any transaction)."""
    case.rekey(new_passphrase)
    return Done(None, Changes(rekeyed=True))
