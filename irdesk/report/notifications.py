"""The report's notification timeline: each regulatory deadline against the time it was met or missed.

``notification_timeline(deadlines, width)`` is a standalone section builder: it takes the
computed deadlines (``irdesk.domain.deadlines``) and returns flowables. Each row of the chart
is scaled to its own allowance, so a 4-hour DORA notification and a one-month NIS2 report
read alike: the bar is the time allowed, from the clock's start to the deadline (one black
rule for all rows); where the notice went out is a mark on it. It prints in greyscale: a sent
notice is a filled dot when in time and a cross when late, lateness is a hatched bar, a
notice still not sent is an open triangle, and every row says its state in words.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether

from irdesk.domain.deadlines import Deadline, DeadlineState
from irdesk.domain.records import Contact
from irdesk.report.charts import GAP, INK, MUTED, _fit
from irdesk.report.flow import cell, fixed, table
from irdesk.report.fonts import BOLD, REGULAR, register_fonts
from irdesk.report.markup import escape

DEADLINE_AT = 0.62  # where the deadline rule sits across the plot: room on the right for lateness
ROW_H = 17.0
ALLOWED = colors.HexColor("#d9dee4")


def _hatch(x1: float, x2: float, y0: float, h: float, colour: colors.Color) -> Group:
    """A rectangle outlined and hatched with 45° lines: reads as "late" without colour."""
    g = Group(Rect(x1, y0, x2 - x1, h, fillColor=colors.white, strokeColor=colour, strokeWidth=0.7))
    step = 2.6
    start = x1 - h
    while start < x2:
        a = max(start, x1)
        b = min(start + h, x2)
        if b > a:
            g.add(Line(a, y0 + (a - start), b, y0 + (b - start), strokeColor=colour, strokeWidth=0.6))
        start += step
    return g


def _cross(x: float, y: float, r: float, colour: colors.Color) -> Group:
    return Group(Line(x - r, y - r, x + r, y + r, strokeColor=colour, strokeWidth=1.6),
                 Line(x - r, y + r, x + r, y - r, strokeColor=colour, strokeWidth=1.6))


def _triangle(x: float, y: float, r: float, colour: colors.Color) -> Polygon:
    return Polygon([x - r, y - r, x + r, y, x - r, y + r], fillColor=colors.white, strokeColor=colour,
                   strokeWidth=1.1)


def _short(d: Deadline) -> str:
    if d.state is DeadlineState.MET and d.sent and d.due:
        return "met"
    if d.state in (DeadlineState.LATE, DeadlineState.OVERDUE):
        return d.describe().replace("late by", "LATE by").replace("overdue by", "OVERDUE by")
    if d.state is DeadlineState.OPEN:
        return d.describe()
    return "not started" if d.state is DeadlineState.NOT_TRIGGERED else "sent, no deadline"


def _waiting(d: Deadline) -> str:
    """Why a clock has not started, short enough for the room before the deadline rule."""
    text = d.waiting_for
    if text.startswith("the ") and text.endswith(" has not been sent"):
        return f"waits for the {text[4:-len(' has not been sent')]}"
    return text


def chart(deadlines: Sequence[Deadline], width: float) -> Drawing:
    register_fonts()
    label_w, state_w = 138.0, 136.0
    x0 = label_w
    plot_w = width - label_w - state_w - 8
    xd = x0 + plot_w * DEADLINE_AT
    right = x0 + plot_w
    header = 14.0
    height = header + ROW_H * len(deadlines) + 4
    d = Drawing(width, height)
    top = height - header
    d.add(String(x0, top + 4, "clock starts", fontName=REGULAR, fontSize=6.5, fillColor=MUTED))
    d.add(String(xd, top + 4, "deadline", fontName=BOLD, fontSize=6.5, fillColor=INK, textAnchor="middle"))
    d.add(String(right, top + 4, "later →", fontName=REGULAR, fontSize=6.5, fillColor=MUTED, textAnchor="end"))

    def x_at(dl: Deadline, when_seconds: float) -> tuple[float, bool]:
        allowed = dl.allowed.total_seconds() if dl.allowed else 0.0
        fraction = when_seconds / allowed if allowed > 0 else (0.0 if when_seconds <= 0 else 10.0)
        x = x0 + (xd - x0) * max(fraction, 0.0)
        return (min(x, right), x > right)

    for i, dl in enumerate(deadlines):
        y = top - ROW_H * i - ROW_H / 2
        d.add(String(x0 - 6, y - 2.5, _fit(dl.label, REGULAR, 7.5, label_w - 10), fontName=REGULAR, fontSize=7.5,
                     fillColor=INK, textAnchor="end"))
        late = dl.state in (DeadlineState.LATE, DeadlineState.OVERDUE)
        d.add(String(right + 8, y - 2.5, _fit(_short(dl), BOLD if late else REGULAR, 7, state_w),
                     fontName=BOLD if late else REGULAR, fontSize=7, fillColor=INK))
        if dl.due is None or dl.started is None:
            what = _waiting(dl) if dl.state is DeadlineState.NOT_TRIGGERED else "its clock never started"
            # Stops short of the deadline rule (the table below says it in full).
            d.add(String(x0 + 2, y - 2.5, _fit(what, REGULAR, 6.5, xd - x0 - 6), fontName=REGULAR, fontSize=6.5,
                         fillColor=MUTED))
            continue
        d.add(Rect(x0, y - 3, xd - x0, 6, fillColor=ALLOWED, strokeColor=None))
        mark_at = dl.sent.sent_at if dl.sent else dl.as_of
        x, beyond = x_at(dl, (mark_at - dl.started).total_seconds())
        if dl.state is DeadlineState.MET:
            d.add(Circle(x, y, 3.2, fillColor=INK, strokeColor=colors.white, strokeWidth=0.5))
        elif dl.state is DeadlineState.LATE:
            d.add(_hatch(xd, x, y - 3, 6, GAP))
            d.add(_cross(x, y, 3.2, INK))
        elif dl.state is DeadlineState.OVERDUE:
            d.add(_hatch(xd, x, y - 3, 6, GAP))
            d.add(_triangle(x, y, 3.6, INK))
        else:  # open: where "now" is on the way to the deadline
            d.add(Line(x, y - 5, x, y + 5, strokeColor=INK, strokeWidth=1.2))
            d.add(String(x + 2, y + 3.5, "now", fontName=REGULAR, fontSize=5.5, fillColor=INK))
        if beyond:
            d.add(String(right - 6, y + 4, "»", fontName=BOLD, fontSize=7, fillColor=INK))
    d.add(Line(xd, 2, xd, top + 2, strokeColor=INK, strokeWidth=1.1))
    return d


def legend(width: float) -> Drawing:
    """The chart's symbols, each drawn as in the chart and named."""
    d = Drawing(width, 12)
    items = (
        (20.0, lambda x: Rect(x, 3, 16, 6, fillColor=ALLOWED, strokeColor=None), "time allowed"),
        (9.0, lambda x: Circle(x + 3.5, 6, 3.2, fillColor=INK, strokeColor=None), "sent in time"),
        (9.0, lambda x: _cross(x + 3.5, 6, 3.2, INK), "sent late"),
        (20.0, lambda x: _hatch(x, x + 16, 3, 6, GAP), "how late"),
        (11.0, lambda x: _triangle(x + 4, 6, 3.6, INK), "not sent, overdue"),
        (5.0, lambda x: Line(x + 1, 1, x + 1, 11, strokeColor=INK, strokeWidth=1.2), "now, still open"),
    )
    x = 0.0
    for room, shape, text in items:
        d.add(shape(x))
        x += room
        d.add(String(x, 3.5, text, fontName=REGULAR, fontSize=6.5, fillColor=MUTED))
        x += stringWidth(text, REGULAR, 6.5) + 12
    return d


