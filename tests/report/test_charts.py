"""Charts that print: a log scale with values on the bars, shapes as well as colours, legends
inside the chart, dated ticks that never overlap, and a density view for thousands of notes."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, Rect, String

from irdesk.domain.enums import Gap, Phase
from irdesk.domain.metrics import Wait, WaitState
from irdesk.report import charts, timeline
from irdesk.report.content import gather
from irdesk.report.fonts import register_fonts

WIDTH = 481.0  # the report's frame: A4 less its margins


def shapes(node) -> list:
    """Every shape of a drawing, groups opened."""
    found = []
    for item in getattr(node, "contents", []):
        found += shapes(item) if isinstance(item, Group) else [item]
    return found


def strings(d: Drawing) -> list[String]:
    return [s for s in shapes(d) if isinstance(s, String)]


def text_of(d: Drawing) -> str:
    return " ".join(s.text for s in strings(d))


def assert_inside(d: Drawing) -> None:
    x0, y0, x1, y1 = d.getBounds()
    assert x0 >= -0.5 and x1 <= d.width + 0.5, (x0, x1, d.width)
    assert y0 >= -0.5 and y1 <= d.height + 0.5, (y0, y1, d.height)


@pytest.fixture
def demo(case):
    from irdesk.demo import build_demo

    register_fonts()
    build_demo(case)
    return gather(case, responder="R")


def wait(subject: str, seconds: float, state: WaitState = WaitState.DONE, reason: str = "") -> Wait:
    waited = timedelta(seconds=seconds) if state in (WaitState.DONE, WaitState.WAITING) else None
    return Wait(subject, "", None, waited, state, reason)


def test_six_minutes_and_fifty_days_share_one_readable_log_scale(demo):
    rows = [wait("Long open request", 50 * 86400, WaitState.WAITING), wait("Quick", 360),
            wait("Overwritten logs", 0, WaitState.UNAVAILABLE, "kept 7 days"),
            wait("Audit trail", 0, WaitState.NEVER_REQUESTED)]
    d = charts.waits(rows, WIDTH, as_of=demo.as_of)
    text = text_of(d)
    assert "50 d 0 h and waiting" in text and "6 min" in text  # every bar carries its value
    assert "1 min" in text and "30 d" in text or "1 yr" in text  # ticks span both
    assert "unavailable: kept 7 days" in text and "never requested" in text
    bars = sorted((r for r in shapes(d) if isinstance(r, Rect) and r.height == 10.0), key=lambda r: r.width)
    short, long = bars[0].width, bars[-1].width
    assert short > 0.1 * long  # on a linear scale the six minutes would be a 1/12,000 sliver
    assert "Logarithmic scale" in text
    assert_inside(d)


def test_an_open_wait_is_hatched_not_only_coloured(demo):
    d = charts.waits([wait("Open", 7200, WaitState.WAITING), wait("Done", 3600)], WIDTH, as_of=demo.as_of)
    groups = [g for g in d.contents if isinstance(g, Group)]
    hatched = [g for g in groups if any(isinstance(x, Group) and any(isinstance(y, Line) for y in x.contents)
                                        for x in g.contents)]
    assert len(hatched) >= 2  # the open bar and its legend swatch
    assert "still open, measured to" in text_of(d) and "finished wait" in text_of(d)
    finished = charts.waits([wait("Done", 3600)], WIDTH, as_of=demo.as_of)
    assert "still open" not in text_of(finished)  # a legend names only what the chart shows


@pytest.mark.parametrize("name", ["Backup appliance support", "שלום עולם ארוך מאוד מאוד", "a" * 300])
def test_legends_and_labels_stay_inside_a_narrow_chart(demo, name):
    rows = [wait(name, 60 * i, WaitState.WAITING if i % 2 else WaitState.DONE) for i in range(1, 20)]
    for width in (WIDTH, 300.0, 220.0):
        d = charts.waits(rows, width, as_of=demo.as_of)
        assert_inside(d)
        assert "7 more not shown here" in text_of(d)  # dropped rows are counted
        t = timeline.timeline(demo.case, demo.notes, width)
        assert_inside(t)


def test_the_gap_chart_counts_each_category(demo):
    d = charts.gap_bars({Gap.ACCESS: 3, Gap.VENDOR: 1}, WIDTH)
    assert [s.text for s in strings(d) if s.text.isdigit()] == ["3", "1"]
    assert "Access" in text_of(d) and "Vendor" in text_of(d)


def test_the_timeline_has_dated_ticks_that_never_overlap(demo):
    d = timeline.timeline(demo.case, demo.notes, WIDTH)
    text = text_of(d)
    assert "12 Oct" in text and "13 Oct" in text and "times in UTC+01:00" in text
    dated = [s for s in strings(d) if s.text.endswith(("Oct", ":00")) and "UTC" not in s.text]
    ticks = sorted((s for s in dated if s.y == dated[0].y), key=lambda s: s.x)
    extents = [s.getBounds() for s in ticks]
    assert len(extents) >= 4
    for (_, _, right, _), (left, _, _, _) in zip(extents, extents[1:], strict=False):
        assert right < left, "two tick labels overlap"


def test_key_time_markers_are_numbered_and_moved_apart(demo):
    d = timeline.timeline(demo.case, demo.notes, WIDTH)
    markers = sorted((c for c in shapes(d) if isinstance(c, Circle) and c.r > 4), key=lambda c: c.cx)
    assert len(markers) == 6  # first activity … recovered
    assert all(b.cx - a.cx >= 2 * a.r for a, b in zip(markers, markers[1:], strict=False))
    numbers = sorted((s for s in strings(d) if s.text.isdigit() and s.fontSize > 6), key=lambda s: s.x)
    assert [s.text for s in numbers] == ["1", "2", "3", "4", "5", "6"]


def test_a_gap_note_is_a_triangle_and_a_note_a_dot(demo):
    d = timeline.timeline(demo.case, demo.notes, WIDTH)
    triangles = [p for p in shapes(d) if isinstance(p, Polygon)]
    dots = [c for c in shapes(d) if isinstance(c, Circle) and c.r < 2]
    assert len(triangles) >= 2 and len(dots) >= 5
    assert "a note marking a gap" in text_of(d) and "a note, on the lane of its phase" in text_of(d)
    assert "numbered as in the table below" in text_of(d) and "before or after the period" in text_of(d)
    no_gaps = {phase: [dataclasses.replace(n, gap=None) for n in notes] for phase, notes in demo.notes.items()}
    assert "marking a gap" not in text_of(timeline.timeline(demo.case, no_gaps, WIDTH))


def test_thousands_of_notes_are_drawn_as_counts_per_slice_of_time(demo):
    seed = demo.notes[Phase.DETECTION][0]
    start = demo.case.detected_at
    many = [dataclasses.replace(seed, id=f"n{i}", occurred=start + timedelta(seconds=60 * i),
                                gap=Gap.ACCESS if i % 500 == 0 else None) for i in range(5000)]
    notes = {**demo.notes, Phase.DETECTION: many}
    d = timeline.timeline(demo.case, notes, WIDTH)
    assert len(shapes(d)) < 2000  # not 5,000 dots on top of each other
    text = text_of(d)
    assert "notes per" in text and "tallest bar" in text
    assert len([p for p in shapes(d) if isinstance(p, Polygon)]) >= 5  # the gaps still stand out
    assert_inside(d)


@pytest.mark.parametrize(
    ("first", "last", "pattern"),
    [
        ("1970-01-01T00:00:00Z", "2100-12-31T23:59:59Z", r"^(19|20|21)\d\d$"),  # the time bounds
        ("2026-01-10T00:00:00Z", "2026-11-20T00:00:00Z", r"^[A-Z][a-z]{2} 2026$"),
        ("2026-10-01T00:00:00Z", "2026-10-29T00:00:00Z", r"^\d\d [A-Z][a-z]{2}$"),
    ],
)
def test_ticks_name_the_year_or_month_when_a_case_spans_one(demo, first, last, pattern):
    import re

    from irdesk.domain.moment import Moment

    case = dataclasses.replace(demo.case, first_activity_at=Moment.parse(first), detected_at=Moment.parse(last),
                               reported_at=None, contained_at=None, eradicated_at=None, recovered_at=None)
    d = timeline.timeline(case, demo.notes, WIDTH)
    ticks = [s.text for s in strings(d) if re.match(pattern, s.text)]
    assert 3 <= len(ticks) <= 12, ticks
    assert len(set(ticks)) == len(ticks), ticks  # no two ticks say the same
    assert_inside(d)


def test_labels_and_the_page_header_order_and_shape_right_to_left_text_as_the_body_does():
    from reportlab.pdfbase.ttfonts import ShapedStr

    from irdesk.report.fonts import REGULAR
    from irdesk.report.labels import label
    from irdesk.report.markup import text_markup
    from irdesk.report.palette import INK
    from irdesk.report.shaping import visual

    register_fonts()
    hebrew = label(0, 0, "שלום עולם (2026) ראשון", face=REGULAR, size=7, colour=INK)
    drawn = "".join(s.text for s in hebrew.contents)
    assert drawn == visual("שלום עולם (2026) ראשון", "R")
    assert drawn == text_markup("שלום עולם (2026) ראשון", REGULAR, "R")  # the body's own order
    assert drawn.startswith("ןושאר")  # the last word is leftmost: not mirrored as typed
    arabic = label(0, 0, "مرحبا بالعالم", face=REGULAR, size=7, colour=INK)
    assert all(isinstance(s.text, ShapedStr) for s in arabic.contents if s.text.strip())  # joined
    cut = label(0, 0, "שלום עולם " * 20, face=REGULAR, size=7, colour=INK, room=60)
    assert "".join(s.text for s in cut.contents).endswith("םולש")  # cut at its end: the start stays
