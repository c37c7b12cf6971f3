"""The report's charts, drawn with reportlab graphics: the timeline and the waiting bars."""

from __future__ import annotations

from datetime import timedelta

from reportlab.graphics.shapes import Circle, Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from irdesk.domain.enums import Phase
from irdesk.domain.metrics import Wait
from irdesk.domain.moment import Moment, format_duration
from irdesk.domain.records import KEY_TIMES, Case, Note
from irdesk.report.fonts import BOLD, REGULAR
from irdesk.report.markup import display_order

INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#616e7c")
RULE = colors.HexColor("#cbd2d9")
ACCENT = colors.HexColor("#1d4e89")
GAP = colors.HexColor("#c2410c")
WAITING = colors.HexColor("#e4a11b")
PHASE_COLOURS = {
    Phase.PREPARATION: colors.HexColor("#7b8794"),
    Phase.DETECTION: colors.HexColor("#1d4e89"),
    Phase.CONTAINMENT: colors.HexColor("#2f7d5b"),
    Phase.POST_INCIDENT: colors.HexColor("#6b4c9a"),
}
_SHORT_PHASE = {
    Phase.PREPARATION: "Preparation",
    Phase.DETECTION: "Detection",
    Phase.CONTAINMENT: "Containment",
    Phase.POST_INCIDENT: "Post-incident",
}


def _fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut with an ellipsis to fit ``width`` points."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[: max(0, min(len(text) - 1, int(len(text) * 0.9)))]
    return text + "…"


def _key_times(case: Case) -> list[tuple[str, Moment]]:
    found = []
    for name in KEY_TIMES:
        value = getattr(case, name)
        if value is not None:
            found.append((name.removesuffix("_at").replace("_", " ").capitalize(), value))
    return sorted(found, key=lambda item: item[1].utc)


def _window(keys: list[Moment], notes: list[Moment]) -> tuple[Moment, Moment] | None:
    """The span to draw: the key times (padded), else the notes; outliers go to the edges."""
    base = keys if len(keys) >= 2 else keys + notes
    if len(base) < 2:
        return None
    start, end = min(base, key=lambda m: m.utc), max(base, key=lambda m: m.utc)
    pad = max((end - start) * 0.06, timedelta(minutes=30))
    return start + -pad, end + pad


