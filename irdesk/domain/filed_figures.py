"""The figures of filed cases, one by one and over a set: what the programme report lists and
what a case's report sets beside its own. Pure functions over the book's register records."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from irdesk.domain.book import FiledEngagement, FiledEvidence, FiledGap, RegisterEntry
from irdesk.domain.metrics import between
from irdesk.domain.quarters import case_day
from irdesk.domain.readiness import median


@dataclass(frozen=True)
class CaseFigures:
    """One filed incident's (or drill's) figures, as the register holds them."""

    entry: RegisterEntry
    day: date
    time_to_detect: timedelta | None
    time_to_contain: timedelta | None
    time_to_recover: timedelta | None
    time_to_engage: timedelta | None  # median needed → reached of its engagements
    time_to_obtain: timedelta | None  # median requested → collected of its evidence
    unreached: int  # engagements that never reached their person
    gaps: int


@dataclass(frozen=True)
class Medians:
    """The period's medians: over its cases (detect, contain), over their engagements and evidence."""

    time_to_detect: timedelta | None
    time_to_contain: timedelta | None
    time_to_engage: timedelta | None
    time_to_obtain: timedelta | None

    @classmethod
    def of(cls, cases: list[CaseFigures], engagements: list[FiledEngagement],
           evidence: list[FiledEvidence]) -> Medians:
        ids = {c.entry.id for c in cases}
        return cls(
            median([c.time_to_detect for c in cases if c.time_to_detect is not None]),
            median([c.time_to_contain for c in cases if c.time_to_contain is not None]),
            median([e.reached_at - e.needed_at for e in engagements if e.entry_id in ids and e.reached_at]),
            median([i.collected_at - i.requested_at for i in evidence
                    if i.entry_id in ids and i.collected_at and i.requested_at]),
        )


def case_figures(chosen: Mapping[str, RegisterEntry], engagements: Iterable[FiledEngagement],
                 evidence: Iterable[FiledEvidence], gaps: Iterable[FiledGap]) -> list[CaseFigures]:
    """Each chosen register entry's figures, in the order of ``chosen`` (what the programme report
    lists, and a case's report sets beside its own)."""
    reached: dict[str, list[timedelta]] = {}
    unreached: dict[str, int] = {}
    for e in engagements:
        if e.entry_id not in chosen:
            continue
        if e.reached_at is not None:
            reached.setdefault(e.entry_id, []).append(e.reached_at - e.needed_at)
        else:
            unreached[e.entry_id] = unreached.get(e.entry_id, 0) + 1
    obtained: dict[str, list[timedelta]] = {}
    for item in evidence:
        if item.requested_at is not None and item.collected_at is not None:
            obtained.setdefault(item.entry_id, []).append(item.collected_at - item.requested_at)
    counted: dict[str, int] = {}
    for g in gaps:
        counted[g.entry_id] = counted.get(g.entry_id, 0) + g.count
    return [
        CaseFigures(e, case_day(e), between(e.first_activity_at, e.detected_at),
                    between(e.detected_at, e.contained_at), between(e.detected_at, e.recovered_at),
                    median(reached.get(e.id, [])), median(obtained.get(e.id, [])), unreached.get(e.id, 0),
                    counted.get(e.id, 0))
        for e in chosen.values()
    ]
