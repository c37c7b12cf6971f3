"""How an entry is marked: a shape per kind, so a gap reads without colour (print, colour
blindness), and a colour that reads on light and dark backgrounds."""

from __future__ import annotations

from functools import cache
from math import cos, pi, sin

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap, QPolygonF

from irdesk.casefile.timeline import EntryKind

SIZE = 16
GAP_COLOUR = "#d35400"  # the editor's gap buttons use it too
COLOURS = {
    EntryKind.NOTE: "#3d7cc9",
    EntryKind.KEY_TIME: "#8e44ad",
    EntryKind.ENGAGEMENT: "#16a085",
    EntryKind.EVIDENCE: "#b7950b",
    EntryKind.CUSTODY: "#7f8c8d",
    EntryKind.INDICATOR: "#c0392b",
}
GLYPHS = {  # the same shapes as text, for the accessible name and the legend
    EntryKind.NOTE: "●", EntryKind.KEY_TIME: "◆", EntryKind.ENGAGEMENT: "■",
    EntryKind.EVIDENCE: "▼", EntryKind.CUSTODY: "⬢", EntryKind.INDICATOR: "✚",
}
GAP_GLYPH = "▲"


def _shape(kind: EntryKind | None, box: QRectF) -> QPainterPath:
    path = QPainterPath()
    c = box.center()
    r = box.width() / 2
    if kind is None:  # a gap: a warning triangle
        path.addPolygon(QPolygonF([QPointF(c.x(), box.top()), QPointF(box.right(), box.bottom()),
                                   QPointF(box.left(), box.bottom())]))
        path.closeSubpath()
    elif kind is EntryKind.NOTE:
        path.addEllipse(box.adjusted(1, 1, -1, -1))
    elif kind is EntryKind.KEY_TIME:
        path.addPolygon(QPolygonF([QPointF(c.x(), box.top()), QPointF(box.right(), c.y()),
                                   QPointF(c.x(), box.bottom()), QPointF(box.left(), c.y())]))
        path.closeSubpath()
    elif kind is EntryKind.ENGAGEMENT:
        path.addRect(box.adjusted(2, 2, -2, -2))
    elif kind is EntryKind.EVIDENCE:
        path.addPolygon(QPolygonF([QPointF(box.left(), box.top() + 1), QPointF(box.right(), box.top() + 1),
                                   QPointF(c.x(), box.bottom())]))
        path.closeSubpath()
    elif kind is EntryKind.CUSTODY:
        points = []
        for i in range(6):
            angle = pi / 3 * i + pi / 6
            points.append(QPointF(c.x() + r * 0.95 * cos(angle), c.y() + r * 0.95 * sin(angle)))
        path.addPolygon(QPolygonF(points))
        path.closeSubpath()
    else:  # an indicator: a cross
        w = r * 0.55
        path.addRect(QRectF(c.x() - w / 2, box.top() + 1, w, box.height() - 2))
        path.addRect(QRectF(box.left() + 1, c.y() - w / 2, box.width() - 2, w))
        path.setFillRule(Qt.FillRule.WindingFill)
    return path


def paint_mark(painter: QPainter, box: QRectF, kind: EntryKind, *, gap: bool) -> None:
    """The mark of one entry in ``box``: its kind's shape, or the gap triangle."""
    colour = QColor(GAP_COLOUR if gap else COLOURS[kind])
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(colour.darker(130), 1))
    painter.setBrush(QBrush(colour))
    painter.drawPath(_shape(None if gap else kind, box))
    if gap:  # the "!" in the triangle
        painter.setPen(QPen(QColor("white"), max(1.5, box.width() / 9)))
        c = box.center()
        top, height = box.top(), box.height()
        painter.drawLine(QPointF(c.x(), top + height * 0.38), QPointF(c.x(), top + height * 0.7))
        painter.drawPoint(QPointF(c.x(), box.top() + box.height() * 0.84))
    painter.restore()


@cache
def mark_pixmap(kind: EntryKind, gap: bool, size: int = SIZE) -> QPixmap:
    """The mark drawn once at twice the size (sharp at 200 %), then reused: a strip of 100
    bars with gaps paints 100 pixmaps, not 100 antialiased paths."""
    pixmap = QPixmap(size * 2, size * 2)
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    paint_mark(painter, QRectF(1, 1, size - 2, size - 2), kind, gap=gap)
    painter.end()
    return pixmap


@cache
def mark_icon(kind: EntryKind, gap: bool) -> QIcon:
    return QIcon(mark_pixmap(kind, gap))
