"""Right-to-left text in visual order, cut into the pieces HarfBuzz shapes one by one.

python-bidi puts a line in visual order (``segments``: runs of a word with right-to-left
letters and no left-to-right ones, apart from the rest). Most of it is then drawn as it
stands. Only text that needs HarfBuzz — Arabic, which joins, and combining marks, which are
placed on their letter (``needs_shaping``) — is shaped, fragment by fragment
(``fonts._shape_each_fragment``). HarfBuzz lays out a buffer holding a right-to-left letter
entirely right to left, so such a right-to-left run is handed to it reversed
(``for_harfbuzz``): its reversal restores the order python-bidi chose, digits and
punctuation included ("م-10.20.4.17"). Hebrew without points and every left-to-right word
are never shaped, which keeps a long note fast.

The page header, chart labels and table cells use the same pieces (``runs``), so every
place that prints user text orders and shapes it as the body does.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from bidi.mirror import MIRRORED
from reportlab.pdfbase.pdfmetrics import stringWidth

from irdesk.report import mirroring
from irdesk.report.glyphs import CODE_PATTERN, face_runs, printable

_RTL_CHAR = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]")
_TOKEN = re.compile(r"\S+|\s+")
_UNMIRROR = str.maketrans(MIRRORED)
_MIRRORED_CHAR = re.compile("[" + "".join(re.escape(c) for c in MIRRORED) + "]")


def has_rtl(text: str) -> bool:
    return _RTL_CHAR.search(text) is not None


def starts_right_to_left(text: str) -> bool:
    """True when the first strongly directional character is Hebrew, Arabic or the like."""
    if not has_rtl(text):
        return False
    from bidi import get_base_level

    return bool(get_base_level(text))


_JOINING = "\u0600-\u08ff\ufb50-\ufdff\ufe70-\ufefc"  # Arabic, Syriac, Thaana, N'Ko and their forms


@cache
def _needs_harfbuzz() -> re.Pattern[str]:
    from irdesk.report.glyphs import combining_marks

    return re.compile(f"[{_JOINING}{combining_marks()}]")


def needs_shaping(text: str) -> bool:
    """Whether HarfBuzz must shape this text: letters that join, or combining marks."""
    return not text.isascii() and _needs_harfbuzz().search(text) is not None


@dataclass(frozen=True)
class Segment:
    """A piece of a line, in visual order; ``rtl``: right-to-left letters and no Latin ones."""

    text: str
    rtl: bool = False


def for_harfbuzz(run: str, rtl: bool) -> str:
    """A run of one face as it goes into the PDF: reversed when HarfBuzz will lay it out right
    to left (a right-to-left run that needs shaping), else as it stands.

    HarfBuzz mirrors brackets in a right-to-left run itself, so the ones ``mirroring``
    already mirrored are turned back first.
    """
    return run[::-1].translate(_UNMIRROR) if rtl and needs_shaping(run) else run


def segments(text: str, base_dir: str = "L") -> list[Segment]:
    """One line of ``printable`` text in visual order, as pieces to shape one by one.

    ``base_dir`` is the paragraph's direction: "R" for one that starts right to left.
    """
    if not has_rtl(text):
        return [Segment(text)] if text else []
    if _MIRRORED_CHAR.search(text):  # brackets: our own levels, which say which to mirror
        shown = mirroring.visual(text, 1 if base_dir == "R" else 0)
    else:  # python-bidi's order, thirty times faster
        from bidi import get_display

        shown = get_display(text, base_dir=base_dir)
    out: list[Segment] = []
    for token in _TOKEN.findall(shown):
        for piece in _token_pieces(token):
            if out and not out[-1].rtl and not piece.rtl:
                out[-1] = Segment(out[-1].text + piece.text)
            else:
                out.append(piece)
    return out


def _token_pieces(token: str) -> list[Segment]:
    if not has_rtl(token):
        return [Segment(token)]
    pieces: list[Segment] = []
    pos = 0
    for match in CODE_PATTERN.finditer(token):  # a code reads left to right, like Latin
        pieces += _by_direction(token[pos : match.start()])
        pieces.append(Segment(match.group(0)))
        pos = match.end()
    return pieces + _by_direction(token[pos:])


def _by_direction(text: str) -> list[Segment]:
    """Left-to-right letters apart from the rest; a rest holding a right-to-left letter is reversed."""
    if not text:
        return []
    if not has_rtl(text):
        return [Segment(text)]
    pieces: list[Segment] = []
    start = 0
    latin = unicodedata.bidirectional(text[0]) == "L"
    for i in range(1, len(text) + 1):
        now = i < len(text) and unicodedata.bidirectional(text[i]) == "L"
        if i == len(text) or now != latin:
            run = text[start:i]
            pieces.append(Segment(run, not latin and has_rtl(run)))
            start, latin = i, now
    return pieces


def visual(text: str, base_dir: str = "L") -> str:
    """Plain text in visual order, each piece as it goes to HarfBuzz (see module)."""
    return "".join(for_harfbuzz(s.text, s.rtl) for s in segments(text, base_dir))


@dataclass(frozen=True)
class Run:
    """One piece of a label as drawn: its face, its (possibly shaped) text and its width."""

    face: str
    text: str  # a reportlab ShapedStr when HarfBuzz shaped it
    width: float


def runs(text: str, face: str, size: float, base_dir: str | None = None) -> list[Run]:
    """A one-line label (header, chart, legend) in visual order, shaped, in the faces that draw it.

    ``base_dir`` defaults to the direction of the label's first strong character.
    """
    from reportlab.pdfbase.ttfonts import ShapedStr, shapeStr

    line = printable(text).replace("\n", " ")
    direction = base_dir or ("R" if starts_right_to_left(line) else "L")
    out: list[Run] = []
    for piece in segments(line, direction):
        for name, part in face_runs(piece.text, face):
            if needs_shaping(part):
                shaped = shapeStr(for_harfbuzz(part, piece.rtl), name, size, force=True)
                width = (
                    sum(d.x_advance for d in shaped.__shapeData__) * size / 1000
                    if isinstance(shaped, ShapedStr)
                    else stringWidth(part, name, size)
                )
                out.append(Run(name, shaped, width))
            else:
                out.append(Run(name, part, stringWidth(part, name, size)))
    return out


def width(text: str, face: str, size: float) -> float:
    return sum(r.width for r in runs(text, face, size))


def fit(text: str, face: str, size: float, room: float) -> str:
    """``text`` cut at its logical end, with an ellipsis, so that it fits ``room`` points.

    Cutting before reordering keeps the start of a Hebrew or Arabic label, which is its
    right-hand end once drawn.
    """
    line = " ".join(text[: int(room / (size * 0.15)) + 2].split())  # no face is narrower than that
    if len(line) == len(text) and width(line, face, size) <= room:
        return line
    low, high = 0, len(line)
    while low < high:  # the longest prefix that fits with its ellipsis
        middle = (low + high + 1) // 2
        if width(line[:middle].rstrip() + "…", face, size) <= room:
            low = middle
        else:
            high = middle - 1
    return line[:low].rstrip() + "…"

