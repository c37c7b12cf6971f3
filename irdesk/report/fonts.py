"""The embedded fonts of the report (DejaVu Sans, shipped in ``resources/fonts``), registered once.

Reports never depend on system fonts. DejaVu Sans covers Latin, Greek, Cyrillic, Hebrew
and Arabic; its oblique and monospaced faces miss some of those, so ``face_for`` falls
back to the upright face for text they cannot draw rather than print missing-glyph boxes.
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

REGULAR, BOLD, ITALIC, BOLD_ITALIC, MONO = (
    "IRSans",
    "IRSans-Bold",
    "IRSans-Oblique",
    "IRSans-BoldOblique",
    "IRMono",
)
_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
    BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
    MONO: "DejaVuSansMono.ttf",
}
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
        _tolerate_reshaping()
        # Font and page streams stay binary (Flate only): ASCII85 makes them 25 % larger
        # and, for five embedded faces, costs a tenth of a large report's build time.
        rl_config.useA85 = 0
        _registered = True


def _tolerate_reshaping() -> None:
    """Let reportlab wrap a shaped paragraph twice (tables and page splits do).

    reportlab 4-5 shapes the words again on the second wrap; a word that is a single
    already-shaped run then reaches HarfBuzz as a ``ShapedStr``, which uharfbuzz refuses
    with a TypeError. Such a word is shaped already, so it is kept as it is.
    """
    from reportlab.platypus import paragraph

    original = paragraph.shapeFragWord
    if getattr(original, "irdesk_tolerant", False):
        return

    def shape(word, *args, **kwargs):
        try:
            return original(word, *args, **kwargs)
        except TypeError:
            if any(isinstance(text, ttfonts.ShapedStr) for _, text in word[1:]):
                return word
            raise

    shape.irdesk_tolerant = True  # type: ignore[attr-defined]
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


def face_for(name: str, text: str) -> str:
    """``name`` if it can draw every character of ``text``, else the upright face that can."""
    if name == REGULAR or text.isascii():
        return name
    have = coverage(name)
    if all(ord(c) in have for c in text if not c.isspace()):
        return name
    return BOLD if name in (BOLD, BOLD_ITALIC) else REGULAR
