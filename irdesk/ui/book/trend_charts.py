"""The Book window's trend charts, quarter by quarter: time to detect and to contain, median time
to engage and to obtain logs, gaps by category, action items proposed, implemented and tested.

Incidents and drills are never drawn together: a choice at the top shows one or the other
(``domain/quarters.py`` computes both). Drawn with QtCharts in the palette's colours, so the
charts read in the light and in the dark theme.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QScatterSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QEvent, QMargins, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from irdesk.domain.enums import Gap
from irdesk.domain.quarters import Quarter
from irdesk.ui.palette import is_dark

# Colours that read on white and on the dark palette's #1e1f22 alike (Okabe–Ito, colour-blind safe).
SERIES_COLOURS = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#d55e00", "#56b4e9", "#f0e442", "#999999"]
DARK_SERIES_COLOURS = ["#56b4e9", "#e69f00", "#2ec4a0", "#e08fc0", "#ff7a33", "#9ad4f5", "#f0e442", "#bbbbbb"]


@dataclass(frozen=True)
class Unit:
    name: str  # "min", "h", "d"
    seconds: float

    def of(self, delta: timedelta) -> float:
        return round(delta.total_seconds() / self.seconds, 1)


def unit_for(values: Sequence[timedelta | None]) -> Unit:
    """Minutes for figures under two hours, hours under three days, else days."""
    longest = max((v.total_seconds() for v in values if v is not None), default=0.0)
    if longest < 2 * 3600:
        return Unit("min", 60)
    if longest < 72 * 3600:
        return Unit("h", 3600)
    return Unit("d", 86400)


DURATIONS: list[tuple[str, Callable[[Quarter], timedelta | None]]] = [
    ("Time to detect (median)", lambda q: q.time_to_detect),
    ("Time to contain (median)", lambda q: q.time_to_contain),
    ("Time to engage a person (median)", lambda q: q.time_to_engage),
    ("Time to obtain logs (median)", lambda q: q.time_to_obtain_logs),
]


def short_label(q: Quarter) -> str:
    """'Q3' over '2025': two short lines fit under a bar at 1024 px where '2025 Q3' does not."""
    return f"Q{(q.start.month - 1) // 3 + 1}<br>{q.start.year}"


class TrendCharts(QWidget):
    """Six small charts of the book's quarters, for incidents or for drills."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Trends per quarter")
        self._incidents: list[Quarter] = []
        self._drills: list[Quarter] = []
        self.show_incidents = QRadioButton("Incidents")
        self.show_drills = QRadioButton("Drills")
        self.show_incidents.setChecked(True)
        choice = QButtonGroup(self)
        for button in (self.show_incidents, self.show_drills):
            choice.addButton(button)
            button.toggled.connect(self._toggled)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        top = QHBoxLayout()
        top.addWidget(QLabel("Show:"))
        top.addWidget(self.show_incidents)
        top.addWidget(self.show_drills)
        top.addSpacing(16)
        top.addWidget(self.summary, 1)
        self.views: dict[str, QChartView] = {}
        grid_holder = QWidget()
        grid = QGridLayout(grid_holder)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(4)
        titles = [t for t, _f in DURATIONS] + ["Gaps by category", "Action items"]
        for n, title in enumerate(titles):
            chart = QChart()
            chart.setTitle(title)
            chart.setMargins(QMargins(2, 2, 2, 2))
            chart.layout().setContentsMargins(0, 0, 0, 0)
            chart.setBackgroundRoundness(0)
            view = QChartView(chart)
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.setMinimumSize(260, 190)
            view.setAccessibleName(title)
            self.views[title] = view
            grid.addWidget(view, n // 3, n % 3)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(grid_holder)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)

    def _toggled(self, on: bool) -> None:
        if on:
            self.redraw()

    # ------------------------------------------------------------ data in
    def set_quarters(self, incidents: Sequence[Quarter], drills: Sequence[Quarter]) -> None:
        self._incidents, self._drills = list(incidents), list(drills)
        self.redraw()

    @property
    def quarters(self) -> list[Quarter]:
        """The quarters shown now: the incidents' or the drills'."""
        return self._drills if self.show_drills.isChecked() else self._incidents

    def chart(self, title: str) -> QChart:
        return self.views[title].chart()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        """Light or dark switched (Settings ▸ Appearance): draw again in the new palette's colours."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "views"):
            self.redraw()

    # ------------------------------------------------------------ drawing
    def redraw(self) -> None:
        quarters = self.quarters
        what = "drill" if self.show_drills.isChecked() else "incident"
        cases = sum(q.cases for q in quarters)
        if quarters:
            self.summary.setText(f"{cases} {what}(s) from {quarters[0].label} to {quarters[-1].label}; "
                                 "a quarter without a point had none, or none that measured it.")
        else:
            self.summary.setText(f"No {what} filed yet: file one to see its figures per quarter.")
        labels = [short_label(q) for q in quarters]
        colours = DARK_SERIES_COLOURS if is_dark(self) else SERIES_COLOURS
        for n, (title, figure) in enumerate(DURATIONS):
            values = [figure(q) for q in quarters]
            chart = self.chart(title)
            chart.setTitle(title if any(v is not None for v in values) else f"{title}: nothing measured")
            self._durations(chart, labels, values, QColor(colours[n % 4]))
        gaps = [g for g in Gap if any(q.gaps.get(g, 0) for q in quarters)]
        self._bars(self.chart("Gaps by category"), labels, [(g.label, [q.gaps.get(g, 0) for q in quarters])
                                                             for g in gaps], colours, stacked=True)
        self._bars(self.chart("Action items"), labels, [
            ("Proposed", [q.actions_proposed for q in quarters]),
            ("Implemented", [q.actions_implemented for q in quarters]),
            ("Tested", [q.actions_tested for q in quarters]),
        ], [colours[1], colours[0], colours[2]], stacked=False)

    def _reset(self, chart: QChart) -> None:
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
            axis.deleteLater()
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        chart.setBackgroundBrush(QBrush(palette.color(QPalette.ColorRole.Base)))
        chart.setBackgroundPen(QPen(palette.color(QPalette.ColorRole.Mid)))
        chart.setTitleBrush(QBrush(text))
        font = QFont(self.font())
        font.setBold(True)
        chart.setTitleFont(font)
        chart.legend().setLabelColor(text)
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() - 1))
        chart.legend().setFont(small)

    def _axes(self, chart: QChart, labels: list[str], top: float, title: str, *,
              counts: bool = False) -> tuple[QBarCategoryAxis, QValueAxis]:
        palette = self.palette()
        text, grid = palette.color(QPalette.ColorRole.WindowText), palette.color(QPalette.ColorRole.Mid)
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() - 1))
        x = QBarCategoryAxis()
        x.append(labels or ["—"])
        y = QValueAxis()
        if counts:
            whole = max(1, math.ceil(top))
            if whole <= 5:  # a tick per whole number: 0, 1, 2 …
                y.setRange(0, whole + 1)
                y.setTickCount(whole + 2)
            else:
                y.setRange(0, whole * 1.15)
                y.applyNiceNumbers()
            y.setLabelFormat("%.0f")
        else:
            y.setRange(0, max(top * 1.25, 1.0))
            y.applyNiceNumbers()
            y.setLabelFormat("%.0f" if y.max() >= 5 else "%.1f")
        y.setTitleText(title)
        for axis in (x, y):
            axis.setLabelsColor(text)
            axis.setLabelsFont(small)
            axis.setTitleBrush(QBrush(text))
            axis.setTitleFont(small)
            axis.setGridLineColor(grid)
            axis.setLinePenColor(grid)
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        return x, y

    def _durations(self, chart: QChart, labels: list[str], values: list[timedelta | None], colour: QColor) -> None:
        """A line through the quarters that measured it, a labelled point on each."""
        self._reset(chart)
        unit = unit_for(values)
        points = [(float(n), unit.of(v)) for n, v in enumerate(values) if v is not None]
        line, marks = QLineSeries(), QScatterSeries()
        line.setName("median")
        for at, value in points:
            line.append(at, value)
            marks.append(at, value)
        pen = QPen(colour)
        pen.setWidthF(2.0)
        line.setPen(pen)
        marks.setColor(colour)
        marks.setBorderColor(colour)
        marks.setMarkerSize(8.0)
        marks.setPointLabelsVisible(True)
        marks.setPointLabelsFormat(f"@yPoint {unit.name}")
        marks.setPointLabelsColor(self.palette().color(QPalette.ColorRole.WindowText))
        marks.setPointLabelsClipping(False)
        chart.addSeries(line)
        chart.addSeries(marks)
        x, y = self._axes(chart, labels, max((p[1] for p in points), default=0.0), unit.name)
        for series in (line, marks):
            series.attachAxis(x)
            series.attachAxis(y)
        chart.legend().setVisible(False)

    def _bars(self, chart: QChart, labels: list[str], sets: list[tuple[str, list[int]]], colours: list[str],
              *, stacked: bool) -> None:
        self._reset(chart)
        series = QStackedBarSeries() if stacked else QBarSeries()
        for n, (name, counts) in enumerate(sets):
            bar = QBarSet(name)
            bar.append([float(c) for c in counts])
            bar.setColor(QColor(colours[n % len(colours)]))
            bar.setBorderColor(QColor(colours[n % len(colours)]))
            series.append(bar)
        chart.addSeries(series)
        tops = ([sum(col) for col in zip(*(c for _n, c in sets), strict=True)] if stacked
                else [max(col) for col in zip(*(c for _n, c in sets), strict=True)]) if sets else []
        x, y = self._axes(chart, labels, float(max(tops, default=0)), "count", counts=True)
        series.attachAxis(x)
        series.attachAxis(y)
        chart.legend().setVisible(bool(sets))
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