def timeline(case: Case, notes: dict[Phase, list[Note]], width: float) -> Drawing | None:
    """Notes per phase as dots on four lanes (gaps in orange), key times as labelled rules.

    Notes before or after the window of key times are counted at the lane's ends.
    """
    keys = _key_times(case)
    window = _window([m for _, m in keys], [n.occurred for lane in notes.values() for n in lane])
    if window is None:
        return None
    start, end = window
    span = (end - start).total_seconds() or 3600.0
    label_w, lane_h, rows = 78.0, 16.0, 4
    top = 8.0 + rows * 9.0
    plot_w = width - label_w - 24
    height = top + lane_h * len(Phase) + 26
    d = Drawing(width, height)

    def x_of(m: Moment) -> float:
        return label_w + plot_w * (m - start).total_seconds() / span

    lane_top = height - top
    for i, phase in enumerate(Phase):
        y = lane_top - lane_h * i - lane_h / 2
        d.add(Line(label_w, y, label_w + plot_w, y, strokeColor=RULE, strokeWidth=0.5))
        d.add(
            String(
                label_w - 6,
                y - 3,
                _SHORT_PHASE[phase],
                fontName=REGULAR,
                fontSize=7,
                fillColor=MUTED,
                textAnchor="end",
            )
        )
        before = after = 0
        drawn: set[tuple[int, bool]] = set()  # one dot per 1.5 pt and kind: a busy hour stays cheap
        for note in notes[phase]:
            if note.occurred < start:
                before += 1
                continue
            if note.occurred > end:
                after += 1
                continue
            x, is_gap = x_of(note.occurred), note.gap is not None
            if (round(x / 1.5), is_gap) in drawn:
                continue
            drawn.add((round(x / 1.5), is_gap))
            colour = GAP if is_gap else PHASE_COLOURS[phase]
            d.add(Circle(x, y, 2.6 if is_gap else 1.8, fillColor=colour, strokeColor=None))
        if before:
            d.add(
                String(
                    label_w + 2, y + 3, f"◂{before}", fontName=REGULAR, fontSize=6, fillColor=MUTED
                )
            )
        if after:
            d.add(
                String(
                    label_w + plot_w + 3,
                    y - 2,
                    f"{after}▸",
                    fontName=REGULAR,
                    fontSize=6,
                    fillColor=MUTED,
                )
            )
    bottom = lane_top - lane_h * len(Phase)
    # Key times: a rule through the lanes, its label on the lowest row where it fits.
    ends = [-1e9] * rows
    for name, moment in keys:
        x = x_of(moment)
        label = f"{name} {moment.local:%d %b %H:%M}"
        w = stringWidth(label, REGULAR, 6.5)
        left = min(max(x - w / 2, 0.0), width - w)
        row = next((r for r in range(rows) if left > ends[r] + 4), rows - 1)
        ends[row] = left + w
        label_y = lane_top + 6 + row * 9
        d.add(
            Line(
                x,
                bottom,
                x,
                label_y - 1.5,
                strokeColor=ACCENT,
                strokeWidth=0.7,
                strokeDashArray=[2, 1.5],
            )
        )
        d.add(String(left, label_y, label, fontName=REGULAR, fontSize=6.5, fillColor=ACCENT))
    d.add(Line(label_w, bottom, label_w + plot_w, bottom, strokeColor=MUTED, strokeWidth=0.6))
    d.add(
        String(
            label_w, bottom - 11, start.display(), fontName=REGULAR, fontSize=6.5, fillColor=MUTED
        )
    )
    d.add(
        String(
            label_w + plot_w,
            bottom - 11,
            end.display(),
            fontName=REGULAR,
            fontSize=6.5,
            fillColor=MUTED,
            textAnchor="end",
        )
    )
    d.add(
        String(
            label_w + plot_w / 2,
            bottom - 11,
            f"{format_duration(end - start)} shown",
            fontName=REGULAR,
            fontSize=6.5,
            fillColor=MUTED,
            textAnchor="middle",
        )
    )
    d.add(Circle(8, bottom - 8, 2.6, fillColor=GAP, strokeColor=None))
    d.add(String(13, bottom - 11, "gap note", fontName=REGULAR, fontSize=6.5, fillColor=MUTED))
    return d


def waits(rows: list[Wait], width: float, limit: int = 12) -> Drawing | None:
    """Horizontal bars, longest wait first; amber bars are still waiting."""
    rows = rows[:limit]
    if not rows:
        return None
    bar_h, gap, label_w = 11.0, 5.0, 150.0
    value_w = 70.0
    plot_w = width - label_w - value_w
    height = len(rows) * (bar_h + gap) + 6
    longest = max((w.waited for w in rows), default=timedelta(0)).total_seconds() or 1.0
    d = Drawing(width, height)
    for i, wait in enumerate(rows):
        y = height - (i + 1) * (bar_h + gap)
        seconds = max(wait.waited.total_seconds(), 0.0)
        length = max(plot_w * seconds / longest, 1.0)
        d.add(
            String(
                label_w - 6,
                y + 3,
                _fit(display_order(wait.subject), REGULAR, 7.5, label_w - 10),
                fontName=REGULAR,
                fontSize=7.5,
                fillColor=INK,
                textAnchor="end",
            )
        )
        colour = ACCENT if wait.resolved else WAITING
        d.add(Rect(label_w, y, length, bar_h, fillColor=colour, strokeColor=None))
        value = format_duration(wait.waited) + ("" if wait.resolved else " +")
        d.add(
            String(label_w + length + 4, y + 3, value, fontName=BOLD, fontSize=7.5, fillColor=INK)
        )
    d.add(Line(label_w, 0, label_w, height, strokeColor=MUTED, strokeWidth=0.6))
    return d
