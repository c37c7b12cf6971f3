"""The overview strip above the timeline: how many entries (and gaps) fall in each minute,
hour, day or week around the entry selected — the zoom goes from minutes to weeks.

Each bar is one interval; a gap in it adds a warning triangle above the bar and a hatched
part in the bar, so a gap reads by shape, not only by colour. Left and Right choose an
interval, Enter (or a click) moves the list to its first entry; + and − (or Ctrl+wheel) zoom.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFocusEvent,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from irdesk.casefile.timeline import EntryKind
from irdesk.domain.moment import local_offset_minutes
from irdesk.domain.timebounds import EARLIEST, END
from irdesk.ui.timeline.marks import COLOURS, GAP_COLOUR, mark_pixmap

BAR = 14  # px per interval
# The strip is counted on a pool thread a moment after it moves: a 0 ms timer can fire before
# Qt paints the list (its repaint is a posted event), and two cores would then share the count.
COUNT_DELAY_MS = 30
LABELS_HEIGHT = 18
Counts = list[tuple[int, int]]
# Counter(edges, deliver): count the entries and gaps between the edges, then deliver(counts),
# now or later (the tab counts on a pool thread: a 100,000-note case must not stall the list).
Counter = Callable[[Sequence[datetime], Callable[[Counts], None]], None]


@dataclass(frozen=True)
class Zoom:
    label: str
    seconds: int
    tick: str  # strftime for the labels under the bars


ZOOMS = (
    Zoom("1 minute", 60, "%H:%M"),
    Zoom("5 minutes", 300, "%H:%M"),
    Zoom("15 minutes", 900, "%H:%M"),
    Zoom("1 hour", 3600, "%a %H:%M"),
    Zoom("6 hours", 6 * 3600, "%a %d %b"),
    Zoom("1 day", 86400, "%a %d %b"),
    Zoom("1 week", 7 * 86400, "%d %b %Y"),
)
DEFAULT_ZOOM = 3  # an hour per bar: a day and a half on a laptop screen
_MONDAY = 4 * 86400  # 1970-01-05, the first Monday after the epoch: weeks start on Mondays


def _local_seconds(at: datetime) -> float:
    utc = at.astimezone(UTC)
    return utc.timestamp() + local_offset_minutes(utc) * 60


def interval_start(at: datetime, zoom: Zoom) -> datetime:
    """The start (UTC) of the interval holding ``at``, intervals aligned in local time."""
    local = _local_seconds(at)
    base = _MONDAY if zoom.seconds == 7 * 86400 else 0
    start_local = (local - base) // zoom.seconds * zoom.seconds + base
    start = datetime.fromtimestamp(start_local, UTC)
    return start - timedelta(minutes=local_offset_minutes(start))


class TimelineAxis(QWidget):
    jump_requested = Signal(object)  # datetime (UTC): show the first entry at or after it
    zoom_changed = Signal(int)
    counted = Signal()  # the bars now show their counts

    def __init__(self, counter: Counter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._counter = counter
        self._zoom = DEFAULT_ZOOM
        self._edges: list[datetime] = []
        self._counts: Counts = []
        self._asked = 0  # which count the strip waits for (an older answer is dropped)
        self._count_queued = False
        self._anchor = 0.5
        self._position: datetime | None = None
        self._chosen = -1  # the interval chosen with the keyboard or the mouse
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Timeline overview")
        self.setMouseTracking(True)

    # ------------------------------------------------------------ state
    @property
    def zoom(self) -> Zoom:
        return ZOOMS[self._zoom]

    @property
    def zoom_index(self) -> int:
        return self._zoom

    @property
    def edges(self) -> list[datetime]:
        return list(self._edges)

    @property
    def counts(self) -> list[tuple[int, int]]:
        return list(self._counts)

    @property
    def chosen(self) -> int:
        return self._chosen

    def set_zoom(self, index: int) -> None:
        index = max(0, min(len(ZOOMS) - 1, index))
        if index == self._zoom:
            return
        self._zoom = index
        self._recentre(self._position or self._middle())
        self.zoom_changed.emit(index)

    def set_position(self, at: datetime | None, anchor: float = 0.5) -> None:
        """The selected entry's time: the strip moves only when it leaves the strip, then puts it
        at ``anchor`` of its width (the latest entry near the right edge: the past, not the
        empty future, fills the strip)."""
        self._position = at
        self._anchor = anchor
        if at is None:
            self.update()
            return
        if not self._edges or not self._edges[0] <= at < self._edges[-1]:
            self._recentre(at)
        else:
            self._chosen = self._interval_of(at)
            self._describe()
            self.update()

    def refresh(self) -> None:
        """Count again (a filter or the case changed)."""
        self._recentre(self._position or self._middle())

    def clear(self) -> None:
        self._edges, self._counts, self._position, self._chosen = [], [], None, -1
        self.update()

    def _middle(self) -> datetime:
        if self._edges:
            return self._edges[len(self._edges) // 2]
        return datetime.now(UTC)

    def _slots(self) -> int:
        return max(8, self.width() // BAR)

    def _recentre(self, at: datetime) -> None:
        zoom = self.zoom
        slots = self._slots()
        step = timedelta(seconds=zoom.seconds)
        first = interval_start(at, zoom) - step * int(slots * self._anchor)
        lowest, highest = EARLIEST, END - step * (slots + 1)
        first = max(lowest, min(first, highest))
        # weeks and days in local time: step through local midnights, not a fixed 86,400 s
        self._edges = [interval_start(first + step * i + timedelta(seconds=zoom.seconds // 2), zoom)
                       for i in range(slots + 1)]
        self._counts = [(0, 0)] * slots
        self._chosen = self._interval_of(at)
        self._asked += 1
        if not self._count_queued:  # several moves in one turn of the event loop: one count
            self._count_queued = True
            QTimer.singleShot(COUNT_DELAY_MS, self, self._ask_counts)  # once the list has painted
        self._describe()
        self.update()

    def _ask_counts(self) -> None:
        self._count_queued = False
        if not self._edges:
            return
        asked, edges = self._asked, list(self._edges)
        self._counter(edges, lambda counts: self._counted(asked, counts))

    def _counted(self, asked: int, counts: Counts) -> None:
        if asked != self._asked or len(counts) != len(self._counts):
            return  # the strip moved or zoomed meanwhile: a newer count is coming
        self._counts = counts
        self._describe()
        self.update()
        self.counted.emit()

    def _interval_of(self, at: datetime) -> int:
        for i in range(len(self._edges) - 1):
            if self._edges[i] <= at < self._edges[i + 1]:
                return i
        return -1

    def interval_text(self, i: int) -> str:
        if not 0 <= i < len(self._counts):
            return ""
        start = self._edges[i].astimezone()
        entries, gaps = self._counts[i]
        what = "1 entry" if entries == 1 else f"{entries} entries"
        if gaps:
            what += ", 1 gap" if gaps == 1 else f", {gaps} gaps"
        return f"{start:%a %d %b %Y %H:%M}, {self.zoom.label}: {what}"

    def _describe(self) -> None:
        self.setAccessibleDescription(self.interval_text(self._chosen))

    # ------------------------------------------------------------ moving
    def _choose(self, i: int) -> None:
        if not self._edges:
            return
        if i < 0 or i >= len(self._counts):
            step = timedelta(seconds=self.zoom.seconds)
            target = self._edges[0] - step if i < 0 else self._edges[-1]
            self._recentre(target)
            return
        self._chosen = i
        self._describe()
        self.update()

    def jump_to_chosen(self) -> None:
        if 0 <= self._chosen < len(self._edges) - 1:
            self.jump_requested.emit(self._edges[self._chosen])

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = event.key()
        if key == Qt.Key.Key_Left:
            self._choose(self._chosen - 1)
        elif key == Qt.Key.Key_Right:
            self._choose(self._chosen + 1)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.jump_to_chosen()
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.set_zoom(self._zoom - 1)
        elif key == Qt.Key.Key_Minus:
            self.set_zoom(self._zoom + 1)
        else:
            super().keyPressEvent(event)

    def _index_at(self, x: float) -> int:
        i = int(x // BAR)
        return i if 0 <= i < len(self._counts) else -1

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        i = self._index_at(event.position().x())
        if i >= 0:
            self._choose(i)
            self.jump_to_chosen()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt override
        delta = event.angleDelta().y() or event.angleDelta().x()
        if not delta:
            return
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.set_zoom(self._zoom + (1 if delta < 0 else -1))
        elif self._edges:
            step = timedelta(seconds=self.zoom.seconds) * max(1, self._slots() // 4)
            middle = self._middle()
            self._recentre(middle + step if delta < 0 else middle - step)

    def event(self, event: object) -> bool:
        if isinstance(event, QHelpEvent):
            i = self._index_at(event.pos().x())
            if i >= 0:
                QToolTip.showText(event.globalPos(), self.interval_text(i), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)  # type: ignore[arg-type]

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        if self._edges and len(self._edges) - 1 != self._slots():
            self._recentre(self._position or self._middle())
        super().resizeEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        self.update()
        super().focusOutEvent(event)

    # ------------------------------------------------------------ drawing
    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(600, 84)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(200, 84)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        text = palette.color(QPalette.ColorRole.Text)
        muted = QColor(text)
        muted.setAlpha(120)
        top, bottom = 14, self.height() - LABELS_HEIGHT
        height = bottom - top
        biggest = max((n for n, _ in self._counts), default=0) or 1
        note = QColor(COLOURS[EntryKind.NOTE])
        gap = QColor(GAP_COLOUR)
        if 0 <= self._chosen < len(self._counts):
            chosen = QColor(palette.color(QPalette.ColorRole.Highlight))
            chosen.setAlpha(70 if self.hasFocus() else 35)
            painter.fillRect(QRectF(self._chosen * BAR, 0, BAR, bottom), chosen)
        painter.setPen(QPen(muted, 1))
        painter.drawLine(0, bottom, self.width(), bottom)
        for i, (entries, gaps) in enumerate(self._counts):
            if not entries:
                continue
            x = i * BAR + 2
            h = max(2.0, height * (entries / biggest) ** 0.5)  # a square root: one note still shows
            painter.fillRect(QRectF(x, bottom - h, BAR - 4, h), note)
            if gaps:
                g = max(3.0, h * gaps / entries)
                painter.fillRect(QRectF(x, bottom - g, BAR - 4, g), QBrush(gap, Qt.BrushStyle.SolidPattern))
                painter.fillRect(QRectF(x, bottom - g, BAR - 4, g), QBrush(QColor("white"), Qt.BrushStyle.BDiagPattern))
                painter.drawPixmap(QPointF(x - 1, max(0.0, bottom - h - 13)), mark_pixmap(EntryKind.NOTE, True, 12))
        self._paint_labels(painter, bottom, text, muted)
        if self._position is not None and self._edges:
            span = (self._edges[-1] - self._edges[0]).total_seconds() or 1
            where = (self._position - self._edges[0]).total_seconds() / span * len(self._counts) * BAR
            if 0 <= where <= self.width():
                painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 2))
                painter.drawLine(QPointF(where, 0), QPointF(where, bottom))
        if self.hasFocus():
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 1, Qt.PenStyle.DashLine))
            painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        painter.end()

    def _paint_labels(self, painter: QPainter, bottom: int, text: QColor, muted: QColor) -> None:
        metrics = self.fontMetrics()
        zoom = self.zoom
        sample = metrics.horizontalAdvance(datetime(2026, 12, 31, 23, 59).strftime(zoom.tick)) + 12
        every = max(1, -(-sample // BAR))
        painter.setPen(QPen(text, 1))
        for i in range(0, len(self._edges) - 1, every):
            x = i * BAR
            painter.setPen(QPen(muted, 1))
            painter.drawLine(x, bottom, x, bottom + 4)
            painter.setPen(QPen(text, 1))
            label = self._edges[i].astimezone().strftime(zoom.tick)
            painter.drawText(QRectF(x + 2, bottom + 2, sample, LABELS_HEIGHT - 2),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), label)
