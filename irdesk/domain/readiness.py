"""What the readiness book shows, computed from its records: who is stale or slow to reach,
which gaps keep coming back, and which action items are still open across all incidents.

Pure functions over ``irdesk.domain.book`` records, so the command line and the Book window
show the same figures. Drills are counted apart from incidents in every figure.
"""

from __future__ import annotations

import statistics
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from irdesk.domain.book import BookAction, BookContact, FiledEngagement, FiledGap, RegisterEntry
from irdesk.domain.enums import ActionStatus, EvidenceStatus, Gap
from irdesk.domain.moment import Moment, format_duration
from irdesk.domain.records import Contact, Engagement, Evidence, Note

RECENT = 4  # recurring gaps are counted over the last this many incidents
_GAP_IDS = uuid.UUID("5b0c2a8e-4f7e-4d0a-9a36-8f3c1f2b7d10")  # namespace of a filed gap's id


# ---------------------------------------------------------------- from a case, when it is filed


def gap_id(entry_id: str, category: Gap, subject: str) -> str:
    """A filed gap's id: the same case, category and subject give the same id at each filing."""
    return str(uuid.uuid5(_GAP_IDS, f"{entry_id}\n{category.value}\n{subject.casefold()}"))


def case_gaps(notes: Iterable[Note], evidence: Iterable[Evidence], engagements: Iterable[Engagement],
              contacts: Mapping[str, Contact], subjects: Iterable[str]) -> dict[tuple[Gap, str], int]:
    """Where a case slowed down, by category and subject (a system, team or vendor), counted.

    - a note marked as a gap counts for its category; its subject is the first of its tags
      that names a known system, team or vendor (``subjects``), else none. Its text is never read;
    - evidence that was unavailable is an access gap with the system it was to come from;
    - an engagement that never reached its person is a communication gap (a vendor gap for a
      vendor) with the person's team or organisation.
    """
    known = {s.casefold(): s for s in subjects if s.strip()}
    found: dict[tuple[Gap, str], int] = {}

    def add(category: Gap, subject: str) -> None:
        found[(category, subject)] = found.get((category, subject), 0) + 1

    for note in notes:
        if note.gap is not None and not note.deleted:
            add(note.gap, next((known[t.casefold()] for t in note.tags if t.casefold() in known), ""))
    for item in evidence:
        if item.status is EvidenceStatus.UNAVAILABLE and not item.deleted:
            add(Gap.ACCESS, item.source_system.strip())
    for engagement in engagements:
        if engagement.reached_at is None and not engagement.deleted:
            contact = contacts.get(engagement.contact_id)
            if contact is None:
                continue
            category = Gap.VENDOR if contact.kind.value == "vendor" else Gap.COMMUNICATION
            add(category, (contact.team or contact.organisation).strip())
    return found


# ---------------------------------------------------------------- contacts


def median(values: Sequence[timedelta]) -> timedelta | None:
    if not values:
        return None
    return timedelta(seconds=statistics.median(v.total_seconds() for v in values))


@dataclass(frozen=True)
class Reachability:
    """How long it took to reach one person, over the incidents (or drills) that needed them."""

    engagements: int  # engagements that reached them
    median_to_reach: timedelta | None  # needed → reached
    median_to_attempt: timedelta | None  # needed → first attempt
    median_to_resolve: timedelta | None  # needed → resolved
    cases: int  # incidents (or drills) that needed them
    unreached_cases: int  # of those, how many never reached them

    def sentence(self, what: str = "incidents") -> str:
        if not self.cases:
            return f"no {what} needed them yet"
        parts = []
        if self.median_to_reach is not None:
            parts.append(f"median {format_duration(self.median_to_reach)} to reach over "
                         f"{self.engagements} engagement{'s' if self.engagements != 1 else ''}")
        else:
            parts.append("never reached")
        if self.unreached_cases:
            parts.append(f"not reached in {self.unreached_cases} of {self.cases} {what}")
        return "; ".join(parts)


