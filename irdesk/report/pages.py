"""Page chrome drawn on every page: TLP marking, DRAFT and INTERIM, case title, report id,
the short case fingerprint and "Page X of Y".

A printed page must be traceable to the signed file, so every page, the cover included,
carries the report id and the short form of the case fingerprint (the cover prints it in
full). The page count comes from the layout's previous pass (``document``).
"""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from irdesk.report import labels
from irdesk.report.fonts import BOLD, REGULAR
from irdesk.report.palette import MUTED, RULE
from irdesk.report.shaping import fit
from irdesk.report.styles import TLP_COLOURS

MARGIN_X = 20 * mm
MARGIN_TOP = 22 * mm
MARGIN_BOTTOM = 20 * mm


class PageChrome:
    """What the chrome prints; shared by every page of one report."""

    def __init__(
        self,
        *,
        tlp: Any,
        case_title: str,
        report_id: str,
        short_fingerprint: str,
        drill: bool,
        marks: tuple[str, ...] = (),
        fingerprint_of: str = "case",
    ) -> None:
        self.tlp = tlp
        self.case_title = case_title
        self.report_id = report_id
        self.short_fingerprint = short_fingerprint
        self.drill = drill
        self.marks = marks  # "DRAFT", "INTERIM": printed in the header of every page
        self.fingerprint_of = fingerprint_of  # "case", or "book" for a programme report
        self._title: tuple[float, str] | None = None  # the title cut to fit, worked out once

    def draw(self, canvas: Canvas, page: int, total: int | None) -> None:
        width, height = canvas._pagesize
        canvas.saveState()
        if self.drill:
            self._watermark(canvas, width, height)
        badge = self._tlp_badge(canvas, width - MARGIN_X, height - 12 * mm)
        self._tlp_badge(canvas, width - MARGIN_X, 9 * mm)
        right = width - MARGIN_X - badge - 3 * mm
        for mark in reversed(self.marks):
            right -= self._mark(canvas, right, height - 12 * mm, mark) + 2 * mm
        canvas.setFillColor(MUTED)
        room = right - MARGIN_X - 4 * mm
        if self._title is None or self._title[0] != room:
            title = ("DRILL · " if self.drill else "") + self.case_title
            self._title = (room, fit(title, REGULAR, 7.5, room))
        # The title is user text: ordered and shaped as the body prints it.
        labels.draw(canvas, MARGIN_X, height - 12 * mm, self._title[1], face=REGULAR, size=7.5)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_X, height - 14.5 * mm, width - MARGIN_X, height - 14.5 * mm)
        canvas.line(MARGIN_X, 14 * mm, width - MARGIN_X, 14 * mm)
        canvas.setFont(REGULAR, 7.5)
        canvas.drawString(
            MARGIN_X, 9 * mm,
            f"Report {self.report_id} · short {self.fingerprint_of} fingerprint {self.short_fingerprint}",
        )
        canvas.setFont(BOLD, 7.5)
        numbering = f"Page {page} of {total}" if total else f"Page {page}"
        canvas.drawCentredString(width / 2 + 10 * mm, 9 * mm, numbering)
        canvas.restoreState()

    @staticmethod
    def _mark(canvas: Canvas, right: float, baseline: float, text: str) -> float:
        """A boxed word (DRAFT, INTERIM) ending at ``right``; returns its width."""
        canvas.setFont(BOLD, 8)
        w = canvas.stringWidth(text, BOLD, 8) + 8
        canvas.setStrokeColor(colors.black)
        canvas.setLineWidth(0.9)
        canvas.setFillColor(colors.white)
        canvas.rect(right - w, baseline - 2.5, w, 11, stroke=1, fill=1)
        canvas.setFillColor(colors.black)
        canvas.drawString(right - w + 4, baseline, text)
        return w

    def _tlp_badge(self, canvas: Canvas, right: float, baseline: float) -> float:
        label = self.tlp.label
        canvas.setFont(BOLD, 8)
        w = canvas.stringWidth(label, BOLD, 8) + 8
        canvas.setFillColor(colors.black)
        canvas.rect(right - w, baseline - 2.5, w, 11, stroke=0, fill=1)
        canvas.setFillColor(TLP_COLOURS[self.tlp])
        canvas.drawString(right - w + 4, baseline, label)
        return w

    @staticmethod
    def _watermark(canvas: Canvas, width: float, height: float) -> None:
        """A large diagonal DRILL drawn as strokes, not text, so text extraction stays clean."""
        h, w, gap = 100.0, 58.0, 26.0
        canvas.saveState()
        canvas.setStrokeColor(colors.Color(0.75, 0.1, 0.1, alpha=0.10))
        canvas.setLineWidth(15)
        canvas.setLineCap(1)
        canvas.setLineJoin(1)
        canvas.translate(width / 2, height / 2)
        canvas.rotate(40)
        canvas.translate(-(3 * w + 2 * 8 + 4 * gap) / 2, -h / 2)
        p = canvas.beginPath()  # D
        p.moveTo(0, 0)
        p.lineTo(0, h)
        p.lineTo(w * 0.4, h)
        p.curveTo(w * 1.1, h, w * 1.1, 0, w * 0.4, 0)
        p.close()
        x = w + gap  # R
        p.moveTo(x, 0)
        p.lineTo(x, h)
        p.lineTo(x + w * 0.5, h)
        p.curveTo(x + w * 1.05, h, x + w * 1.05, h * 0.5, x + w * 0.5, h * 0.5)
        p.lineTo(x, h * 0.5)
        p.moveTo(x + w * 0.45, h * 0.5)
        p.lineTo(x + w * 0.9, 0)
        x += w + gap  # I
        p.moveTo(x, 0)
        p.lineTo(x, h)
        for _ in range(2):  # L L
            x += gap + 8
            p.moveTo(x, h)
            p.lineTo(x, 0)
            p.lineTo(x + w * 0.7, 0)
            x += w * 0.7
        canvas.drawPath(p, stroke=1, fill=0)
        canvas.restoreState()
