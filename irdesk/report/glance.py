"""Page 2: what a manager reads in two minutes.

How long detection, containment and recovery took; how long the response waited for
people and for evidence (median, longest, and who or what); the gaps by category; and
where the action items stand. Every figure comes from ``domain.metrics.at_a_glance``,
which ``irdesk show`` prints too.
"""

from __future__ import annotations

from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from irdesk.domain.metrics import WaitFigures, WaitState, is_overdue
from irdesk.domain.moment import format_duration
from irdesk.domain.records import ActionItem
from irdesk.report import charts
from irdesk.report.content import ReportContent
from irdesk.report.flow import cell, clip, fixed, plain, table
from irdesk.report.fonts import REGULAR
from irdesk.report.glyphs import printable
from irdesk.report.markup import escape
from irdesk.report.palette import ACCENT, INK
from irdesk.report.shaping import fit
from irdesk.report.shaping import width as text_width


def as_of_reason(c: ReportContent) -> str:
    if c.case.closed_at is not None:
        return "when the case was closed"
    if c.case.recovered_at is not None:
        return "when the case was recovered"
    return "when this report was made"


def page(c: ReportContent, width: float) -> list[Flowable]:
    g = c.glance
    d = g.durations
    flow: list[Flowable] = [
        fixed(
            f"Figures as of <b>{escape(g.as_of.display())}</b>, {as_of_reason(c)}. "
            f"Case status: <b>{escape(c.case.status.value)}</b>.",
            "body",
        ),
        Spacer(1, 2 * mm),
        _tiles(
            [
                ("Time to detect", format_duration(d.time_to_detect), escape("first activity → detected")),
                ("Time to contain", format_duration(d.time_to_contain), escape("detected → contained")),
                ("Time to recover", format_duration(d.time_to_recover), escape("detected → recovered")),
            ],
            width,
        ),
        Spacer(1, 3 * mm),
        _tiles(
            [
                ("Time to engage people, median", _median(g.people), _people_line(g.people)),
                ("Time to obtain evidence, median", _median(g.evidence), _evidence_line(g.evidence)),
            ],
            width,
        ),
    ]
    if c.history is not None:
        flow += beside(c, width)
    flow += [
        Spacer(1, 3 * mm),
        fixed("Action items", "h2"),
        fixed(f"<b>{escape(g.actions.sentence())}</b>", "body"),
    ]
    flow += _open_items(c, width)
    flow.append(fixed("Where the response slowed down: gaps by category", "h2"))
    chart = charts.gap_bars(g.gaps, width)
    if chart is None:
        flow.append(fixed("<i>No note was marked as a gap.</i>", "body"))
    else:
        total = sum(g.gaps.values())
        flow += [
            chart,
            fixed(f"{total} note{'s' if total != 1 else ''} marked where the response slowed down.", "small"),
        ]
    return flow


def _median(figures: WaitFigures) -> str:
    return format_duration(figures.median)


def _longest(figures: WaitFigures) -> str:
    w = figures.longest
    if w is None:
        return "nothing measured yet"
    still = " and still waiting" if w.state is WaitState.WAITING else ""
    return f"longest {escape(format_duration(w.waited))}{still}: {plain(clip(w.subject, 120))}"


def _people_line(f: WaitFigures) -> str:
    parts = [_longest(f), f"{f.done} reached"]
    if f.waiting:
        parts.append(f"{f.waiting} not reached")
    return " · ".join(parts)


def _evidence_line(f: WaitFigures) -> str:
    parts = [_longest(f), f"{f.done} obtained"]
    for count, what in (
        (f.waiting, "still waited for"),
        (f.unavailable, "unavailable"),
        (f.never_requested, "never requested"),
        (f.untimed, "obtained without times"),
    ):
        if count:
            parts.append(f"{count} {what}")
    return " · ".join(parts)


