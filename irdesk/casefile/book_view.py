"""Everything the book shows, read once: what ``irdesk book show`` prints and the Book window lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from irdesk.casefile.book_store import BookFile
from irdesk.domain.book import (
    Book,
    BookAction,
    BookContact,
    FiledEngagement,
    FiledEvidence,
    FiledGap,
    RegisterEntry,
    Vendor,
)
from irdesk.domain.moment import Moment
from irdesk.domain.quarters import Quarter, quarterly
from irdesk.domain.readiness import (
    ActionsAcross,
    ContactStanding,
    RecurringGap,
    Trend,
    actions_across,
    by_time,
    rank_contacts,
    recurring_gaps,
    trends,
)
from irdesk.domain.records import System


@dataclass(frozen=True)
class BookView:
    book: Book
    fingerprint: str
    today: date
    entries: list[RegisterEntry]  # oldest first
    contacts: list[ContactStanding]  # stalest, then slowest to reach, first
    gaps: list[RecurringGap]  # incidents
    drill_gaps: list[RecurringGap]
    actions: ActionsAcross  # incidents' action items
    systems: list[System]
    vendors: list[Vendor]
    names: dict[str, str]  # contact id -> name (deleted ones too)
    trends: list[Trend]  # incidents, oldest first
    drill_trends: list[Trend]
    obtained: dict[str, list[timedelta]]  # system id -> each time an incident obtained its logs, oldest first
    drill_actions: ActionsAcross  # drills' action items
    drill_obtained: dict[str, list[timedelta]]  # as ``obtained``, in drills
    quarters: list[Quarter]  # incidents, per quarter, oldest first (``domain/quarters.py``)
    drill_quarters: list[Quarter]

    @property
    def incidents(self) -> int:
        return sum(1 for e in self.entries if not e.drill)

    @property
    def drills(self) -> int:
        return len(self.entries) - self.incidents


def read_book_view(book: BookFile, today: date | None = None) -> BookView:
    """The book's figures; call inside ``book.verified()`` for a whole-book check first."""
    today = today or book.clock().local.date()
    b = book.book()
    entries: dict[str, RegisterEntry] = {e.id: e for e in book.records.all(RegisterEntry)}
    incidents = {k: e for k, e in entries.items() if not e.drill}
    drills = {k: e for k, e in entries.items() if e.drill}
    gaps = book.records.all(FiledGap)
    engagements = book.records.all(FiledEngagement)
    evidence = book.records.all(FiledEvidence)
    items = book.records.all(BookAction)
    systems = book.records.all(System)

    def per_quarter(drill: bool) -> list[Quarter]:
        return quarterly(entries.values(), engagements, evidence, gaps, items, drills=drill)

    return BookView(
        book=b, fingerprint=book.fingerprint(), today=today, entries=by_time(entries.values()),
        contacts=rank_contacts(book.records.all(BookContact), engagements, entries, today,
                               b.stale_after_days),
        gaps=recurring_gaps(entries.values(), gaps), drill_gaps=recurring_gaps(entries.values(), gaps, drills=True),
        actions=actions_across(items, incidents, today), drill_actions=actions_across(items, drills, today),
        systems=systems, vendors=book.records.all(Vendor),
        names={c.id: c.name for c in book.records.all(BookContact, include_deleted=True)},
        trends=trends(entries.values(), engagements), drill_trends=trends(entries.values(), engagements, drills=True),
        obtained=observed_times(systems, evidence, incidents), drill_obtained=observed_times(systems, evidence, drills),
        quarters=per_quarter(False), drill_quarters=per_quarter(True),
    )


def observed_times(systems: list[System], evidence: list[FiledEvidence],
                   entries: dict[str, RegisterEntry]) -> dict[str, list[timedelta]]:
    """Each filed time to obtain a system's logs (by the system's id, else its name), oldest first."""
    by_name = {s.name.casefold(): s.id for s in systems}
    ids = {s.id for s in systems}
    found: dict[str, list[tuple[Moment, timedelta]]] = {}
    for item in evidence:
        if item.deleted or item.entry_id not in entries or item.requested_at is None or item.collected_at is None:
            continue
        system_id = item.system_id if item.system_id in ids else by_name.get(item.system_name.casefold())
        if system_id is not None:
            found.setdefault(system_id, []).append((item.collected_at, item.collected_at - item.requested_at))
    return {k: [d for _at, d in sorted(v, key=lambda p: p[0].utc)] for k, v in found.items()}
