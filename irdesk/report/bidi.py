"""Right-to-left paragraphs whose lines come out in the right order.

A paragraph is put in visual order line by line, not as a whole: reordering a whole
Hebrew or Arabic paragraph and then wrapping it would print its last words on its first
line. So the text is first broken into lines in logical order (measured with the style's
font), then each line is reordered (``markup.visual``) and the lines are laid out as one
reportlab paragraph that no longer needs to wrap them. A paragraph whose first strong
character is right-to-left takes that as its base direction and is right-aligned.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph

from irdesk.report.markup import clean, inline_markup, inline_units, starts_right_to_left, text_markup

SLACK = 0.94  # bold spans and shaping make words a little wider than the regular face measures


def logical_lines(
    source: Sequence[str], width: float, measure: Callable[[str], float], *, markdown: bool = True
) -> list[str]:
    """Greedy line breaking of each source line in logical order, never splitting a Markdown span."""
    lines: list[str] = []
    space = measure(" ")
    for raw in source:
        current: list[str] = []
        used = 0.0
        for unit in inline_units(clean(raw)) if markdown else clean(raw).split():
            size = measure(unit)
            if current and used + space + size > width:
                lines.append(" ".join(current))
                current, used = [], 0.0
            used += (space if current else 0.0) + size
            current.append(unit)
        lines.append(" ".join(current))
    return lines


class BidiParagraph(Flowable):
    """A paragraph of right-to-left (or mixed) Markdown lines, broken before it is reordered."""

    def __init__(self, source: Sequence[str], style: ParagraphStyle, *, face: str = "",
                 lead: str = "", bullet: str | None = None, markdown: bool = True) -> None:
        super().__init__()
        self._source, self._face = tuple(source), face or style.fontName
        self._lead, self._bullet, self._markdown = lead, bullet, markdown
        # A paragraph that starts in Hebrew or Arabic reads from the right: right-aligned lines.
        self._base_dir = "R" if starts_right_to_left(" ".join(self._source)) else "L"
        right = ParagraphStyle(f"{style.name}-right", style, alignment=TA_RIGHT)
        self.style = right if self._base_dir == "R" else style
        self._inner: Paragraph | None = None
        self._width = -1.0

    def _paragraph(self, width: float) -> Paragraph:
        if self._inner is None or width != self._width:
            usable = (width - self.style.leftIndent - self.style.rightIndent) * SLACK
            font, size = self._face, self.style.fontSize

            def measure(text: str) -> float:
                return stringWidth(text, font, size)

            render = inline_markup if self._markdown else text_markup
            broken = logical_lines(self._source, usable, measure, markdown=self._markdown)
            lines = [render(line, self._face, self._base_dir) for line in broken]
            markup = "<br/>".join(lines)
            if self._lead:
                markup = f"{self._lead}<br/>{markup}"
            self._inner, self._width = Paragraph(markup, self.style, bulletText=self._bullet), width
        return self._inner

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab's names
        return self._paragraph(availWidth).wrap(availWidth, availHeight)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        return self._paragraph(availWidth).split(availWidth, availHeight)

    def draw(self) -> None:
        assert self._inner is not None, "wrap() comes before draw()"
        self._inner.drawOn(self.canv, 0, 0)

    def getSpaceBefore(self) -> float:  # noqa: N802 - reportlab's name
        return float(self.style.spaceBefore)

    def getSpaceAfter(self) -> float:  # noqa: N802
        return float(self.style.spaceAfter)
