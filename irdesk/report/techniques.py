"""The report's "Techniques observed": the ATT&CK techniques tagged on the case's notes and
indicators, grouped by tactic in the ATT&CK matrix's order, each with when it was first seen and
how often it was tagged. Technique names come from the ATT&CK catalogue irdesk ships; an id that
came in by import and that catalogue doesn't know is printed as it is, marked."""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from irdesk.domain import attack
from irdesk.domain.enums import Phase
from irdesk.domain.moment import Moment
from irdesk.report.content import ReportContent
from irdesk.report.flow import cell, fixed, table
from irdesk.report.markup import escape


@dataclass
class Observed:
    technique: str
    first: Moment
    notes: int = 0
    indicators: int = 0
    phases: list[Phase] = field(default_factory=list)


def observed(c: ReportContent) -> dict[str, Observed]:
    """Every technique tagged on a live note or indicator, with its first sighting."""
    found: dict[str, Observed] = {}

    def seen(tid: str, when: Moment) -> Observed:
        entry = found.get(tid)
        if entry is None:
            entry = found[tid] = Observed(tid, when)
        elif when.utc < entry.first.utc:
            entry.first = when
        return entry

    for phase in Phase:
        for note in c.notes[phase]:
            for tid in note.attack:
                entry = seen(tid, note.occurred)
                entry.notes += 1
                if phase not in entry.phases:
                    entry.phases.append(phase)
    for item in c.indicators:
        for tid in item.attack:
            seen(tid, item.first_seen or item.created).indicators += 1
    return found


def section(c: ReportContent, width: float) -> list[Flowable]:
    found = observed(c)
    if not found:
        return [fixed("<i>No ATT&amp;CK techniques were tagged on the notes or indicators.</i>", "body")]
    catalogue = attack.catalogue()
    ordered = sorted(found, key=lambda t: found[t].first.utc)
    rows = []
    for tactic, ids in attack.by_tactic(ordered):
        label = attack.TACTIC_LABELS.get(tactic, "Not in the shipped catalogue" if tactic == "unknown" else tactic)
        for n, tid in enumerate(ids):
            entry = found[tid]
            technique = catalogue.techniques.get(tid)
            name = technique.name if technique else f"(not in {catalogue.label})"
            if technique is not None and technique.status != "active":
                name += f" ({technique.status})"
            tagged = ", ".join(p for p in (f"{entry.notes} note(s)" if entry.notes else "",
                                           f"{entry.indicators} indicator(s)" if entry.indicators else "") if p)
            rows.append([
                cell(label if n == 0 else ""),
                cell(tid, "cellcode"),
                cell(name),
                cell(entry.first.display()),
                cell(tagged),
            ])
    return [
        fixed(f"{len(found)} technique(s) tagged, grouped by ATT&amp;CK tactic; a technique of several "
              "tactics is listed under each. Names from "
              f"{escape(catalogue.label)} (© The MITRE Corporation, used under the ATT&amp;CK terms of use).",
              "small"),
        table(["Tactic", "ID", "Technique", "First seen", "Tagged on"], rows,
              [32 * mm, 22 * mm, width - 132 * mm, 42 * mm, 36 * mm]),
    ]