def notification_timeline(deadlines: Sequence[Deadline], width: float, contacts: dict[str, Contact] | None = None,
                          *, heading: str = "9. Notification timeline") -> list[Flowable]:
    """The section with its heading (see ``notification_body``)."""
    return [CondPageBreak(60 * mm), fixed(escape(heading), "h1"), *notification_body(deadlines, width, contacts)]


def notification_body(deadlines: Sequence[Deadline], width: float,
                      contacts: dict[str, Contact] | None = None) -> list[Flowable]:
    """The section below its heading: the chart, its legend, and a table of each deadline with
    the reason for any delay."""
    flow: list[Flowable] = []
    if not deadlines:
        return [fixed("<i>No notification regime was recorded for this case.</i>", "body")]
    late = [d for d in deadlines if d.state in (DeadlineState.LATE, DeadlineState.OVERDUE)]
    sent = sum(1 for d in deadlines if d.sent is not None)
    summary = (f"{len(deadlines)} regulatory deadlines, {sent} with a notification sent; "
               + (f"<b>{len(late)} late or overdue</b>." if late else "none late."))
    flow.append(fixed(summary + f" States as of {escape(deadlines[0].as_of.display())}.", "body"))
    flow.append(KeepTogether([
        chart(deadlines, width),
        legend(width),
        fixed("Each row is scaled to its own allowance: the grey bar runs from the moment its clock "
              "started to the deadline (the black rule), and the mark shows when the notification went "
              "out. » marks a notification later than the chart can show.", "small"),
    ]))
    names = contacts or {}
    rows = []
    for d in deadlines:
        when = "\n".join(x for x in (
            f"due {d.due.display()}" if d.due else "no deadline",
            f"started {d.started.display()}" if d.started else "",
        ) if x)
        if d.sent is not None:
            to = names.get(d.sent.contact_id)
            sent_text = d.sent.sent_at.display() + (f"\nto {to.name}" if to else "")
            if d.sent.reference:
                sent_text += f"\nref. {d.sent.reference}"
        else:
            sent_text = "not sent"
        state = cell(d.describe())
        if d.state in (DeadlineState.LATE, DeadlineState.OVERDUE):  # in words and in bold, not only in colour
            state = fixed(f"<b>■ {escape(_short(d))}</b>", "cell")
        reason = d.sent.late_reason if d.sent and d.sent.late_reason else (
            "No reason recorded." if d.state is DeadlineState.LATE else "")
        rows.append([cell(f"{d.label}\n{d.basis}"), cell(when), cell(sent_text), state, cell(reason or "—")])
    flow.append(table(["Deadline", "When", "Sent", "State", "Reason for the delay"], rows,
                      [42 * mm, 31 * mm, 35 * mm, 27 * mm, width - 135 * mm]))
    flow.append(fixed("Deadlines as irdesk computes them from the times recorded in the case (see "
                      "docs/REGULATORY.md for each article and the arithmetic). This is not legal advice.", "small"))
    return flow
