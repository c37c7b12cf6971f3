"""One-line user text outside paragraphs: chart labels and the running page header.

They are drawn from ``shaping.runs``, the pieces the body's paragraphs are made of, so a
Hebrew or Arabic label is ordered, joined and shaped exactly as the same words in a note.
"""

from __future__ import annotations

from reportlab.graphics.shapes import Group, String
from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas

from irdesk.report.shaping import Run, fit, runs


def _start(x: float, total: float, anchor: str) -> float:
    if anchor == "end":
        return x - total
    if anchor == "middle":
        return x - total / 2
    return x


def label(
    x: float,
    y: float,
    text: str,
    *,
    face: str,
    size: float,
    colour: Color,
    anchor: str = "start",
    room: float | None = None,
) -> Group:
    """A chart label at (x, y), cut to ``room`` points at its logical end if given."""
    if room is not None:
        text = fit(text, face, size, room)
    pieces = runs(text, face, size)
    group = Group()
    left = _start(x, sum(p.width for p in pieces), anchor)
    for piece in pieces:
        group.add(String(left, y, piece.text, fontName=piece.face, fontSize=size, fillColor=colour))
        left += piece.width
    return group


def draw(canvas: Canvas, x: float, y: float, text: str, *, face: str, size: float,
         anchor: str = "start", room: float | None = None) -> float:
    """Draw one line of user text on a page; returns its width."""
    if room is not None:
        text = fit(text, face, size, room)
    pieces: list[Run] = runs(text, face, size)
    total = sum(p.width for p in pieces)
    left = _start(x, total, anchor)
    for piece in pieces:
        canvas.setFont(piece.face, size)
        canvas.drawString(left, y, piece.text)
        left += piece.width
    return total
