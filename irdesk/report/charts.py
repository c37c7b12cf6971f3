"""The report's bar charts: how long the response waited, and the gaps by category.

Waits run from seconds to weeks, so they share one logarithmic axis with labelled ticks
and every bar carries its value. A wait still open at the "as of" moment is hatched as
well as coloured, so the two kinds of bar differ in a greyscale printout too; evidence
that is unavailable or was never requested has no bar, and says so in words.
"""

from __future__ import annotations

import math

from reportlab.graphics.shapes import Drawing, Group, Line, Polygon, Rect
from reportlab.lib.colors import Color, white

from irdesk.domain.enums import Gap
from irdesk.domain.metrics import Wait, WaitState
from irdesk.domain.moment import Moment, format_duration
from irdesk.report.fonts import BOLD, ITALIC, REGULAR
from irdesk.report.labels import label
from irdesk.report.legend import Entry, Legend
from irdesk.report.palette import ACCENT, GAP, INK, LIGHT, MUTED, RULE, WAITING

_MINUTE, _HOUR, _DAY = 60.0, 3600.0, 86400.0
LOG_TICKS = (
    (1.0, "1 s"),
    (10.0, "10 s"),
    (_MINUTE, "1 min"),
    (10 * _MINUTE, "10 min"),
    (_HOUR, "1 h"),
    (6 * _HOUR, "6 h"),
    (_DAY, "1 d"),
    (7 * _DAY, "1 wk"),
    (30 * _DAY, "30 d"),
    (365 * _DAY, "1 yr"),
    (3650 * _DAY, "10 yr"),
)
NOT_MEASURED = {
    WaitState.UNAVAILABLE: "unavailable",
    WaitState.NEVER_REQUESTED: "never requested",
    WaitState.UNTIMED: "obtained; request or arrival time not recorded",
}


def drawing(width: float, height: float) -> Drawing:
    """A chart canvas whose default font is embedded (reportlab's default is Helvetica)."""
    return Drawing(width, height, initialFontName=REGULAR, initialFontSize=7)


def hatch(x: float, y: float, w: float, h: float, colour: Color, step: float = 3.0) -> Group:
    """Diagonal lines filling a rectangle (reportlab graphics have no pattern fills)."""
    group = Group()
    start = x - h
    while start < x + w:
        x0, y0, x1, y1 = start, y, start + h, y + h
        if x0 < x:
            y0, x0 = y0 + (x - x0), x
        if x1 > x + w:
            y1, x1 = y1 - (x1 - (x + w)), x + w
        if x1 > x0:
            group.add(Line(x0, y0, x1, y1, strokeColor=colour, strokeWidth=0.7))
        start += step
    return group


def bar(x: float, y: float, w: float, h: float, *, open_wait: bool) -> Group:
    """A solid bar for a finished wait; an outlined, hatched one for a wait still open."""
    group = Group()
    if open_wait:
        group.add(Rect(x, y, w, h, fillColor=white, strokeColor=WAITING, strokeWidth=0.8))
        group.add(hatch(x, y, w, h, INK))
    else:
        group.add(Rect(x, y, w, h, fillColor=ACCENT, strokeColor=None))
    return group


def triangle(x: float, y: float, r: float, colour: Color) -> Polygon:
    """The gap marker: a triangle pointing up, centred on (x, y)."""
    return Polygon([x - r, y - r * 0.8, x + r, y - r * 0.8, x, y + r], fillColor=colour, strokeColor=INK,
                   strokeWidth=0.4)


def log_ticks(longest: float, shortest: float) -> list[tuple[float, str]]:
    """The log-scale ticks from just below the shortest wait to just above the longest (two at least)."""
    shortest = max(shortest, 1.0)
    longest = max(longest, shortest)
    low = max(i for i, t in enumerate(LOG_TICKS) if t[0] <= shortest)
    high = next((i for i, t in enumerate(LOG_TICKS) if t[0] >= longest), len(LOG_TICKS) - 1)
    high = max(high, low + 1)
    return list(LOG_TICKS[low : high + 1])


