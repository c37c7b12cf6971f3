"""The embedded fonts of the report (shipped in ``resources/fonts``), registered once.

Reports never depend on system fonts. DejaVu Sans covers Latin, Greek, Cyrillic, Hebrew
and Arabic; Droid Sans Fallback (Apache-2.0) covers Chinese, Japanese and Korean. Every
face is embedded as a subset of the glyphs used. ``glyphs.face_runs`` picks, for each run of
text, the first face that can draw it (the oblique and monospaced faces miss some scripts).
"""

from __future__ import annotations

import threading
from functools import cache

from reportlab import rl_config
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from irdesk.resources import resource_path

FONT_DIR = resource_path("fonts")

REGULAR, BOLD, ITALIC, BOLD_ITALIC, MONO, CJK = (
    "IRSans",
    "IRSans-Bold",
    "IRSans-Oblique",
    "IRSans-BoldOblique",
    "IRMono",
    "IRCJK",
)
_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
    BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
    MONO: "DejaVuSansMono.ttf",
    CJK: "DroidSansFallback.ttf",
}
LICENCES = ("LICENSE-DejaVu.txt", "LICENSE-DroidSansFallback.txt")
_lock = threading.Lock()
_registered = False


def register_fonts() -> None:
    """Register the faces with reportlab (once per process; cheap after the first call)."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        for name, filename in _FILES.items():
            pdfmetrics.registerFont(TTFont(name, resource_path("fonts", filename)))
        addMapping(REGULAR, 0, 0, REGULAR)
        addMapping(REGULAR, 1, 0, BOLD)
        addMapping(REGULAR, 0, 1, ITALIC)
        addMapping(REGULAR, 1, 1, BOLD_ITALIC)
        _plain_ligatures_off()
        _shape_each_fragment()
        # Table cells set their font before drawing, even for paragraphs: reportlab's default
        # is Helvetica, a font that would be referenced but never embedded.
        from reportlab.platypus.tables import CellStyle

        CellStyle.fontname = REGULAR
        # Font and page streams stay binary (Flate only): ASCII85 makes them 25 % larger
        # and, for five embedded faces, costs a tenth of a large report's build time.
        rl_config.useA85 = 0
        _registered = True


def _shape_each_fragment() -> None:
    """Shape each fragment of a word on its own, and let a shaped word be wrapped twice.

    reportlab shapes a whole word (the fragments between two spaces) as one HarfBuzz
    buffer, with the first fragment's font and the direction HarfBuzz guesses from its
    first letter. irdesk cuts a word into fragments where the face changes (a CJK
    character next to Arabic) and where right-to-left letters meet left-to-right ones
    (``shaping.segments``), so each fragment is shaped with its own font and direction;
    and only fragments that need it (Arabic, combining marks) go to HarfBuzz at all.

    reportlab 4-5 also shapes the words again on a second wrap (tables, page splits); an
    already-shaped fragment is a ``ShapedStr``, which uharfbuzz refuses, so it is kept.
    """
    from reportlab.platypus import paragraph

    original = paragraph.shapeFragWord
    if getattr(original, "irdesk_per_fragment", False):
        return

    from irdesk.report.shaping import needs_shaping

    def shape_one(width: float, frag: tuple) -> tuple[float, list, bool]:
        style, text = frag
        if hasattr(style, "cbDefn") or isinstance(text, ttfonts.ShapedStr) or not needs_shaping(text):
            return width, [frag], False
        result = original([width, frag])
        if len(result) > 1 and any(isinstance(t, ttfonts.ShapedStr) for _, t in result[1:]):
            return result[0], list(result[1:]), True
        return width, [frag], False

    def shape(word, *args, **kwargs):
        if isinstance(word, ttfonts.ShapedFragWord):
            return word
        if len(word) == 2:
            width, parts, shaped = shape_one(word[0], word[1])
            return ttfonts.makeShapedFragWord(word)([width, *parts]) if shaped else word
        total, parts, changed = 0.0, [], False
        for frag in word[1:]:
            style, text = frag
            width = 0.0 if hasattr(style, "cbDefn") else pdfmetrics.stringWidth(text, style.fontName, style.fontSize)
            width, pieces, shaped = shape_one(width, frag)
            total += width
            parts += pieces
            changed = changed or shaped
        if not changed:
            return word
        return ttfonts.makeShapedFragWord(word)([total, *parts])

    shape.irdesk_per_fragment = True  # type: ignore[attr-defined]
    paragraph.shapeFragWord = shape


def _plain_ligatures_off() -> None:
    """Shape for script (Arabic joining, required ligatures) but never make 'fi' or 'st' ligatures.

    reportlab asks HarfBuzz for liga and dlig by default; those would turn a literal
    ``file:`` in a note into ``ﬁle:``, which no longer reads back as what was typed.
    """
    defaults = getattr(ttfonts.shapeFragWord, "__defaults__", None) or ()
    for value in defaults:
        if isinstance(value, dict):
            value.update(liga=False, dlig=False)


@cache
def coverage(name: str) -> frozenset[int]:
    """The code points a registered face can draw."""
    register_fonts()
    return frozenset(pdfmetrics.getFont(name).face.charToGlyph)

