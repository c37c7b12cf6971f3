"""Paragraphs that irdesk breaks into lines itself: right-to-left text, and long text.

Two problems share one answer.

- A right-to-left paragraph must be put in visual order line by line, not as a whole:
  reordering a whole Hebrew paragraph and then wrapping it prints its last words on its
  first line. So the text is broken into lines in logical order first, then each line is
  reordered (``shaping.segments``).
- reportlab re-breaks the rest of a paragraph every time it splits one across a page, so
  one long note costs time in the square of its length (a 1 MB note took a quarter of an
  hour). Broken into lines once, and laid out in chunks of ``CHUNK_LINES`` lines, it costs
  time in proportion to its length.

``LineBlock`` does both: it measures the words in the faces they print in, breaks them
greedily (cutting a word longer than a line, as CJK text needs), and hands reportlab
chunks of lines that already fit. A paragraph that starts right to left is right-aligned,
and its bullet or number stands on the right.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph

from irdesk.report.glyphs import face_runs, printable
from irdesk.report.markup import escape, inline_markup, inline_units, span_face, text_markup
from irdesk.report.shaping import starts_right_to_left

SLACK = 0.97  # shaping and kerning make a line a little wider than its words measure
CHUNK_LINES = 40  # lines per reportlab paragraph: about a page's worth
LONG = 2_000  # characters from which a left-to-right paragraph is broken here too
# reportlab cuts a word longer than a line in time that grows with the square of its length
_LONG_WORD = re.compile(r"\S{60}")


def breaks_here(lines: Sequence[str]) -> bool:
    """Whether these lines are broken by ``LineBlock`` rather than by reportlab: long text,
    or a word long enough that reportlab would be slow to cut it."""
    return sum(len(line) for line in lines) > LONG or any(_LONG_WORD.search(line) for line in lines)


def measure(text: str, face: str, size: float) -> float:
    """The printed width of printable text set in ``face`` (fallback faces included)."""
    if text.isascii():
        return stringWidth(text, face, size)
    return sum(stringWidth(run, name, size) for name, run in face_runs(text, face))


def unit_width(unit: str, face: str, size: float) -> float:
    marker, inner, span = span_face(unit, face)
    return measure(inner, span, size)


def _cut_unit(unit: str, room: float, face: str, size: float) -> list[str]:
    """A word or span wider than a line, cut into pieces that fit (a span stays a span)."""
    marker, inner, span = span_face(unit, face)
    words = [w for w in inner.split(" ") if w] if marker and " " in inner else [inner]
    pieces: list[str] = []
    for word in words:
        rest = word
        while rest:
            sample = rest[:256]  # the width per character of what comes next, not of it all
            per_char = max(measure(sample, span, size) / len(sample), 0.1)
            take = max(1, min(len(rest), int(room / per_char)))
            while take > 1 and measure(rest[:take], span, size) > room:
                take = max(1, int(take * 0.92))
            while take < len(rest) and measure(rest[: take + 1], span, size) <= room:
                take += 1
            pieces.append(rest[:take])
            rest = rest[take:]
    return [f"{marker}{p}{marker}" for p in pieces] if marker else pieces


def logical_lines(
    source: Sequence[str], width: float, face: str, size: float, *, markdown: bool = True
) -> list[str]:
    """Greedy line breaking of each source line in logical order, never splitting a span.

    Linear in the length of the text; a unit wider than ``width`` is cut into pieces.
    """
    lines: list[str] = []
    space = stringWidth(" ", face, size)
    for raw in source:
        current: list[str] = []
        used = 0.0
        for unit in inline_units(raw) if markdown else raw.split():
            size_of = unit_width(unit, face, size) if markdown else measure(unit, face, size)
            pieces = [unit] if size_of <= width else _cut_unit(unit, width, face, size)
            for piece in pieces:
                if piece is not unit:
                    size_of = unit_width(piece, face, size)
                if current and used + space + size_of > width:
                    lines.append(" ".join(current))
                    current, used = [], 0.0
                used += (space if current else 0.0) + size_of
                current.append(piece)
        lines.append(" ".join(current))
    return lines


@cache
def _variant(style: ParagraphStyle, first: bool, last: bool, right: bool, bulleted: bool) -> ParagraphStyle:
    """``style`` for one chunk: space before only on the first, after only on the last.

    A right-to-left list item is the mirror image of a left-to-right one: its text keeps
    clear of the bullet on the right.
    """
    changes: dict[str, object] = {}
    if not first:
        changes.update(spaceBefore=0, firstLineIndent=0)
    if not last:
        changes["spaceAfter"] = 0
    if right:
        changes["alignment"] = TA_RIGHT
        if bulleted:
            changes.update(rightIndent=style.leftIndent + style.rightIndent, leftIndent=style.rightIndent)
    if not changes:
        return style
    name = f"{style.name}-{int(first)}{int(last)}{int(right)}{int(bulleted)}"
    return ParagraphStyle(name, style, **changes)


class RightBullet(Paragraph):
    """A paragraph whose bullet (or number) is drawn on the right, for right-to-left lists."""

    right_bullet: str = ""

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803 - reportlab's names
        parts = super().split(availWidth, availHeight)
        for index, part in enumerate(parts):
            if isinstance(part, RightBullet):
                part.right_bullet = self.right_bullet if index == 0 else ""
        return parts

    def draw(self) -> None:
        super().draw()
        if not self.right_bullet:
            return
        style = self.style
        x = self.width - style.bulletIndent - stringWidth(self.right_bullet, style.fontName, style.fontSize)
        y = self.height - style.fontSize  # the first line's baseline, where reportlab puts it
        canvas = self.canv
        canvas.saveState()
        canvas.setFont(style.fontName, style.fontSize)
        canvas.setFillColor(style.textColor)
        canvas.drawString(x, y, self.right_bullet)
        canvas.restoreState()


class Column(Flowable):
    """Paragraphs stacked without gaps, placed and split as one flowable.

    Splitting at a page end keeps the paragraphs that fit, splits the one that does not,
    and hands the rest on as a new column: each paragraph is broken into lines once per
    width (``_heights``), so a column of a thousand chunks costs nothing extra per page.
    """

    style: ParagraphStyle

    def __init__(self, items: list[Flowable] | None = None, style: ParagraphStyle | None = None) -> None:
        super().__init__()
        self._items = items
        if style is not None:
            self.style = style
        self._measured: tuple[float, list[float]] = (-1.0, [])

    def items(self, width: float) -> list[Flowable]:
        assert self._items is not None
        return self._items

    def _heights(self, width: float) -> list[float]:
        if self._measured[0] != width:
            items = self.items(width)
            self._measured = (width, [item.wrap(width, 1e9)[1] for item in items])
        return self._measured[1]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab's names
        self._width = availWidth
        self._height = sum(self._heights(availWidth))
        return availWidth, self._height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        items, heights = self.items(availWidth), self._heights(availWidth)
        used = 0.0
        for index, (item, height) in enumerate(zip(items, heights, strict=True)):
            if used + height <= availHeight + 1e-6:
                used += height
                continue
            if not _wrapped_at(item, availWidth):
                item.wrap(availWidth, availHeight - used)
            parts = item.split(availWidth, availHeight - used)
            split = [(p, _height(p, availWidth)) for p in parts]
            head = [*zip(items[:index], heights[:index], strict=True), *split[:1]]
            rest = zip(items[index + 1 :], heights[index + 1 :], strict=True)
            tail = [*split[1:], *rest] if parts else list(zip(items[index:], heights[index:], strict=True))
            if not head:
                return []
            parts_out = [self._part(head, availWidth)]
            return [*parts_out, self._part(tail, availWidth)] if tail else parts_out
        return [self]

    def _part(self, measured: list[tuple[Flowable, float]], width: float) -> Column:
        """A column of some of these items, their heights already known (no item is wrapped again)."""
        part = Column([item for item, _ in measured], self.style)
        part._measured = (width, [height for _, height in measured])
        return part

    def draw(self) -> None:
        y = self._height
        items, heights = self.items(self._width), self._heights(self._width)
        for item, height in zip(items, heights, strict=True):
            y -= height
            if not _wrapped_at(item, self._width):
                item.wrap(self._width, height)
            item.drawOn(self.canv, 0, y)

    def getSpaceBefore(self) -> float:  # noqa: N802 - reportlab's name
        return float(self.style.spaceBefore)

    def getSpaceAfter(self) -> float:  # noqa: N802
        return float(self.style.spaceAfter)


def _wrapped_at(item: Flowable, width: float) -> bool:
    """A paragraph already broken into lines for this width (reportlab keeps them in blPara)."""
    return getattr(item, "blPara", None) is not None and getattr(item, "width", None) == width


def _height(item: Flowable, width: float) -> float:
    """A split part's height: the first part comes measured from reportlab's split."""
    if _wrapped_at(item, width) and getattr(item, "height", None) is not None:
        return float(item.height)
    return float(item.wrap(width, 1e9)[1])


class LineBlock(Column):
    """A paragraph broken into lines here, then laid out as chunks of lines that already fit."""

    def __init__(
        self,
        source: Sequence[str],
        style: ParagraphStyle,
        *,
        face: str = "",
        lead: str = "",
        bullet: str | None = None,
        markdown: bool = True,
    ) -> None:
        super().__init__(style=style)
        # Measured as printed: a character shown as its code (⟨U+202E⟩) is nine glyphs wide, and
        # a line measured without them would be wrapped again by reportlab, after reordering.
        self._source = tuple(printable(line) for line in source)
        self._face = face or style.fontName
        self._lead, self._bullet, self._markdown = lead, bullet, markdown
        # A paragraph that starts in Hebrew or Arabic reads from the right: right-aligned lines.
        self._base_dir = "R" if starts_right_to_left(" ".join(self._source[:3])) else "L"
        self._cache: tuple[float, list[Paragraph]] = (-1.0, [])

    @property
    def right_to_left(self) -> bool:
        return self._base_dir == "R"

    def items(self, width: float) -> list[Flowable]:
        if self._cache[0] != width:
            self._cache = (width, self._make(width))
        return list(self._cache[1])

    def _make(self, width: float) -> list[Paragraph]:
        style = self.style
        right = self.right_to_left
        bulleted = bool(right and self._bullet)
        later = _variant(style, False, True, right, bulleted)
        usable = width - later.leftIndent - later.rightIndent
        broken = logical_lines(self._source, usable * SLACK, self._face, style.fontSize, markdown=self._markdown)
        render: Callable[[str, str, str], str] = inline_markup if self._markdown else text_markup
        lines = [render(line, self._face, self._base_dir) for line in broken]
        if self._lead:
            lines.insert(0, self._lead)
        count = max(1, (len(lines) + CHUNK_LINES - 1) // CHUNK_LINES)
        out: list[Paragraph] = []
        for index in range(count):
            first, last = index == 0, index == count - 1
            chosen = _variant(style, first, last, right, bulleted)
            markup = "<br/>".join(lines[index * CHUNK_LINES : (index + 1) * CHUNK_LINES])
            chunk: Paragraph
            if first and right and self._bullet:
                chunk = right_bulleted = RightBullet(markup, chosen)
                right_bulleted.right_bullet = self._bullet
            else:
                bullet = escape(self._bullet) if (first and self._bullet) else None
                chunk = Paragraph(markup, chosen, bulletText=bullet)
            out.append(chunk)
        return out


class CodeBlock(Column):
    """A fenced code block as chunks of lines, so a 1 MB block lays out in linear time.

    A line longer than the block is wide is cut where the monospaced face reaches the
    edge (reportlab's own cutting of a long word costs time in the square of its length).
    """

    def __init__(self, lines: Sequence[str], style: ParagraphStyle) -> None:
        super().__init__(style=style)
        # indentation survives as no-break spaces; lines are cut as printed (codes included)
        self._lines = [printable(line).replace("  ", "\u00a0 ") for line in lines]
        self._cache: tuple[float, list[Paragraph]] = (-1.0, [])

    def items(self, width: float) -> list[Flowable]:
        if self._cache[0] != width:
            self._cache = (width, self._make(width))
        return list(self._cache[1])

    def _make(self, width: float) -> list[Paragraph]:
        face, size = self.style.fontName, self.style.fontSize
        room = (width - self.style.leftIndent - self.style.rightIndent) * SLACK
        per_line = max(8, int(room / stringWidth("M", face, size)))
        rows: list[str] = []
        for line in self._lines:
            if len(line) <= per_line or not line.isascii():
                pieces = [line] if len(line) <= per_line else _cut_unit(line, room, face, size)
            else:
                pieces = [line[i : i + per_line] for i in range(0, len(line), per_line)]
            rows += [text_markup(piece, face) for piece in pieces]
        return [
            Paragraph(
                "<br/>".join(rows[i : i + CHUNK_LINES]) or "\u00a0",
                _variant(self.style, i == 0, i + CHUNK_LINES >= len(rows), False, False),
            )
            for i in range(0, max(len(rows), 1), CHUNK_LINES)
        ]
