"""Figures computed from records: how long the response took, and where it waited.

``irdesk show`` and the report compute every figure with these functions, from the same
records and the same "as of" moment, so a printout and the screen agree.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from irdesk.domain.enums import EvidenceStatus, Gap
from irdesk.domain.moment import Moment
from irdesk.domain.records import ActionItem, Case, Contact, Engagement, Evidence, Note, RecordId


def between(start: Moment | None, end: Moment | None) -> timedelta | None:
    """``end - start``, or None when either is unknown."""
    if start is None or end is None:
        return None
    return end - start


def as_of(case: Case, made_at: Moment) -> Moment:
    """The one moment every open wait is measured to: closed, else recovered, else ``made_at``.

    A closed case therefore prints the same figures however often it is reprinted.
    """
    return case.closed_at or case.recovered_at or made_at


@dataclass(frozen=True)
class KeyDurations:
    time_to_detect: timedelta | None  # first activity → detected
    time_to_report: timedelta | None  # detected → reported
    time_to_contain: timedelta | None  # detected → contained
    time_to_eradicate: timedelta | None  # detected → eradicated
    time_to_recover: timedelta | None  # detected → recovered


def key_durations(case: Case) -> KeyDurations:
    return KeyDurations(
        time_to_detect=between(case.first_activity_at, case.detected_at),
        time_to_report=between(case.detected_at, case.reported_at),
        time_to_contain=between(case.detected_at, case.contained_at),
        time_to_eradicate=between(case.detected_at, case.eradicated_at),
        time_to_recover=between(case.detected_at, case.recovered_at),
    )


class WaitState(StrEnum):
    """Where one wait for a person or a piece of evidence stands."""

    DONE = "done"  # reached, or collected: the wait is measured
    WAITING = "waiting"  # still open: measured up to the "as of" moment
    UNAVAILABLE = "unavailable"  # evidence that cannot be had (with a reason): no wait
    NEVER_REQUESTED = "never requested"  # evidence needed but never asked for: no wait
    UNTIMED = "untimed"  # obtained, but when it was asked for or arrived is not recorded


@dataclass(frozen=True)
class Wait:
    """How long the response waited for one person or one piece of evidence."""

    subject: str  # the contact's name or the evidence label
    purpose: str
    started: Moment | None
    waited: timedelta | None  # None unless DONE or WAITING
    state: WaitState
    reason: str = ""  # why evidence is unavailable

    @property
    def resolved(self) -> bool:
        return self.state is WaitState.DONE

    @property
    def measured(self) -> bool:
        return self.waited is not None


def engagement_wait(engagement: Engagement, now: Moment | None = None) -> timedelta | None:
    """Needed → reached; while not reached, needed → now (if ``now`` is given)."""
    end = engagement.reached_at or now
    return between(engagement.needed_at, end)


def evidence_wait(evidence: Evidence, now: Moment | None = None) -> timedelta | None:
    """Requested → collected; while not collected, requested → now (if ``now`` is given).

    Unavailable evidence has no wait: nobody is waiting for logs that were overwritten.
    """
    if evidence.status is EvidenceStatus.UNAVAILABLE and evidence.collected_at is None:
        return None
    end = evidence.collected_at or now
    return between(evidence.requested_at, end)


def _open(start: Moment, until: Moment) -> timedelta:
    return max(until - start, timedelta(0))  # asked for after the "as of" moment: nothing yet


def person_waits(
    engagements: Iterable[Engagement], contacts: dict[str, Contact], until: Moment | None = None
) -> list[Wait]:
    """Waits for people (needed → reached), longest first; open ones measured to ``until``.

    Without ``until`` an engagement still waiting has no duration and is left out.
    """
    waits = []
    for e in engagements:
        if e.deleted:
            continue
        contact = contacts.get(e.contact_id)
        name = contact.name if contact else "(unknown contact)"
        if e.reached_at is not None:
            waits.append(Wait(name, e.purpose, e.needed_at, e.reached_at - e.needed_at, WaitState.DONE))
        elif until is not None:
            waits.append(Wait(name, e.purpose, e.needed_at, _open(e.needed_at, until), WaitState.WAITING))
    return _longest_first(waits)


def evidence_state(item: Evidence) -> WaitState:
    if item.status is EvidenceStatus.UNAVAILABLE and item.collected_at is None:
        return WaitState.UNAVAILABLE
    if item.collected_at is not None or item.status in (EvidenceStatus.COLLECTED, EvidenceStatus.VERIFIED):
        return WaitState.DONE if item.requested_at and item.collected_at else WaitState.UNTIMED
    if item.requested_at is None:
        return WaitState.NEVER_REQUESTED
    return WaitState.WAITING


def evidence_waits(items: Iterable[Evidence], until: Moment | None = None) -> list[Wait]:
    """Every live evidence item with where it stands: measured waits first, longest first.

    Open requests are measured to ``until`` (without it they have no duration); unavailable,
    never-requested and untimed items follow with no duration.
    """
    waits = []
    for item in items:
        if item.deleted:
            continue
        state = evidence_state(item)
        waited: timedelta | None = None
        if state is WaitState.DONE:
            waited = between(item.requested_at, item.collected_at)
        elif state is WaitState.WAITING and until is not None and item.requested_at is not None:
            waited = _open(item.requested_at, until)
        reason = item.unavailable_reason if state is WaitState.UNAVAILABLE else ""
        waits.append(Wait(item.label, item.source_system, item.requested_at, waited, state, reason))
    return _longest_first(waits)


_STATE_ORDER = {state: i for i, state in enumerate(WaitState)}


def _longest_first(waits: list[Wait]) -> list[Wait]:
    return sorted(
        waits,
        key=lambda w: (w.waited is None, -(w.waited or timedelta(0)).total_seconds(), _STATE_ORDER[w.state]),
    )


@dataclass(frozen=True)
class WaitFigures:
    """The headline of a list of waits: median and longest, and what was not measured."""

    done: int  # measured, finished waits
    median: timedelta | None  # of the finished waits
    longest: Wait | None  # the longest measured wait, finished or still open
    waiting: int  # still open at the "as of" moment
    unavailable: int = 0
    never_requested: int = 0
    untimed: int = 0


def wait_figures(waits: Sequence[Wait]) -> WaitFigures:
    done = [w.waited for w in waits if w.state is WaitState.DONE and w.waited is not None]
    measured = [w for w in waits if w.waited is not None]
    states = Counter(w.state for w in waits)
    return WaitFigures(
        done=len(done),
        median=timedelta(seconds=statistics.median(d.total_seconds() for d in done)) if done else None,
        longest=max(measured, key=lambda w: w.waited or timedelta(0)) if measured else None,
        waiting=states[WaitState.WAITING],
        unavailable=states[WaitState.UNAVAILABLE],
        never_requested=states[WaitState.NEVER_REQUESTED],
        untimed=states[WaitState.UNTIMED],
    )


def gap_counts(notes: Iterable[Note]) -> dict[Gap, int]:
    """How many live notes mark each gap category, in the order of the enum."""
    counts = Counter(n.gap for n in notes if n.gap is not None and not n.deleted)
    return {gap: counts[gap] for gap in Gap if counts[gap]}


def is_overdue(action: ActionItem, today: date) -> bool:
    """Not yet tested or waived, and its due date has passed."""
    return not action.status.settled and action.due is not None and action.due < today


def gaps_without_action(gap_notes: Iterable[Note], actions: Iterable[ActionItem]) -> list[Note]:
    """The live gap notes that no live action item names as the gap it fixes."""
    fixed: set[RecordId] = {a.source_note_id for a in actions if not a.deleted and a.source_note_id}
    return [n for n in gap_notes if n.gap is not None and not n.deleted and n.id not in fixed]


@dataclass(frozen=True)
class ActionProgress:
    total: int
    tested: int
    waived: int
    overdue: int
    gaps_without_action: int

    def sentence(self) -> str:
        """'3 of 5 action items tested, 1 overdue, 2 gaps without an action.'"""
        waived = f" ({self.waived} waived)" if self.waived else ""
        gaps = "gap" if self.gaps_without_action == 1 else "gaps"
        items = "action item" if self.total == 1 else "action items"
        return (
            f"{self.tested} of {self.total} {items} tested{waived}, {self.overdue} overdue, "
            f"{self.gaps_without_action} {gaps} without an action."
        )


def action_progress(actions: Sequence[ActionItem], gap_notes: Iterable[Note], today: date) -> ActionProgress:
    """Where the action items stand on ``today`` (overdue: past due, neither tested nor waived)."""
    live = [a for a in actions if not a.deleted]
    statuses = Counter(a.status.value for a in live)
    return ActionProgress(
        total=len(live),
        tested=statuses["tested"],
        waived=statuses["waived"],
        overdue=sum(1 for a in live if is_overdue(a, today)),
        gaps_without_action=len(gaps_without_action(gap_notes, live)),
    )


@dataclass(frozen=True)
class Glance:
    """Everything the "at a glance" page and ``irdesk show`` print, computed once."""

    as_of: Moment
    durations: KeyDurations
    people: WaitFigures
    evidence: WaitFigures
    gaps: dict[Gap, int]
    actions: ActionProgress


def at_a_glance(
    case: Case,
    *,
    engagements: Iterable[Engagement],
    contacts: dict[str, Contact],
    evidence: Iterable[Evidence],
    gap_notes: Sequence[Note],
    actions: Sequence[ActionItem],
    made_at: Moment,
) -> Glance:
    """The headline figures of a case, with open waits measured to ``as_of(case, made_at)``."""
    until = as_of(case, made_at)
    return Glance(
        as_of=until,
        durations=key_durations(case),
        people=wait_figures(person_waits(engagements, contacts, until)),
        evidence=wait_figures(evidence_waits(evidence, until)),
        gaps=gap_counts(gap_notes),
        actions=action_progress(actions, gap_notes, made_at.local.date()),
    )
