"""The report's notification timeline: each regulatory deadline against the time it was met or missed.

``section`` is the report's section in ``outline.LATER_SECTIONS`` (its heading and number come
from there); ``notification_body(deadlines, width)`` builds it from the computed deadlines
(``irdesk.domain.deadlines``). User text is drawn as every chart draws it (``labels.label``:
shaped, any script, cut to its room). Each row of the chart
is scaled to its own allowance, so a 4-hour DORA notification and a one-month NIS2 report
read alike: the bar is the time allowed, from the clock's start to the deadline (one black
rule for all rows); where the notice went out is a mark on it. It prints in greyscale: a sent
notice is a filled dot when in time and a cross when late, lateness is a hatched bar, a
notice still not sent is an open triangle, and every row says its state in words.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, Rect
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether

from irdesk.domain.deadlines import Deadline, DeadlineState
from irdesk.domain.records import Contact
from irdesk.report.charts import drawing, hatch
from irdesk.report.content import ReportContent
from irdesk.report.flow import cell, fixed, table
from irdesk.report.fonts import BOLD, REGULAR, register_fonts
from irdesk.report.labels import label
from irdesk.report.legend import Entry, Legend
from irdesk.report.markup import escape
from irdesk.report.palette import GAP, INK, MUTED

DEADLINE_AT = 0.62  # where the deadline rule sits across the plot: room on the right for lateness
ROW_H = 17.0
ALLOWED = colors.HexColor("#d9dee4")


def _late(x1: float, x2: float, y0: float, h: float) -> Group:
    """An outlined, hatched bar: reads as "late" without colour."""
    g = Group(Rect(x1, y0, x2 - x1, h, fillColor=colors.white, strokeColor=GAP, strokeWidth=0.7))
    g.add(hatch(x1, y0, x2 - x1, h, GAP, step=2.6))
    return g


def _cross(x: float, y: float, r: float, colour: colors.Color) -> Group:
    return Group(Line(x - r, y - r, x + r, y + r, strokeColor=colour, strokeWidth=1.6),
                 Line(x - r, y + r, x + r, y - r, strokeColor=colour, strokeWidth=1.6))


def _triangle(x: float, y: float, r: float, colour: colors.Color) -> Polygon:
    """Not sent, overdue: an open triangle pointing right (the gap marker points up, filled)."""
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
    """One row per deadline, each scaled to its own allowance, and the legend below."""
    register_fonts()
    label_w, state_w = 138.0, 136.0
    x0 = label_w
    plot_w = width - label_w - state_w - 8
    xd = x0 + plot_w * DEADLINE_AT
    right = x0 + plot_w
    header = 14.0
    key = Legend(_legend(), width)
    legend_h = key.height + 2.0
    height = header + ROW_H * len(deadlines) + 4 + legend_h
    d = drawing(width, height)
    top = height - header
    d.add(label(x0, top + 4, "clock starts", face=REGULAR, size=6.5, colour=MUTED))
    d.add(label(xd, top + 4, "deadline", face=BOLD, size=6.5, colour=INK, anchor="middle"))
    d.add(label(right, top + 4, "later →", face=REGULAR, size=6.5, colour=MUTED, anchor="end"))

    def x_at(dl: Deadline, when_seconds: float) -> tuple[float, bool]:
        allowed = dl.allowed.total_seconds() if dl.allowed else 0.0
        fraction = when_seconds / allowed if allowed > 0 else (0.0 if when_seconds <= 0 else 10.0)
        x = x0 + (xd - x0) * max(fraction, 0.0)
        return (min(x, right), x > right)

    for i, dl in enumerate(deadlines):
        y = top - ROW_H * i - ROW_H / 2
        d.add(label(x0 - 6, y - 2.5, dl.label, face=REGULAR, size=7.5, colour=INK, anchor="end", room=label_w - 10))
        late = dl.state in (DeadlineState.LATE, DeadlineState.OVERDUE)
        d.add(label(right + 8, y - 2.5, _short(dl), face=BOLD if late else REGULAR, size=7, colour=INK,
                    room=state_w))
        if dl.due is None or dl.started is None:
            what = _waiting(dl) if dl.state is DeadlineState.NOT_TRIGGERED else "its clock never started"
            # Stops short of the deadline rule (the table below says it in full).
            d.add(label(x0 + 2, y - 2.5, what, face=REGULAR, size=6.5, colour=MUTED, room=xd - x0 - 6))
            continue
        d.add(Rect(x0, y - 3, xd - x0, 6, fillColor=ALLOWED, strokeColor=None))
        mark_at = dl.sent.sent_at if dl.sent else dl.as_of
        x, beyond = x_at(dl, (mark_at - dl.started).total_seconds())
        if dl.state is DeadlineState.MET:
            d.add(Circle(x, y, 3.2, fillColor=INK, strokeColor=colors.white, strokeWidth=0.5))
        elif dl.state is DeadlineState.LATE:
            d.add(_late(xd, x, y - 3, 6))
            d.add(_cross(x, y, 3.2, INK))
        elif dl.state is DeadlineState.OVERDUE:
            d.add(_late(xd, x, y - 3, 6))
            d.add(_triangle(x, y, 3.6, INK))
        else:  # open: where "now" is on the way to the deadline
            d.add(Line(x, y - 5, x, y + 5, strokeColor=INK, strokeWidth=1.2))
            d.add(label(x + 2, y + 3.5, "now", face=REGULAR, size=5.5, colour=INK))
        if beyond:
            d.add(label(right - 6, y + 4, "»", face=BOLD, size=7, colour=INK))
    d.add(Line(xd, legend_h + 2, xd, top + 2, strokeColor=INK, strokeWidth=1.1))
    key.draw(d)
    return d


def _legend() -> list[Entry]:
    """The chart's symbols, each drawn as in the chart and named."""
    return [
        Entry("time allowed", lambda x, y: Rect(x, y, 16, 6, fillColor=ALLOWED, strokeColor=None), 16),
        Entry("sent in time", lambda x, y: Circle(x + 3.5, y + 3, 3.2, fillColor=INK, strokeColor=None), 7),
        Entry("sent late", lambda x, y: _cross(x + 3.5, y + 3, 3.2, INK), 7),
        Entry("how late", lambda x, y: _late(x, x + 16, y, 6), 16),
        Entry("not sent, overdue", lambda x, y: _triangle(x + 4, y + 3, 3.6, INK), 8),
        Entry("now, still open", lambda x, y: Line(x + 1, y - 2, x + 1, y + 8, strokeColor=INK, strokeWidth=1.2), 2),
    ]


def section(c: ReportContent, width: float) -> list[Flowable]:
    """The report's "Notification timeline" (its heading and number come from ``outline``)."""
    return notification_body(c.deadlines, width, c.everyone)


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
    flow.append(fixed(summary + f" States as of {escape(deadlines[0].as_of.display())}, when this report was "
                      "made: a regulator's clock runs on after the incident is recovered or closed.", "body"))
    flow.append(KeepTogether([
        chart(deadlines, width),
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