def reachability(engagements: Iterable[FiledEngagement]) -> Reachability:
    """The figures over filed engagements of one person (tombstones are left out)."""
    live = [e for e in engagements if not e.deleted]
    reached, attempted, resolved = [], [], []
    by_case: dict[str, bool] = {}
    for e in live:
        by_case[e.entry_id] = by_case.get(e.entry_id, False) or e.reached_at is not None
        if e.reached_at is not None:
            reached.append(e.reached_at - e.needed_at)
        if e.first_attempt_at is not None:
            attempted.append(e.first_attempt_at - e.needed_at)
        if e.resolved_at is not None:
            resolved.append(e.resolved_at - e.needed_at)
    return Reachability(len(reached), median(reached), median(attempted), median(resolved),
                        len(by_case), sum(1 for ok in by_case.values() if not ok))


@dataclass(frozen=True)
class ContactStanding:
    contact: BookContact
    days_unverified: int | None  # None: never verified
    stale: bool
    incidents: Reachability
    drills: Reachability

    def staleness(self) -> str:
        if self.days_unverified is None:
            return "never verified"
        verified = self.contact.last_verified
        assert verified is not None
        return f"verified {verified.isoformat()} ({self.days_unverified} d ago)"


def rank_contacts(contacts: Iterable[BookContact], engagements: Iterable[FiledEngagement],
                  entries: Mapping[str, RegisterEntry], today: date, stale_after_days: int) -> list[ContactStanding]:
    """Live contacts, the stalest first, then the slowest to reach (the team lead's to-do list)."""
    by_contact: dict[str, list[FiledEngagement]] = {}
    for e in engagements:
        entry = entries.get(e.entry_id)
        if entry is not None and not entry.deleted and not e.deleted:
            by_contact.setdefault(e.contact_id, []).append(e)
    found = []
    for c in contacts:
        if c.deleted:
            continue
        days = None if c.last_verified is None else (today - c.last_verified).days
        mine = by_contact.get(c.id, [])
        incidents = reachability(e for e in mine if not entries[e.entry_id].drill)
        drills = reachability(e for e in mine if entries[e.entry_id].drill)
        found.append(ContactStanding(c, days, days is None or days > stale_after_days, incidents, drills))
    never = 10**6

    def key(s: ContactStanding) -> tuple[int, int, float, str]:
        slow = s.incidents.median_to_reach or s.drills.median_to_reach
        return (0 if s.stale else 1, -(never if s.days_unverified is None else s.days_unverified),
                -(slow.total_seconds() if slow else 0.0), s.contact.name.casefold())

    return sorted(found, key=key)


# ---------------------------------------------------------------- gaps that keep coming back


_PHRASES = {Gap.ACCESS: "access to {}", Gap.COMMUNICATION: "reaching {}", Gap.VISIBILITY: "visibility into {}",
            Gap.VENDOR: "vendor {}", Gap.AUTHORIZATION: "authorization from {}"}


def gap_phrase(category: Gap, subject: str) -> str:
    if not subject:
        return category.label.lower()
    return _PHRASES.get(category, category.label.lower() + ": {}").format(subject)


@dataclass(frozen=True)
class RecurringGap:
    category: Gap
    subject: str
    cases: int  # how many of the last ``of`` incidents it slowed down
    of: int

    def sentence(self, what: str = "incidents") -> str:
        return f"{gap_phrase(self.category, self.subject)}: {self.cases} of the last {self.of} {what}"


def by_time(entries: Iterable[RegisterEntry]) -> list[RegisterEntry]:
    """Live entries, oldest first (by when the incident was detected, else first seen, else filed)."""
    def when(e: RegisterEntry) -> Moment:
        return e.detected_at or e.first_activity_at or e.filed_at

    return sorted((e for e in entries if not e.deleted), key=lambda e: when(e).utc)


