"""The timeline chart: notes on four phase lanes, the case's key times, dated ticks.

Readable in greyscale and at any size of case:

- a note is a dot, a gap note a triangle (shape, not only colour);
- key times are dashed rules through the lanes with a numbered marker above; markers that
  would touch are moved apart along the top (with a leader to their rule), and the numbers
  are explained in the key-times table under the chart, so no label can overlap another;
- the time axis has ticks at whole hours, days or weeks with their dates, and tick labels
  that would collide are left out;
- with more than ``DENSITY_FROM`` notes in view a lane shows how many notes fall in each
  slice of time (bars) instead of thousands of overlapping dots.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Rect, Shape, String

from irdesk.domain.enums import Phase
from irdesk.domain.moment import Moment, format_duration
from irdesk.domain.records import KEY_TIMES, Case, Note
from irdesk.report.charts import drawing, triangle
from irdesk.report.fonts import BOLD, REGULAR
from irdesk.report.labels import label
from irdesk.report.legend import Entry, Legend
from irdesk.report.palette import ACCENT, GAP, LIGHT, MUTED, PHASE_COLOURS, RULE
from irdesk.report.shaping import width as text_width

DENSITY_FROM = 400  # notes in view from which lanes show counts per slice of time
_SHORT_PHASE = {
    Phase.PREPARATION: "Preparation",
    Phase.DETECTION: "Detection",
    Phase.CONTAINMENT: "Containment",
    Phase.POST_INCIDENT: "Post-incident",
}


@dataclass(frozen=True)
class _Step:
    """A tick spacing: a fixed length (hours, days, weeks) or a number of calendar months."""

    size: timedelta  # the length, or about that, used to pick the step for a span
    months: int = 0


_MONTH = timedelta(days=30.44)
_STEPS = (
    [_Step(timedelta(hours=h)) for h in (1, 2, 3, 6, 12)]
    + [_Step(timedelta(days=d)) for d in (1, 2, 7, 14)]
    + [_Step(_MONTH * m, months=m) for m in (1, 3, 6, 12, 24, 60, 120, 240, 600)]
)
MARKER_R = 4.6


@dataclass(frozen=True)
class KeyTime:
    number: int
    name: str
    at: Moment


def key_times(case: Case) -> list[KeyTime]:
    """The case's key times that are set, in time order, numbered as the chart marks them."""
    found = []
    for name in KEY_TIMES:
        value = getattr(case, name)
        if value is not None:
            found.append((name.removesuffix("_at").replace("_", " ").capitalize(), value))
    found.sort(key=lambda item: item[1].utc)
    return [KeyTime(i, name, at) for i, (name, at) in enumerate(found, start=1)]


def _window(keys: list[Moment], notes: list[Moment]) -> tuple[Moment, Moment] | None:
    """The span to draw: the key times (padded), else the notes; outliers go to the edges."""
    base = keys if len(keys) >= 2 else keys + notes
    if len(base) < 2:
        return None
    start, end = min(base, key=lambda m: m.utc), max(base, key=lambda m: m.utc)
    pad = max((end - start) * 0.06, timedelta(minutes=30))
    return start + -pad, end + pad


