"""The programme report's charts: a figure quarter by quarter, and action items along the way
from proposed to tested.

Incidents and drills are two series that differ in shape as well as colour (a solid line with
filled dots, a dashed line with hollow squares; solid bars and hatched ones), so a greyscale
printout reads like the screen. Times share the logarithmic axis of the case report's waits.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import timedelta

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, PolyLine, Rect
from reportlab.lib.colors import white

from irdesk.domain.moment import format_duration
from irdesk.report.charts import drawing, hatch, log_ticks
from irdesk.report.fonts import BOLD, REGULAR
from irdesk.report.labels import label
from irdesk.report.legend import Entry, Legend
from irdesk.report.palette import ACCENT, GAP, INK, LIGHT, MUTED

Series = Sequence[timedelta | None]


def _dot(x: float, y: float) -> Group:
    return Group(Circle(x, y, 2.4, fillColor=ACCENT, strokeColor=ACCENT, strokeWidth=0.6))


def _square(x: float, y: float) -> Group:
    return Group(Rect(x - 2.3, y - 2.3, 4.6, 4.6, fillColor=white, strokeColor=GAP, strokeWidth=0.9))


def _incident_key(x: float, y: float) -> Group:
    g = Group(Line(x, y + 3, x + 16, y + 3, strokeColor=ACCENT, strokeWidth=1.4))
    g.add(_dot(x + 8, y + 3))
    return g


def _drill_key(x: float, y: float) -> Group:
    g = Group(Line(x, y + 3, x + 16, y + 3, strokeColor=GAP, strokeWidth=1.1, strokeDashArray=[3, 2]))
    g.add(_square(x + 8, y + 3))
    return g


def quarter_lines(title: str, labels: Sequence[str], incidents: Series, drills: Series, width: float,
                  height: float = 118.0) -> Drawing:
    """One figure per quarter on a log scale: incidents and drills as two lines; a quarter
    without a value has no point (the line breaks there), and says "—" in the tables."""
    key = Legend([Entry("incidents", _incident_key, 16), Entry("drills", _drill_key, 16)], width)
    title_h, axis_h, left = 12.0, 14.0, 34.0
    plot_h = height - title_h - axis_h - key.height - 6  # room above the top tick's label
    plot_w = width - left - 6
    measured = [v.total_seconds() for v in (*incidents, *drills) if v is not None]
    d = drawing(width, height)
    last = _last_value(incidents)
    if last is not None:  # the latest incidents' figure in words, beside the title (no label on the lines)
        title += f" · {labels[last[0]]}: {format_duration(last[1])}"
    d.add(label(0, height - 9, title, face=BOLD, size=8, colour=INK, room=width))
    base = key.height + axis_h
    if not measured:
        d.add(label(left, base + plot_h / 2, "nothing measured in these quarters", face=REGULAR, size=7,
                    colour=MUTED, room=plot_w))
        key.draw(d)
        return d
    ticks = log_ticks(max(measured), min((s for s in measured if s > 0), default=60.0))
    low, high = math.log10(ticks[0][0]), math.log10(ticks[-1][0])
    span = (high - low) or 1.0

    def y_of(seconds: float) -> float:
        return base + plot_h * (math.log10(max(seconds, ticks[0][0])) - low) / span

    step = plot_w / max(len(labels), 1)

    def x_of(i: int) -> float:
        return left + step * (i + 0.5)

    for seconds, text in ticks:
        y = y_of(seconds)
        d.add(Line(left, y, left + plot_w, y, strokeColor=LIGHT, strokeWidth=0.5))
        d.add(label(left - 3, y - 2.2, text, face=REGULAR, size=6, colour=MUTED, anchor="end"))
    every = max(1, math.ceil(len(labels) / max(1, int(plot_w // 34))))  # labels that fit side by side
    for i, text in enumerate(labels):
        if i % every == 0 or i == len(labels) - 1:
            d.add(label(x_of(i), base - 9, text, face=REGULAR, size=6, colour=MUTED, anchor="middle"))
    d.add(Line(left, base, left + plot_w, base, strokeColor=MUTED, strokeWidth=0.6))
    for values, marker, colour, dash in ((incidents, _dot, ACCENT, None), (drills, _square, GAP, [3, 2])):
        # one line through the measured quarters: a quiet quarter has no point, the line passes it
        points = [p for i, v in enumerate(values) if v is not None for p in (x_of(i), y_of(v.total_seconds()))]
        if len(points) >= 4:
            d.add(PolyLine(points, strokeColor=colour, strokeWidth=1.3 if dash is None else 1.1,
                           strokeDashArray=dash))
        for i, v in enumerate(values):
            if v is not None:
                d.add(marker(x_of(i), y_of(v.total_seconds())))
    key.draw(d)
    return d


def _last_value(values: Series) -> tuple[int, timedelta] | None:
    for i in range(len(values) - 1, -1, -1):
        v = values[i]
        if v is not None:
            return i, v
    return None


STAGES = ("proposed", "accepted", "implemented", "tested")


def follow_through(incidents: Sequence[int], drills: Sequence[int], width: float) -> Drawing:
    """Action items at each stage (proposed, accepted or further, implemented or further, tested):
    incidents as solid bars, drills as hatched ones, each bar with its count."""
    key = Legend([Entry("incidents' action items", lambda x, y: Group(Rect(x, y, 14, 7, fillColor=ACCENT,
                                                                             strokeColor=None)), 14),
                  Entry("drills' action items", _hatched_key, 14)], width)
    bar_h, pair_gap, label_w = 8.0, 6.0, 70.0
    plot_w = min(width - label_w - 40, 260.0)
    most = max([*incidents, *drills, 1])
    rows_h = len(STAGES) * (2 * bar_h + pair_gap)
    height = rows_h + key.height + 4
    d = drawing(width, height)
    for i, stage in enumerate(STAGES):
        top = height - i * (2 * bar_h + pair_gap)
        d.add(label(label_w - 6, top - bar_h - 2, stage.capitalize(), face=REGULAR, size=7.5, colour=INK,
                    anchor="end"))
        for j, (count, hatched) in enumerate(((incidents[i], False), (drills[i], True))):
            y = top - (j + 1) * bar_h
            length = max(plot_w * count / most, 1.5)
            if hatched:
                d.add(Rect(label_w, y + 0.5, length, bar_h - 1, fillColor=white, strokeColor=GAP, strokeWidth=0.7))
                d.add(hatch(label_w, y + 0.5, length, bar_h - 1, GAP))
            else:
                d.add(Rect(label_w, y + 0.5, length, bar_h - 1, fillColor=ACCENT, strokeColor=None))
            d.add(label(label_w + length + 4, y + 1.5, str(count), face=BOLD, size=7, colour=INK))
    d.add(Line(label_w, key.height + 4, label_w, height, strokeColor=MUTED, strokeWidth=0.6))
    key.draw(d)
    return d


def _hatched_key(x: float, y: float) -> Group:
    g = Group(Rect(x, y, 14, 7, fillColor=white, strokeColor=GAP, strokeWidth=0.7))
    g.add(hatch(x, y, 14, 7, GAP))
    return g