def recurring_gaps(entries: Iterable[RegisterEntry], gaps: Iterable[FiledGap], *, drills: bool = False,
                   recent: int = RECENT) -> list[RecurringGap]:
    """The same category with the same system, team or vendor in two or more of the last
    ``recent`` incidents (or drills), the most frequent first."""
    last = [e for e in by_time(entries) if e.drill == drills][-recent:]
    ids = {e.id for e in last}
    seen: dict[tuple[Gap, str], set[str]] = {}
    names: dict[tuple[Gap, str], str] = {}
    for g in gaps:
        if g.deleted or g.entry_id not in ids or not g.subject:
            continue
        key = (g.category, g.subject.casefold())
        seen.setdefault(key, set()).add(g.entry_id)
        names.setdefault(key, g.subject)
    found = [RecurringGap(cat, names[(cat, s)], len(cases), len(last))
             for (cat, s), cases in seen.items() if len(cases) >= 2]
    return sorted(found, key=lambda r: (-r.cases, r.category.value, r.subject.casefold()))


# ---------------------------------------------------------------- action items across incidents


@dataclass(frozen=True)
class OpenAction:
    item: BookAction
    entry: RegisterEntry
    overdue: bool


@dataclass(frozen=True)
class ActionsAcross:
    open: list[OpenAction]  # neither tested nor waived
    overdue: list[OpenAction]
    untested: list[OpenAction]  # implemented, not yet tested


def actions_across(items: Iterable[BookAction], entries: Mapping[str, RegisterEntry], today: date) -> ActionsAcross:
    found = []
    for item in items:
        entry = entries.get(item.entry_id)
        if item.deleted or entry is None or entry.deleted or item.status.settled:
            continue
        found.append(OpenAction(item, entry, item.due is not None and item.due < today))
    found.sort(key=lambda a: (a.item.due or date.max, a.entry.title.casefold(), a.item.title.casefold()))
    return ActionsAcross(found, [a for a in found if a.overdue],
                         [a for a in found if a.item.status is ActionStatus.IMPLEMENTED])


# ---------------------------------------------------------------- is the team getting faster?


@dataclass(frozen=True)
class Trend:
    """One figure over the incidents (or drills), oldest first; ``None`` where a case lacks it."""

    what: str
    values: list[timedelta | None]

    def sentence(self) -> str:
        shown = " → ".join(format_duration(v) for v in self.values)
        known = [v for v in self.values if v is not None]
        if len(known) < 2:
            return f"{self.what}: {shown}"
        first, last = known[0], known[-1]
        if last < first:
            verdict = f"faster by {format_duration(first - last)}"
        elif last > first:
            verdict = f"slower by {format_duration(last - first)}"
        else:
            verdict = "no change"
        return f"{self.what}: {shown} ({verdict})"


def trends(entries: Iterable[RegisterEntry], engagements: Iterable[FiledEngagement], *, drills: bool = False,
           recent: int = 6) -> list[Trend]:
    """Time to detect, contain and recover, and the median time to reach a person, over the last
    ``recent`` incidents (or drills)."""
    last = [e for e in by_time(entries) if e.drill == drills][-recent:]
    if not last:
        return []
    reached: dict[str, list[timedelta]] = {}
    for g in engagements:
        if not g.deleted and g.reached_at is not None:
            reached.setdefault(g.entry_id, []).append(g.reached_at - g.needed_at)

    def span(start: Moment | None, end: Moment | None) -> timedelta | None:
        return None if start is None or end is None else end - start

    return [
        Trend("time to detect", [span(e.first_activity_at, e.detected_at) for e in last]),
        Trend("time to contain", [span(e.detected_at, e.contained_at) for e in last]),
        Trend("time to recover", [span(e.detected_at, e.recovered_at) for e in last]),
        Trend("median time to reach a person", [median(reached.get(e.id, [])) for e in last]),
    ]
