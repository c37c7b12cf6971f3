"""Old data that breaks today's rules: found so that ``show`` and the GUI can point it out.

A rule checks only what a change touches (``rules``), so a case written before a rule
existed stays readable and editable; this lists what it still holds against the rules,
so the responder can fix it (a key time typed a year off, a note dated 9999).
"""

from __future__ import annotations

from irdesk.casefile import rules
from irdesk.casefile.store import CaseFile
from irdesk.domain.records import (
    ActionItem,
    ChecklistItem,
    Contact,
    CustodyEvent,
    Engagement,
    Evidence,
    Indicator,
    Note,
    Notification,
    Record,
    Regime,
)
from irdesk.domain.timebounds import EARLIEST, END

_SMALL = (ActionItem, Evidence, CustodyEvent, Contact, Engagement, Indicator, ChecklistItem, Regime,
          Notification)
_KEY = "%Y-%m-%dT%H:%M:%S.%fZ"  # the notes' UTC sort key


def standing_problems(case: CaseFile, limit: int = 10) -> list[str]:
    """What the case's live records break, one sentence each (the case record first).

    Notes are many: only those whose time is out of bounds are looked at (in SQL), the one
    rule a note's own fields can break.
    """
    records: list[Record] = [case.case()]
    for cls in _SMALL:
        records += case.records.all(cls)
    records += case.records.select(Note, where="occurred_utc < ? OR occurred_utc >= ?",
                                   params=(EARLIEST.strftime(_KEY), END.strftime(_KEY)))
    return rules.standing(records, limit)
