"""Every character a user can type, printed: as a glyph of an embedded face, or as its code.

The report never prints an empty box and never hides a character. ``printable`` turns text
into what is drawn:

- control characters, direction controls (U+202A–202E, U+2066–2069, U+200E/F, U+061C) and
  the other invisible format characters print as a visible code, ``⟨U+202E⟩``, so they can
  never reorder or hide the signed text around them (only ZWJ and ZWNJ, which join and
  separate letters, are kept);
- a run of more than ``MARK_CAP`` combining marks keeps its first marks and prints the rest
  as codes, so a stack of accents cannot overprint the line above or below;
- a character no embedded face can draw (emoji, private use, unassigned) prints as its code.

``face_runs`` then splits printable text into runs, each in the first face that has every
glyph of it: the face asked for, its upright form, DejaVu Sans, then Droid Sans Fallback
(Chinese, Japanese, Korean).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import cache

from irdesk.report import fonts

CODE = "\u27e8U+{:04X}\u27e9"  # ⟨U+202E⟩
CODE_PATTERN = re.compile("\u27e8U\\+[0-9A-F]{4,6}\u27e9")
MARK_CAP = 3  # combining marks kept on one base character
_KEPT_FORMAT = {0x200C, 0x200D}  # ZWNJ, ZWJ: they change how letters join, and print nothing
_TAB = "    "


def code(char: str) -> str:
    return CODE.format(ord(char))


# Planes 4 to 13 hold no assigned character; planes 15 and 16 only private use (printed as
# codes because no face draws them). Scanning the rest takes a twentieth of a second.
_ASSIGNED = (range(0x40000), range(0xE0000, 0xE1000))


@cache
def _unicode_classes() -> tuple[dict[int, str], str]:
    """The code points shown as codes (a ``str.translate`` table), and the combining marks."""
    hidden: dict[int, str] = {}
    marks: list[int] = []
    for block in _ASSIGNED:
        for cp, kind in zip(block, map(unicodedata.category, map(chr, block)), strict=True):
            if kind in _HIDDEN_KINDS and cp not in (9, 10) and cp not in _KEPT_FORMAT:
                hidden[cp] = CODE.format(cp)
            elif kind in ("Mn", "Me"):
                marks.append(cp)
    return hidden, _char_class(marks)


_HIDDEN_KINDS = frozenset(("Cc", "Cf", "Zl", "Zp", "Cs"))


def _char_class(points: Iterable[int]) -> str:
    """A regular-expression character class body for a set of code points, as ranges."""
    ordered = sorted(set(points))
    parts: list[str] = []
    start = prev = -2
    for cp in [*ordered, -1]:
        if cp == prev + 1:
            prev = cp
            continue
        if start >= 0:
            parts.append(re.escape(chr(start)) if start == prev else f"{re.escape(chr(start))}-{re.escape(chr(prev))}")
        start = prev = cp
    return "".join(parts)


def combining_marks() -> str:
    """The combining marks (Mn, Me) as the body of a regular-expression character class."""
    return _unicode_classes()[1]


@cache
def _mark_runs() -> re.Pattern[str]:
    marks = _unicode_classes()[1]
    return re.compile(f"([{marks}]{{{MARK_CAP}}})([{marks}]+)")


@cache
def _unprintable() -> re.Pattern[str]:
    """Characters that neither DejaVu Sans nor the CJK fallback can draw (newline excepted).

    Only the Basic Multilingual Plane counts: reportlab writes a wrong text layer for
    characters above U+FFFF (😀 extracts as ὠ), so emoji and the rare supplementary
    ideographs print as their code.
    """
    drawable = {cp for cp in fonts.coverage(fonts.REGULAR) | fonts.coverage(fonts.CJK) if cp <= 0xFFFF} | {10}
    return re.compile(f"[^{_char_class(drawable)}]")


@cache
def _missing(face: str) -> re.Pattern[str]:
    """Runs of characters that ``face`` cannot draw, with the spaces between them."""
    drawn = _char_class({cp for cp in fonts.coverage(face) if cp <= 0xFFFF} | {10, 32})
    return re.compile(f"[^{drawn}](?: *[^{drawn}])*")


def _codes(match: re.Match[str]) -> str:
    return "".join(CODE.format(ord(c)) for c in match.group(0))


def _capped(match: re.Match[str]) -> str:
    return match.group(1) + "".join(CODE.format(ord(c)) for c in match.group(2))


def printable(text: str) -> str:
    """``text`` as the report prints it: newlines normalised, tabs as spaces, nothing hidden.

    Linear in the length of the text: translations and regular expressions only.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", _TAB)
    if text.isascii():
        return text.translate(_ascii_controls())
    hidden, _ = _unicode_classes()
    text = text.translate(hidden)
    text = _mark_runs().sub(_capped, text)
    return _unprintable().sub(_codes, text)


@cache
def _ascii_controls() -> dict[int, str]:
    return {cp: CODE.format(cp) for cp in (*range(0x20), 0x7F) if cp not in (9, 10)}


def _chain(face: str) -> tuple[str, ...]:
    """The faces tried in turn for ``face``: itself, its upright form, DejaVu Sans, the CJK face."""
    upright = fonts.BOLD if face in (fonts.BOLD, fonts.BOLD_ITALIC) else fonts.REGULAR
    return tuple(dict.fromkeys((face, upright, fonts.REGULAR, fonts.CJK)))


def face_runs(text: str, face: str) -> list[tuple[str, str]]:
    """``printable`` text cut into (face, text) runs, each drawable entirely by its face."""
    if text.isascii() and face != fonts.CJK:
        return [(face, text)] if text else []
    runs: list[tuple[str, str]] = []
    for name, piece in _split(text, _chain(face)):
        if runs and runs[-1][0] == name:
            runs[-1] = (name, runs[-1][1] + piece)
        else:
            runs.append((name, piece))
    return runs


def _split(text: str, chain: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    face, rest = chain[0], chain[1:]
    pos = 0
    for match in _missing(face).finditer(text):
        if match.start() > pos:
            yield face, text[pos : match.start()]
        if rest:
            yield from _split(match.group(0), rest)
        else:  # only reached for text that skipped ``printable``
            yield fonts.REGULAR, _unprintable().sub(_codes, match.group(0))
        pos = match.end()
    if pos < len(text):
        yield face, text[pos:]