def waits(rows: list[Wait], width: float, *, as_of: Moment, limit: int = 12) -> Drawing | None:
    """Horizontal bars on a log scale, longest first, each with its value; a legend below."""
    if not rows:
        return None
    shown, hidden = rows[:limit], len(rows) - limit
    bar_h, gap = 10.0, 5.0
    label_w, value_w = min(140.0, width * 0.3), min(92.0, width * 0.2)
    key = Legend(_legend(as_of, any(w.state is WaitState.WAITING for w in shown)), width)
    axis_h, legend_h = 16.0, key.height + 4.0
    plot_w = width - label_w - value_w
    measured = [w.waited.total_seconds() for w in shown if w.waited is not None]
    ticks = log_ticks(max(measured, default=_HOUR), min((s for s in measured if s > 0), default=_MINUTE))
    low, high = math.log10(ticks[0][0]), math.log10(ticks[-1][0])
    span = (high - low) or 1.0

    def x_of(seconds: float) -> float:
        return label_w + plot_w * (math.log10(max(seconds, ticks[0][0])) - low) / span

    extra = 12.0 if hidden > 0 else 0.0
    rows_h = len(shown) * (bar_h + gap)
    height = rows_h + axis_h + legend_h + extra
    d = drawing(width, height)
    top = height
    for (seconds, text) in ticks:  # the grid first, so bars and values lie on top of it
        x = x_of(seconds)
        d.add(Line(x, legend_h + extra + axis_h - 3, x, top, strokeColor=LIGHT, strokeWidth=0.5))
        d.add(label(x, legend_h + extra + 4, text, face=REGULAR, size=6.5, colour=MUTED, anchor="middle"))
    d.add(Line(label_w, legend_h + extra + axis_h - 3, label_w + plot_w, legend_h + extra + axis_h - 3,
               strokeColor=MUTED, strokeWidth=0.6))
    for i, wait in enumerate(shown):
        y = top - (i + 1) * (bar_h + gap) + gap / 2
        d.add(label(label_w - 6, y + 2.5, wait.subject, face=REGULAR, size=7.5, colour=INK, anchor="end",
                    room=label_w - 10))
        if wait.waited is None:
            why = NOT_MEASURED.get(wait.state, wait.state.value)
            if wait.reason:
                why += f": {wait.reason}"
            d.add(label(label_w + 4, y + 2.5, why, face=ITALIC, size=7, colour=MUTED, room=plot_w + value_w - 8))
            continue
        seconds = max(wait.waited.total_seconds(), 0.0)
        end = max(x_of(seconds), label_w + 1.5)
        d.add(bar(label_w, y, end - label_w, bar_h, open_wait=wait.state is WaitState.WAITING))
        value = format_duration(wait.waited)
        if wait.state is WaitState.WAITING:
            value += " and waiting"
        d.add(label(end + 4, y + 2.5, value, face=BOLD, size=7.5, colour=INK, room=width - end - 4))
    d.add(Line(label_w, legend_h + extra + axis_h - 3, label_w, top, strokeColor=MUTED, strokeWidth=0.6))
    if hidden > 0:
        d.add(label(label_w, legend_h + 2, f"{hidden} more not shown here; every item is in the tables below.",
                    face=ITALIC, size=7, colour=MUTED, room=width - label_w))
    key.draw(d)
    return d


def _legend(as_of: Moment, open_waits: bool) -> list[Entry]:
    """What the bars mean: only the kinds of bar the chart shows."""
    entries = [Entry("finished wait", lambda x, y: bar(x, y, 14, 7, open_wait=False), 14)]
    if open_waits:
        entries.append(
            Entry(f"still open, measured to {as_of.display()}", lambda x, y: bar(x, y, 14, 7, open_wait=True), 14)
        )
    return [*entries, Entry("Logarithmic scale: minutes and weeks on one axis; each bar carries its value.")]


def gap_bars(counts: dict[Gap, int], width: float) -> Drawing | None:
    """Gap notes per category, as small bars with their counts (most frequent first)."""
    if not counts:
        return None
    ordered = sorted(counts.items(), key=lambda item: (-item[1], list(Gap).index(item[0])))
    bar_h, gap, label_w = 9.0, 4.0, 92.0
    plot_w = min(width - label_w - 30, 220.0)
    most = max(counts.values())
    height = len(ordered) * (bar_h + gap) + 2
    d = drawing(label_w + plot_w + 30, height)
    for i, (category, count) in enumerate(ordered):
        y = height - (i + 1) * (bar_h + gap) + gap / 2
        length = max(plot_w * count / most, 2.0)
        d.add(label(label_w - 6, y + 2, category.label, face=REGULAR, size=7.5, colour=INK, anchor="end"))
        d.add(Rect(label_w, y, length, bar_h, fillColor=GAP, strokeColor=None))
        d.add(label(label_w + length + 4, y + 2, str(count), face=BOLD, size=7.5, colour=INK))
    d.add(Line(label_w, 0, label_w, height, strokeColor=RULE, strokeWidth=0.6))
    return d

