"""User text to reportlab paragraph markup that can never be markup itself.

Everything the user typed is escaped; the only tags in the result are the ones this module
writes (font faces for bold, italics, code and fallback scripts). So ``<b>``, ``<font>``,
``<a href=…>``, ``<img src=…>`` and unbalanced tags print literally and can never add a
link, an image or an action to the PDF. What is drawn of each character is decided by
``glyphs.printable`` (visible codes for controls and missing glyphs), and right-to-left
text is ordered and cut for shaping by ``shaping.segments``.
"""

from __future__ import annotations

import re

from irdesk.report.fonts import BOLD, BOLD_ITALIC, ITALIC, MONO, REGULAR
from irdesk.report.glyphs import face_runs, printable
from irdesk.report.shaping import for_harfbuzz, needs_shaping, segments

_INLINE = re.compile(
    r"(`[^`\n]+`|\*\*[^*\n]+\*\*|__[^_\n]+__|\*[^*\s][^*\n]*\*|(?<!\w)_[^_\s][^_\n]*_(?!\w))"
)


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def text_markup(text: str, face: str = REGULAR, base_dir: str = "L") -> str:
    """One line of plain text: printable, in visual order, escaped, each run in a face that has it.

    ``face`` is the face the text is set in (the paragraph's own face needs no tag).
    A run that HarfBuzz shapes gets its own tag: reportlab shapes each fragment on its own
    (``fonts._shape_each_fragment``).
    """
    parts: list[str] = []
    for piece in segments(printable(text), base_dir):
        for name, run in face_runs(piece.text, face):
            shaped = needs_shaping(run)
            body = escape(for_harfbuzz(run, piece.rtl))
            parts.append(body if name == face and not shaped else f'<font face="{name}">{body}</font>')
    return "".join(parts)


def span_face(token: str, base: str = REGULAR) -> tuple[str, str, str]:
    """(marker, inner text, face) of one inline Markdown span; ('', token, base) for plain text."""
    if token.startswith("`") and token.endswith("`") and len(token) > 1:
        return "`", token[1:-1], MONO
    if token.startswith(("**", "__")) and len(token) > 4:
        return token[:2], token[2:-2], BOLD_ITALIC if base == ITALIC else BOLD
    if token[:1] in "*_" and len(token) > 2 and token[-1] == token[0]:
        return token[0], token[1:-1], BOLD_ITALIC if base == BOLD else ITALIC
    return "", token, base


def inline_units(line: str) -> list[str]:
    """A line cut where it may wrap: at spaces, but never inside a bold, italic or code span."""
    units: list[str] = []
    pos = 0
    for match in _INLINE.finditer(line):
        units += line[pos : match.start()].split()
        units.append(match.group(0))
        pos = match.end()
    units += line[pos:].split()
    return units


def inline_markup(line: str, base: str = REGULAR, base_dir: str = "L") -> str:
    """Bold, italics and code spans of one line of Markdown; everything else is literal text.

    In a right-to-left line (``base_dir`` "R") the runs follow each other from the right,
    so they are laid out in reverse order.
    """
    parts: list[str] = []
    pos = 0
    for match in _INLINE.finditer(line):
        if match.start() > pos:
            parts.append(text_markup(line[pos : match.start()], base, base_dir))
        _, inner, face = span_face(match.group(0), base)
        parts.append(_in_face(text_markup(inner, face, base_dir), face, base))
        pos = match.end()
    if pos < len(line):
        parts.append(text_markup(line[pos:], base, base_dir))
    return "".join(reversed(parts) if base_dir == "R" else parts)


def _in_face(markup: str, face: str, base: str) -> str:
    """``markup`` written for ``face`` inside a paragraph set in ``base``."""
    if face == base or not markup:
        return markup
    return f'<font face="{face}">{markup}</font>'
