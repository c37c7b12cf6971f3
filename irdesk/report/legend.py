"""Chart legends that stay inside the chart: entries flow left to right and wrap to a new row.

Each entry is a symbol drawn exactly as the chart draws it (a hatched bar, a triangle, a
numbered marker) and words that name what it shows, so a greyscale printout needs no colour
to be read. A row that would pass the chart's width starts a new row; the chart asks for the
rows' height before it draws (``Legend.height``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reportlab.graphics.shapes import Drawing, Group

from irdesk.report.fonts import REGULAR
from irdesk.report.labels import label
from irdesk.report.palette import MUTED
from irdesk.report.shaping import width as text_width

SIZE = 6.5  # points, the legend's type size
ROW = 10.0  # points per row
FOOT = 4.0  # clear space under the last row, so what follows the chart never touches it
_SEP = 12.0  # between entries
_GAP = 4.0  # between a symbol and its words

Symbol = Callable[[float, float], Group]  # draws a symbol whose lower left corner is (x, y)


@dataclass(frozen=True)
class Entry:
    text: str
    symbol: Symbol | None = None
    symbol_width: float = 0.0

    def width(self) -> float:
        lead = self.symbol_width + _GAP if self.symbol is not None else 0.0
        return lead + text_width(self.text, REGULAR, SIZE)


class Legend:
    """Entries laid out in rows no wider than ``width``."""

    def __init__(self, entries: list[Entry], width: float) -> None:
        self.width = width
        self.rows: list[list[Entry]] = []
        used = 0.0
        for entry in entries:
            w = entry.width()
            if self.rows and used + _SEP + w <= width:
                self.rows[-1].append(entry)
                used += _SEP + w
            else:
                self.rows.append([entry])
                used = w

    @property
    def height(self) -> float:
        return ROW * len(self.rows) + FOOT

    def draw(self, d: Drawing, bottom: float = 0.0) -> None:
        """Draw the rows, the first at the top, the last ``bottom`` points above the foot."""
        for index, row in enumerate(self.rows):
            y = bottom + FOOT + ROW * (len(self.rows) - 1 - index) + 2.0
            x = 0.0
            for entry in row:
                if entry.symbol is not None:
                    d.add(entry.symbol(x, y))
                    x += entry.symbol_width + _GAP
                # only an entry alone in its row can be wider than the chart: cut at its end
                d.add(label(x, y + 1, entry.text, face=REGULAR, size=SIZE, colour=MUTED, room=self.width - x))
                x += text_width(entry.text, REGULAR, SIZE) + _SEP