def _ticks(start: Moment, end: Moment, offset: int, room: float) -> tuple[_Step, list[datetime]]:
    """Tick instants about one per 50 pt, on whole hours, days, Mondays, months or years of
    the case's local time (a case may span from 1970 to 2100)."""
    span = end - start
    wanted = max(2, int(room / 50))
    step = next((s for s in _STEPS if span / s.size <= wanted), _STEPS[-1])
    zone = timezone(timedelta(minutes=offset))
    local = start.utc.astimezone(zone)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if step.months:
        return step, _month_ticks(local, end.utc, step.months)
    size = step.size
    if size < timedelta(days=1):
        first = midnight + size * ((local - midnight) // size + 1)
    else:
        first = midnight + timedelta(days=1)
        if size.days >= 7:
            first += timedelta(days=(7 - first.weekday()) % 7)  # Mondays
    ticks = []
    at = first
    while at <= end.utc:
        ticks.append(at)
        at += size
    return step, ticks


def _month_ticks(local: datetime, end: datetime, months: int) -> list[datetime]:
    """The first of every ``months``-th month (January for whole years) after ``local``, to ``end``."""
    index = local.year * 12 + local.month  # the month after ``local``'s, counted from year 0
    index += (-index) % months
    ticks: list[datetime] = []
    while True:
        at = local.replace(year=index // 12, month=index % 12 + 1, day=1, hour=0, minute=0, second=0,
                           microsecond=0)
        if at > end:
            return ticks
        ticks.append(at)
        index += months


def _dodge(xs: list[float], low: float, high: float, gap: float) -> list[float]:
    """Positions as close to ``xs`` (sorted) as possible, at least ``gap`` apart, within bounds."""
    placed: list[float] = []
    for x in xs:
        placed.append(max(x, placed[-1] + gap) if placed else max(x, low))
    overflow = placed[-1] - high if placed else 0.0
    if overflow > 0:  # pushed past the right end: shift back, keeping the gaps
        placed = [p - overflow for p in placed]
        for i in range(len(placed) - 2, -1, -1):
            placed[i] = min(placed[i], placed[i + 1] - gap)
    # centre each cluster of pushed markers on the rules it stands for
    clusters: list[list[int]] = []
    for i in range(len(placed)):
        if clusters and placed[i] - placed[clusters[-1][-1]] <= gap + 0.01:
            clusters[-1].append(i)
        else:
            clusters.append([i])
    for group in clusters:
        shift = sum(xs[i] for i in group) / len(group) - sum(placed[i] for i in group) / len(group)
        lo_room = placed[group[0]] - (placed[group[0] - 1] + gap if group[0] else low)
        hi_room = (placed[group[-1] + 1] - gap if group[-1] + 1 < len(placed) else high) - placed[group[-1]]
        shift = max(-lo_room, min(hi_room, shift))
        for i in group:
            placed[i] += shift
    return placed


def timeline(case: Case, notes: dict[Phase, list[Note]], width: float) -> Drawing | None:
    keys = key_times(case)
    window = _window([k.at for k in keys], [n.occurred for lane in notes.values() for n in lane])
    if window is None:
        return None
    start, end = window
    span = (end - start).total_seconds() or 3600.0
    label_w, lane_h = 74.0, 15.0
    plot_w = width - label_w - 22

    def x_of(m: Moment) -> float:
        return label_w + plot_w * (m - start).total_seconds() / span

    in_view = sum(1 for lane in notes.values() for n in lane if start <= n.occurred <= end)
    density = in_view > DENSITY_FROM
    bins = max(20, int(plot_w / 3))
    lanes = [_lane(notes[phase], start, end, x_of, density, bins, label_w, plot_w) for phase in Phase]
    tallest = max((max(lane.counts) for lane in lanes), default=0)
    shown = {"gaps": any(lane.gaps for lane in lanes), "keys": bool(keys),
             "outside": any(lane.before or lane.after for lane in lanes)}
    legend = Legend(_legend(density, timedelta(seconds=span / bins), tallest, **shown), width)
    marker_band, axis_h, legend_h = 22.0, 24.0, legend.height + 2.0
    lanes_h = lane_h * len(Phase)
    height = marker_band + lanes_h + axis_h + legend_h
    d = drawing(width, height)
    lane_top = height - marker_band
    bottom = lane_top - lanes_h
    offset = keys[0].at.offset_minutes if keys else start.offset_minutes
    step, ticks = _ticks(start, end, offset, plot_w)
    for tick in ticks:  # light vertical grid at each tick, under everything else
        x = label_w + plot_w * (tick - start.utc).total_seconds() / span
        d.add(Line(x, bottom, x, lane_top, strokeColor=LIGHT, strokeWidth=0.5))
    # Key times: a dashed rule through the lanes (under the notes), a numbered marker above,
    # markers moved apart along the top when they would touch, each with a leader to its rule.
    rule_xs = [x_of(k.at) for k in keys]
    placed = _dodge(rule_xs, label_w - 12, width - MARKER_R - 1, 2 * MARKER_R + 1.5)
    marker_y = lane_top + marker_band / 2
    for key, x, mx in zip(keys, rule_xs, placed, strict=True):
        d.add(Line(x, bottom, x, lane_top, strokeColor=ACCENT, strokeWidth=0.7, strokeDashArray=[2, 1.5]))
        d.add(Line(x, lane_top, mx, marker_y - MARKER_R, strokeColor=ACCENT, strokeWidth=0.5))
        d.add(Circle(mx, marker_y, MARKER_R, fillColor=None, strokeColor=ACCENT, strokeWidth=0.8))
        d.add(String(mx, marker_y - 2.2, str(key.number), fontName=BOLD, fontSize=6.3, fillColor=ACCENT,
                     textAnchor="middle"))
    slot_w = plot_w / bins
    for i, (phase, lane) in enumerate(zip(Phase, lanes, strict=True)):
        y = lane_top - lane_h * i - lane_h / 2
        d.add(Line(label_w, y, label_w + plot_w, y, strokeColor=RULE, strokeWidth=0.5))
        d.add(String(label_w - 6, y - 2.5, _SHORT_PHASE[phase], fontName=REGULAR, fontSize=7, fillColor=MUTED,
                     textAnchor="end"))
        colour = PHASE_COLOURS[phase]
        for slot in sorted(lane.dots):
            d.add(Circle(slot * 1.5, y, 1.7, fillColor=colour, strokeColor=None))
        for b, count in enumerate(lane.counts):  # one scale for all lanes: their bars compare
            if count:
                h = max(1.0, (lane_h - 3) * count / tallest)
                d.add(Rect(label_w + b * slot_w, y - h / 2, max(slot_w - 0.6, 0.8), h, fillColor=colour,
                           strokeColor=None))
        if lane.before:
            d.add(String(label_w + 2, y + 2.5, f"\u25c2{lane.before}", fontName=REGULAR, fontSize=6,
                         fillColor=MUTED))
        if lane.after:
            d.add(String(label_w + plot_w + 3, y - 2, f"{lane.after}\u25b8", fontName=REGULAR, fontSize=6,
                         fillColor=MUTED))
        # Gap markers: on the lane among dots; above the bars, smaller, in the density view.
        for slot in sorted(lane.gaps):
            if density:
                d.add(triangle(slot * 2.0, y + lane_h * 0.32, 2.0, GAP))
            else:
                d.add(triangle(slot * 2.0, y, 2.9, GAP))
    # The time axis: ticks with their dates; a label that would touch the previous one is left out.
    d.add(Line(label_w, bottom, label_w + plot_w, bottom, strokeColor=MUTED, strokeWidth=0.6))
    last_end = -1e9
    for tick in ticks:
        x = label_w + plot_w * (tick - start.utc).total_seconds() / span
        d.add(Line(x, bottom, x, bottom - 3, strokeColor=MUTED, strokeWidth=0.6))
        text = _tick_label(tick, step)
        w = text_width(text, REGULAR, 6.3)
        if x - w / 2 > last_end + 4 and x + w / 2 <= width:
            d.add(label(x, bottom - 10, text, face=REGULAR, size=6.3, colour=MUTED, anchor="middle"))
            last_end = x + w / 2
    zone = f"UTC{'+' if offset >= 0 else '-'}{abs(offset) // 60:02d}:{abs(offset) % 60:02d}"
    d.add(String(label_w, bottom - 19, f"{format_duration(end - start)} shown · times in {zone}",
                 fontName=REGULAR, fontSize=6.3, fillColor=MUTED))
    legend.draw(d)
    return d


@dataclass
class _Lane:
    before: int = 0
    after: int = 0
    dots: set[int] = field(default_factory=set)  # one dot per 1.5 pt: a busy hour stays cheap
    gaps: set[int] = field(default_factory=set)  # one marker per 2 pt
    counts: list[int] = field(default_factory=list)  # notes per slice of time (density view)


def _lane(notes: list[Note], start: Moment, end: Moment, x_of: Callable[[Moment], float], density: bool,
          bins: int, left: float, plot_w: float) -> _Lane:
    lane = _Lane(counts=[0] * bins)
    for note in notes:
        if note.occurred < start:
            lane.before += 1
            continue
        if note.occurred > end:
            lane.after += 1
            continue
        x = x_of(note.occurred)
        if note.gap is not None:
            lane.gaps.add(round(x / 2.0))
        if density:
            lane.counts[min(bins - 1, int((x - left) / plot_w * bins))] += 1
        else:
            lane.dots.add(round(x / 1.5))
    return lane


def _tick_label(tick: datetime, step: _Step) -> str:
    if step.months >= 12:
        return f"{tick:%Y}"
    if step.months:
        return f"{tick:%b %Y}"
    if step.size >= timedelta(days=1) or (tick.hour == 0 and tick.minute == 0):
        return f"{tick:%d %b}"
    return f"{tick:%H:%M}"


def _legend(density: bool, slot: timedelta, tallest: int, *, gaps: bool, keys: bool, outside: bool) -> list[Entry]:
    """What the marks mean: only the kinds of mark the chart shows."""
    if density:
        colour = PHASE_COLOURS[Phase.DETECTION]
        notes = Entry(f"notes per {format_duration(slot)}, on the lane of their phase (tallest bar: {tallest:,})",
                      lambda x, y: _group(Rect(x, y, 3, 7, fillColor=colour, strokeColor=None)), 3)
    else:
        notes = Entry("a note, on the lane of its phase",
                      lambda x, y: _group(Circle(x + 2, y + 3, 1.7, fillColor=PHASE_COLOURS[Phase.DETECTION],
                                                 strokeColor=None)), 4)
    entries = [notes]
    if gaps:
        entries.append(Entry("a note marking a gap", lambda x, y: _group(triangle(x + 3, y + 3, 2.9, GAP)), 6))
    if keys:
        entries.append(Entry("a key time, numbered as in the table below", _key_symbol, 10))
    if outside:
        entries.append(Entry("\u25c2 \u25b8 notes before or after the period shown, counted"))
    return entries


def _group(*shapes: Shape) -> Group:
    group = Group()
    for shape in shapes:
        group.add(shape)
    return group


def _key_symbol(x: float, y: float) -> Group:
    return _group(
        Line(x, y, x, y + 7, strokeColor=ACCENT, strokeWidth=0.7, strokeDashArray=[2, 1.5]),
        Circle(x + 7, y + 3.5, 3.2, fillColor=None, strokeColor=ACCENT, strokeWidth=0.7),
        String(x + 7, y + 1.6, "1", fontName=BOLD, fontSize=5, fillColor=ACCENT, textAnchor="middle"),
    )
