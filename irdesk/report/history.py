"""The case report looks back: the team's earlier incidents and drills from the readiness book,
set beside this case on page 2 (time to detect, contain, engage and obtain).

Plain data read from the book through its verified reader; the book holds figures and labels
only, so looking back brings no other case's notes into this report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from irdesk.casefile.book_store import BookFile
from irdesk.domain.book import FiledEngagement, FiledEvidence, FiledGap, RegisterEntry
from irdesk.domain.filed_figures import CaseFigures, Medians, case_figures
from irdesk.domain.quarters import case_day
from irdesk.domain.readiness import by_time


@dataclass(frozen=True)
class History:
    """The book's cases filed before this one, incidents and drills apart, oldest first."""

    book_title: str
    book_fingerprint: str
    incidents: list[CaseFigures]
    drills: list[CaseFigures]
    medians: Medians  # over the earlier incidents
    drill_medians: Medians


def read_history(book: BookFile, case_id: str, day: date) -> History:
    """The cases the book holds whose day (detection, else first activity, else filing) is not
    after ``day``, this case itself left out."""
    with book.verified():
        chosen: dict[str, RegisterEntry] = {
            e.id: e for e in by_time(book.records.all(RegisterEntry)) if e.id != case_id and case_day(e) <= day}
        engagements = [e for e in book.records.all(FiledEngagement) if e.entry_id in chosen]
        evidence = [e for e in book.records.all(FiledEvidence) if e.entry_id in chosen]
        figures = case_figures(chosen, engagements, evidence,
                               (g for g in book.records.all(FiledGap) if g.entry_id in chosen))
        incidents = [f for f in figures if not f.entry.drill]
        drills = [f for f in figures if f.entry.drill]
        return History(book.book().title, book.fingerprint(), incidents, drills,
                       Medians.of(incidents, engagements, evidence), Medians.of(drills, engagements, evidence))
