"""Figures computed from records: how long the response took, and where it waited."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from irdesk.domain.enums import Gap
from irdesk.domain.moment import Moment
from irdesk.domain.records import Case, Contact, Engagement, Evidence, Note


def between(start: Moment | None, end: Moment | None) -> timedelta | None:
    """``end - start``, or None when either is unknown."""
    if start is None or end is None:
        return None
    return end - start


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


@dataclass(frozen=True)
class Wait:
    """How long the response waited for one person or one piece of evidence."""

    subject: str  # the contact's name or the evidence label
    purpose: str
    started: Moment
    waited: timedelta
    resolved: bool  # False: still waiting (measured up to ``now``)


def engagement_wait(engagement: Engagement, now: Moment | None = None) -> timedelta | None:
    """Needed → reached; while not reached, needed → now (if ``now`` is given)."""
    end = engagement.reached_at or now
    return between(engagement.needed_at, end)


def evidence_wait(evidence: Evidence, now: Moment | None = None) -> timedelta | None:
    """Requested → collected; while not collected, requested → now (if ``now`` is given)."""
    end = evidence.collected_at or now
    return between(evidence.requested_at, end)


def person_waits(
    engagements: Iterable[Engagement], contacts: dict[str, Contact], now: Moment | None = None
) -> list[Wait]:
    """Waits for people, longest first."""
    waits = []
    for e in engagements:
        if e.deleted:
            continue
        waited = engagement_wait(e, now)
        if waited is None:
            continue
        contact = contacts.get(e.contact_id)
        name = contact.name if contact else "(unknown contact)"
        waits.append(Wait(name, e.purpose, e.needed_at, waited, e.reached_at is not None))
    return sorted(waits, key=lambda w: w.waited, reverse=True)


def evidence_waits(items: Iterable[Evidence], now: Moment | None = None) -> list[Wait]:
    """Waits for evidence, longest first."""
    waits = []
    for item in items:
        if item.deleted or item.requested_at is None:
            continue
        waited = evidence_wait(item, now)
        if waited is None:
            continue
        waits.append(
            Wait(item.label, item.source_system, item.requested_at, waited, item.collected_at is not None)
        )
    return sorted(waits, key=lambda w: w.waited, reverse=True)


def gap_counts(notes: Iterable[Note]) -> dict[Gap, int]:
    """How many live notes mark each gap category, in the order of the enum."""
    counts = Counter(n.gap for n in notes if n.gap is not None and not n.deleted)
    return {gap: counts[gap] for gap in Gap if counts[gap]}
