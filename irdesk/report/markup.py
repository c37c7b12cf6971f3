"""Note text (Markdown as typed) to reportlab paragraph markup that can never be markup itself.

Everything the user typed is escaped first; the only tags in the result are the ones this
module writes (font faces for bold, italics and code, and line breaks). So ``<b>``,
``<font>``, ``<a href=…>``, ``<img src=…>`` and unbalanced tags print literally and can
never add a link, an image or an action to the PDF. Control characters print as a
visible code (‹U+001B›). Right-to-left runs are put in visual order with
python-bidi and shaped (Arabic joining) by reportlab with uharfbuzz.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from irdesk.report.fonts import BOLD, BOLD_ITALIC, ITALIC, MONO, REGULAR, face_for

# Control characters print as a visible code, e.g. ‹U+001B›: the fonts have no control pictures.
_CONTROLS = {
    c: f"\u2039U+{c:04X}\u203a"
    for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))
    if c not in (9, 10)
}
_RTL_CHAR = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_TOKEN = re.compile(r"\S+")
_INLINE = re.compile(
    r"(`[^`\n]+`|\*\*[^*\n]+\*\*|__[^_\n]+__|\*[^*\s][^*\n]*\*|(?<!\w)_[^_\s][^_\n]*_(?!\w))"
)
_BULLET = re.compile(r"^\s{0,6}[-*+•]\s+(.*)$")
_NUMBERED = re.compile(r"^\s{0,6}(\d{1,4})[.)]\s+(.*)$")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*)$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")


def clean(text: str) -> str:
    """Text as printed: newlines normalised, tabs as spaces, control characters made visible."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    return text.translate(_CONTROLS)


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def has_rtl(text: str) -> bool:
    return _RTL_CHAR.search(text) is not None


def visual(text: str, base_dir: str = "L") -> str:
    """Right-to-left runs in visual word order, each word left in logical order for shaping.

    python-bidi reorders the whole run; reportlab then shapes each word with HarfBuzz,
    which lays a word with Arabic or Hebrew in it out right to left itself, so the
    characters of each such word are reversed again here. ``base_dir`` is the paragraph's
    direction: "R" for a paragraph that starts in a right-to-left script.
    """
    if not has_rtl(text):
        return text
    from bidi import get_display

    return _TOKEN.sub(_for_shaping, get_display(text, base_dir=base_dir))


def _for_shaping(match: re.Match[str]) -> str:
    # HarfBuzz lays out a word holding any right-to-left letter entirely right to left, so
    # such a word is given to it reversed: its digits and Latin letters ("מ-10.20.4.17")
    # come out in the order python-bidi chose, not mirrored.
    word = match.group(0)
    return word[::-1] if has_rtl(word) else word


def starts_right_to_left(text: str) -> bool:
    """True when the first strongly directional character is Hebrew, Arabic or the like."""
    if not has_rtl(text):
        return False
    from bidi import get_base_level

    return bool(get_base_level(text))


def display_order(text: str) -> str:
    """Plain text in visual order for chart labels, which are drawn without shaping."""
    text = clean(text).replace("\n", " ")
    if not has_rtl(text):
        return text
    from bidi import get_display

    return get_display(text, base_dir="L")


def text_markup(text: str, face: str = REGULAR, base_dir: str = "L") -> str:
    """One run of plain text, cleaned, in visual order, escaped, in ``face`` (or its fallback)."""
    text = visual(clean(text), base_dir)
    used = face_for(face, text)
    body = escape(text)
    return body if used == REGULAR else f'<font face="{used}">{body}</font>'


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
        token = match.group(0)
        if token.startswith("`"):
            parts.append(text_markup(token[1:-1], MONO, base_dir))
        elif token.startswith(("**", "__")):
            parts.append(text_markup(token[2:-2], BOLD_ITALIC if base == ITALIC else BOLD, base_dir))
        else:
            parts.append(text_markup(token[1:-1], BOLD_ITALIC if base == BOLD else ITALIC, base_dir))
        pos = match.end()
    if pos < len(line):
        parts.append(text_markup(line[pos:], base, base_dir))
    return "".join(reversed(parts) if base_dir == "R" else parts)


@dataclass(frozen=True)
class Block:
    """One paragraph-level piece of a note: ``kind`` is para, bullet, heading or code."""

    kind: str
    markup: str
    marker: str = ""
    rtl: bool = False
    source: tuple[str, ...] = ()  # the Markdown lines, for right-to-left text (see bidi.py)
    face: str = REGULAR


def blocks(text: str) -> list[Block]:
    """Split Markdown into paragraphs, list items, headings and code blocks, as markup."""
    out: list[Block] = []
    para: list[str] = []
    code: list[str] | None = None

    def flush() -> None:
        if para:
            joined = "\n".join(para)
            out.append(
                Block("para", "<br/>".join(inline_markup(p) for p in para), rtl=has_rtl(joined),
                      source=tuple(para))
            )
            para.clear()

    for line in clean(text).split("\n"):
        if code is not None:
            if _FENCE.match(line):
                out.append(_code_block(code))
                code = None
            else:
                code.append(line)
            continue
        if _FENCE.match(line):
            flush()
            code = []
        elif not line.strip():
            flush()
        elif m := _BULLET.match(line):
            flush()
            out.append(Block("bullet", inline_markup(m.group(1)), "•", has_rtl(line), (m.group(1),)))
        elif m := _NUMBERED.match(line):
            flush()
            out.append(
                Block("bullet", inline_markup(m.group(2)), m.group(1) + ".", has_rtl(line), (m.group(2),))
            )
        elif m := _HEADING.match(line):
            flush()
            out.append(
                Block("heading", inline_markup(m.group(1), BOLD), rtl=has_rtl(line), source=(m.group(1),),
                      face=BOLD)
            )
        else:
            para.append(line)
    flush()
    if code is not None:
        out.append(_code_block(code))
    return out


def _code_block(lines: list[str]) -> Block:
    joined = "\n".join(lines)
    face = face_for(MONO, joined)
    # Leading spaces are kept as no-break spaces so indentation survives in the PDF.
    rows = [escape(visual(line)).replace("  ", "\u00a0 ") for line in lines]
    markup = (
        "<br/>".join(rows) if face == MONO else f'<font face="{face}">{"<br/>".join(rows)}</font>'
    )
    return Block("code", markup, rtl=has_rtl(joined))
