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
_RTL_RUN = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\u064b-\u065f]+")
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


def visual(text: str) -> str:
    """Right-to-left runs in visual word order, each word left in logical order for shaping.

    python-bidi reorders the whole run; reportlab then shapes each word with HarfBuzz,
    which lays an Arabic or Hebrew word out right to left itself, so the characters of
    each word are put back in logical order here.
    """
    if not has_rtl(text):
        return text
    from bidi import get_display

    return _RTL_RUN.sub(lambda m: m.group(0)[::-1], get_display(text, base_dir="L"))


def display_order(text: str) -> str:
    """Plain text in visual order for chart labels, which are drawn without shaping."""
    text = clean(text).replace("\n", " ")
    if not has_rtl(text):
        return text
    from bidi import get_display

    return get_display(text, base_dir="L")


def text_markup(text: str, face: str = REGULAR) -> str:
    """One run of plain text, cleaned, in visual order, escaped, in ``face`` (or its fallback)."""
    text = visual(clean(text))
    used = face_for(face, text)
    body = escape(text)
    return body if used == REGULAR else f'<font face="{used}">{body}</font>'


def inline_markup(line: str, base: str = REGULAR) -> str:
    """Bold, italics and code spans of one line of Markdown; everything else is literal text."""
    parts: list[str] = []
    pos = 0
    for match in _INLINE.finditer(line):
        if match.start() > pos:
            parts.append(text_markup(line[pos : match.start()], base))
        token = match.group(0)
        if token.startswith("`"):
            parts.append(text_markup(token[1:-1], MONO))
        elif token.startswith(("**", "__")):
            parts.append(text_markup(token[2:-2], BOLD_ITALIC if base == ITALIC else BOLD))
        else:
            parts.append(text_markup(token[1:-1], BOLD_ITALIC if base == BOLD else ITALIC))
        pos = match.end()
    if pos < len(line):
        parts.append(text_markup(line[pos:], base))
    return "".join(parts)


@dataclass(frozen=True)
class Block:
    """One paragraph-level piece of a note: ``kind`` is para, bullet, heading or code."""

    kind: str
    markup: str
    marker: str = ""
    rtl: bool = False


def blocks(text: str) -> list[Block]:
    """Split Markdown into paragraphs, list items, headings and code blocks, as markup."""
    out: list[Block] = []
    para: list[str] = []
    code: list[str] | None = None

    def flush() -> None:
        if para:
            joined = "\n".join(para)
            out.append(
                Block("para", "<br/>".join(inline_markup(p) for p in para), rtl=has_rtl(joined))
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
            out.append(Block("bullet", inline_markup(m.group(1)), "•", has_rtl(line)))
        elif m := _NUMBERED.match(line):
            flush()
            out.append(Block("bullet", inline_markup(m.group(2)), m.group(1) + ".", has_rtl(line)))
        elif m := _HEADING.match(line):
            flush()
            out.append(Block("heading", inline_markup(m.group(1), BOLD), rtl=has_rtl(line)))
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
