"""Where the response slowed down: gaps by category, and every wait for people and evidence."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether

from irdesk.domain.enums import Gap
from irdesk.domain.metrics import Wait, WaitFigures, WaitState, gaps_without_action
from irdesk.domain.moment import format_duration
from irdesk.report import charts
from irdesk.report.content import ReportContent
from irdesk.report.flow import cell, clip, fixed, plain, table
from irdesk.report.headings import heading
from irdesk.report.markup import escape


def section(c: ReportContent, width: float) -> list[Flowable]:
    flow: list[Flowable] = []
    counts = c.glance.gaps
    if not counts:
        flow.append(fixed("<i>No note was marked as a gap.</i>", "body"))
    else:
        unfixed = {n.id for n in gaps_without_action(c.gap_notes, c.actions)}
        rows = []
        for gap in Gap:
            notes = [n for n in c.gap_notes if n.gap is gap]
            if notes:
                open_ = sum(1 for n in notes if n.id in unfixed)
                rows.append([cell(gap.label), cell(str(len(notes))), cell(str(len(notes) - open_)), cell(str(open_))])
        flow.append(
            table(["Gap category", "Notes", "With an action", "Without"], rows,
                  [50 * mm, 24 * mm, 32 * mm, 24 * mm])
        )
    flow += _waits(
        c,
        width,
        "delays-people",
        "Time to engage people (needed → reached)",
        c.person_waits,
        c.glance.people,
        "people",
    )
    flow += _waits(
        c,
        width,
        "delays-evidence",
        "Time to obtain evidence (requested → collected)",
        c.evidence_waits,
        c.glance.evidence,
        "evidence",
    )
    return flow


def _summary(f: WaitFigures, what: str) -> str:
    if f.longest is None and f.done == 0:
        return ""
    longest = f.longest
    parts = []
    if f.median is not None:
        parts.append(f"median {escape(format_duration(f.median))} over {f.done} finished")
    if longest is not None:
        still = ", still open" if longest.state is WaitState.WAITING else ""
        parts.append(f"longest {escape(format_duration(longest.waited))}{still} ({plain(clip(longest.subject, 120))})")
    if f.waiting:
        parts.append(f"{f.waiting} still open")
    if what == "evidence":
        if f.unavailable:
            parts.append(f"{f.unavailable} unavailable")
        if f.never_requested:
            parts.append(f"{f.never_requested} never requested")
    line = "; ".join(parts)
    return line[:1].upper() + line[1:] + "."


def _waits(c: ReportContent, width: float, key: str, title: str, waits: list[Wait], figures: WaitFigures,
           what: str) -> list[Flowable]:
    head = heading(title, key, level=1)
    drawing = charts.waits(waits, width, as_of=c.as_of)
    if drawing is None:
        return [KeepTogether([head, fixed("<i>None recorded.</i>", "body")])]
    line = _summary(figures, what)
    parts: list[Flowable] = [head]
    if line:
        parts.append(fixed(line, "body"))
    return [KeepTogether([*parts, drawing])]  # a chart never leaves its heading on another page