def _tiles(tiles: list[tuple[str, str, str]], width: float) -> Table:
    """Big figures in a row: (title, value, detail as markup) each."""
    share = width / len(tiles)
    cells = [
        [fixed(escape(value), "metric") for _, value, _ in tiles],
        [fixed(f"<b>{escape(title)}</b><br/>{detail}", "metriclabel") for title, _, detail in tiles],
    ]
    return Table(
        cells,
        colWidths=[share] * len(tiles),
        hAlign="LEFT",
        style=TableStyle(
            [
                ("LINEABOVE", (0, 0), (-1, 0), 2, ACCENT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ]
        ),
    )


def _open_items(c: ReportContent, width: float, limit: int = 6) -> list[Flowable]:
    """The unsettled action items, overdue first, then by due date."""
    today = c.made_at.local.date()
    waiting = [a for a in c.actions if not a.status.settled]
    if not waiting:
        return []
    waiting.sort(key=lambda a: (not is_overdue(a, today), a.due is None, a.due or today))
    rows = [
        [
            cell(a.title),
            cell(a.owner or "—"),
            fixed(_due(a, today), "cell"),
            cell(a.status.value),
        ]
        for a in waiting[:limit]
    ]
    flow: list[Flowable] = [table(["Open action item", "Owner", "Due", "Status"], rows,
                                  [width - 96 * mm, 38 * mm, 34 * mm, 24 * mm])]
    if len(waiting) > limit:
        flow.append(fixed(f"…and {len(waiting) - limit} more under “What will change”.", "small"))
    return flow


def _due(action: ActionItem, today: date) -> str:
    if action.due is None:
        return "—"
    text = escape(action.due.isoformat())
    return f"<b>{text} \u25b2 OVERDUE</b>" if is_overdue(action, today) else text


EARLIER_LISTED = 3  # the most recent earlier incidents listed one by one (drills: one); page 2 stays one page


def beside(c: ReportContent, width: float) -> list[Flowable]:
    """This case beside the team's earlier incidents and drills (from the readiness book), one
    line per row so that page 2 stays one page."""
    h = c.history
    assert h is not None
    d, g = c.glance.durations, c.glance
    this = "This drill" if c.case.drill else "This case"
    first = width - 96 * mm
    rows: list[list[Flowable | str]] = [[
        fixed(f"<b>{this}</b>", "cell"), *(fixed(f"<b>{escape(format_duration(v))}</b>", "cell") for v in (
            d.time_to_detect, d.time_to_contain, g.people.median, g.evidence.median))]]
    for what, cases, medians, listed in (("incidents", h.incidents, h.medians, EARLIER_LISTED),
                                         ("drills", h.drills, h.drill_medians, 1)):
        if not cases:
            rows.append([fixed(f"<i>No earlier {what} in the book</i>", "cell"), "", "", "", ""])
            continue
        rows.append([fixed(f"Earlier {what}: median of {len(cases)}", "cell"),
                     *(format_duration(v) for v in (medians.time_to_detect, medians.time_to_contain,
                                                    medians.time_to_engage, medians.time_to_obtain))])
        for f in cases[-listed:][::-1]:
            day = f"{f.day.isoformat()}  "
            room = first - 8 - text_width(day, REGULAR, 8)  # one line each, the title cut to fit
            rows.append([cell(day + fit(printable(f.entry.title), REGULAR, 8, room)),
                         *(format_duration(v) for v in (f.time_to_detect, f.time_to_contain,
                                                        f.time_to_engage, f.time_to_obtain))])
    grid = table(["Beside the team's earlier cases", "Detect", "Contain", "Engage", "Obtain"], rows,
                 [first, 24 * mm, 24 * mm, 24 * mm, 24 * mm])
    grid.setStyle(TableStyle([("FONT", (1, 1), (-1, -1), REGULAR, 8), ("TEXTCOLOR", (1, 1), (-1, -1), INK),
                              ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]))
    return [
        Spacer(1, 3 * mm),
        grid,
        fixed(f"From the readiness book “{plain(clip(h.book_title, 80))}” (fingerprint "
              f"{escape(h.book_fingerprint)}): the cases filed there before this one, most recent first; engage "
              "and obtain are medians. Drills are counted apart from incidents.", "small"),
    ]
