"""Page chrome drawn on every page: TLP marking, case title, report id, fingerprint, "Page X of Y".

A printed page must be traceable to the signed file, so every page, the cover included,
carries the report id and a short case fingerprint. The total page count is only known
at the end, so the canvas keeps each page's state and draws the chrome when it saves.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from irdesk.report.charts import MUTED, RULE
from irdesk.report.fonts import BOLD, REGULAR
from irdesk.report.styles import TLP_COLOURS

MARGIN_X = 20 * mm
MARGIN_TOP = 22 * mm
MARGIN_BOTTOM = 20 * mm


class PageChrome:
    """What the chrome prints; shared by every page of one report."""

    def __init__(
        self, *, tlp: Any, case_title: str, report_id: str, short_fingerprint: str, drill: bool
    ) -> None:
        self.tlp = tlp
        self.case_title = case_title
        self.report_id = report_id
        self.short_fingerprint = short_fingerprint
        self.drill = drill

    def draw(self, canvas: Canvas, page: int, total: int) -> None:
        width, height = canvas._pagesize
        canvas.saveState()
        if self.drill:
            self._watermark(canvas, width, height)
        self._tlp_badge(canvas, width - MARGIN_X, height - 12 * mm)
        self._tlp_badge(canvas, width - MARGIN_X, 9 * mm)
        canvas.setFont(REGULAR, 7.5)
        canvas.setFillColor(MUTED)
        title = self.case_title if len(self.case_title) <= 90 else self.case_title[:89] + "…"
        if self.drill:
            title = "DRILL · " + title
        canvas.drawString(MARGIN_X, height - 12 * mm, title)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_X, height - 14.5 * mm, width - MARGIN_X, height - 14.5 * mm)
        canvas.line(MARGIN_X, 14 * mm, width - MARGIN_X, 14 * mm)
        canvas.drawString(
            MARGIN_X, 9 * mm, f"Report {self.report_id} · case fingerprint {self.short_fingerprint}"
        )
        canvas.setFont(BOLD, 7.5)
        canvas.drawCentredString(width / 2 + 10 * mm, 9 * mm, f"Page {page} of {total}")
        canvas.restoreState()

    def _tlp_badge(self, canvas: Canvas, right: float, baseline: float) -> None:
        label = self.tlp.label
        canvas.setFont(BOLD, 8)
        w = canvas.stringWidth(label, BOLD, 8) + 8
        canvas.setFillColor(colors.black)
        canvas.rect(right - w, baseline - 2.5, w, 11, stroke=0, fill=1)
        canvas.setFillColor(TLP_COLOURS[self.tlp])
        canvas.drawString(right - w + 4, baseline, label)

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


def canvas_maker(chrome: PageChrome) -> type[Canvas]:
    """A Canvas class that defers each page until the page count is known."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                chrome.draw(self, number, total)
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas
