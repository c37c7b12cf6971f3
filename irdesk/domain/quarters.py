"""Quarter by quarter: is the team getting faster? The figures of the book's trends.

Pure functions over the book's register records, shared by ``book show``, the Book window's
charts and the programme report, so all three show the same numbers. Incidents and drills are
always counted apart: one call counts one of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import MappingProxyType

from irdesk.domain.book import BookAction, FiledEngagement, FiledEvidence, FiledGap, RegisterEntry
from irdesk.domain.enums import ActionStatus, Gap
from irdesk.domain.moment import Moment
from irdesk.domain.readiness import median


@dataclass(frozen=True)
class Quarter:
    """The figures of the incidents (or drills) of one calendar quarter."""

    start: date  # first day of the quarter
    label: str  # "2026 Q3"
    cases: int  # incidents (or drills) whose detection (else first activity, else filing) falls in it
    time_to_detect: timedelta | None  # median first activity → detected
    time_to_contain: timedelta | None  # median detected → contained
    time_to_engage: timedelta | None  # median of engagements' needed → reached
    time_to_obtain_logs: timedelta | None  # median of evidence requests' requested → received
    gaps: Mapping[Gap, int]  # gaps by category; every category is present, most are often 0
    actions_proposed: int  # every action item the quarter's cases raised (whatever became of it)
    actions_implemented: int  # of those, implemented or tested
    actions_tested: int  # of those, tested
    actions_accepted: int = 0  # of those, accepted or further along (implemented, tested)
    actions_waived: int = 0  # of those, waived with a reason

    @property
    def end(self) -> date:
        """The quarter's last day."""
        return next_quarter(self.start) - timedelta(days=1)

    @property
    def gap_total(self) -> int:
        return sum(self.gaps.values())


def quarter_start(day: date) -> date:
    """The first day of the quarter that holds ``day``."""
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def next_quarter(start: date) -> date:
    """The first day of the quarter after the one that starts on (or holds) ``start``."""
    first = quarter_start(start)
    if first.month == 10:
        return date(first.year + 1, 1, 1)
    return date(first.year, first.month + 3, 1)


def quarter_label(day: date) -> str:
    """'2026 Q3' for any day of that quarter."""
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def case_day(entry: RegisterEntry) -> date:
    """The day a case counts for: when it was detected, else first seen, else filed.

    The local date as the responder entered it, so an incident detected at 00:30 on 1 July in
    Berlin counts for Q3 even though it was still 30 June in UTC.
    """
    moment: Moment = entry.detected_at or entry.first_activity_at or entry.filed_at
    return moment.local.date()


_IMPLEMENTED = (ActionStatus.IMPLEMENTED, ActionStatus.TESTED)
_ACCEPTED = (ActionStatus.ACCEPTED, *_IMPLEMENTED)


def quarterly(entries: Iterable[RegisterEntry], engagements: Iterable[FiledEngagement],
              evidence: Iterable[FiledEvidence], gaps: Iterable[FiledGap],
              actions: Iterable[BookAction], *, drills: bool,
              start: date | None = None, end: date | None = None) -> list[Quarter]:
    """The figures per quarter, oldest quarter first.

    Every quarter between the first and the last case is listed, empty ones included (a chart
    with a missing quarter would hide a quiet season). With ``start`` / ``end`` only cases whose
    day falls in ``[start, end]`` count, and the quarters run from ``start``'s to ``end``'s even
    where no case fell. ``drills=False`` counts incidents only, ``drills=True`` drills only.
    Tombstones, and records of cases that are not counted, are left out.
    """
    chosen: dict[str, RegisterEntry] = {}
    days: dict[str, date] = {}
    for entry in entries:
        if entry.deleted or entry.drill != drills:
            continue
        day = case_day(entry)
        if (start is not None and day < start) or (end is not None and day > end):
            continue
        chosen[entry.id] = entry
        days[entry.id] = day
    bounds = [d for d in (start, end) if d is not None]
    span = list(days.values()) if days else bounds
    if not span:
        return []
    first = quarter_start(start if start is not None else min(span))
    last = quarter_start(end if end is not None else max(span))
    if last < first:
        return []

    buckets: dict[date, _Bucket] = {}
    q = first
    while q <= last:
        buckets[q] = _Bucket()
        q = next_quarter(q)
    of_case = {case: buckets[quarter_start(day)] for case, day in days.items()}

    for case, entry in chosen.items():
        b = of_case[case]
        b.cases += 1
        if entry.first_activity_at is not None and entry.detected_at is not None:
            b.detect.append(entry.detected_at - entry.first_activity_at)
        if entry.detected_at is not None and entry.contained_at is not None:
            b.contain.append(entry.contained_at - entry.detected_at)
    for e in engagements:
        got = of_case.get(e.entry_id)
        if got is not None and not e.deleted and e.reached_at is not None:
            got.engage.append(e.reached_at - e.needed_at)
    for item in evidence:
        got = of_case.get(item.entry_id)
        if got is not None and not item.deleted and item.requested_at is not None and item.collected_at is not None:
            got.obtain.append(item.collected_at - item.requested_at)
    for g in gaps:
        got = of_case.get(g.entry_id)
        if got is not None and not g.deleted:
            got.gaps[g.category] += g.count
    for a in actions:
        got = of_case.get(a.entry_id)
        if got is None or a.deleted:
            continue
        got.proposed += 1
        got.accepted += a.status in _ACCEPTED
        got.implemented += a.status in _IMPLEMENTED
        got.tested += a.status is ActionStatus.TESTED
        got.waived += a.status is ActionStatus.WAIVED
    return [b.quarter(q) for q, b in buckets.items()]


@dataclass
class _Bucket:
    """What one quarter gathers before its medians are taken."""

    cases: int = 0
    detect: list[timedelta] = field(default_factory=list)
    contain: list[timedelta] = field(default_factory=list)
    engage: list[timedelta] = field(default_factory=list)
    obtain: list[timedelta] = field(default_factory=list)
    gaps: dict[Gap, int] = field(default_factory=lambda: dict.fromkeys(Gap, 0))
    proposed: int = 0
    accepted: int = 0
    implemented: int = 0
    tested: int = 0
    waived: int = 0

    def quarter(self, start: date) -> Quarter:
        return Quarter(start=start, label=quarter_label(start), cases=self.cases,
                       time_to_detect=median(self.detect), time_to_contain=median(self.contain),
                       time_to_engage=median(self.engage), time_to_obtain_logs=median(self.obtain),
                       gaps=MappingProxyType(self.gaps), actions_proposed=self.proposed,
                       actions_implemented=self.implemented, actions_tested=self.tested,
                       actions_accepted=self.accepted, actions_waived=self.waived)
