"""The shipped fonts draw every script the report promises, and the fallback avoids boxes."""

from __future__ import annotations

import os

from irdesk.report import fonts
from tests.report.fixtures import SAMPLES


def test_fonts_are_shipped_with_their_licence():
    for filename in (*fonts._FILES.values(), "LICENSE-DejaVu.txt"):
        assert os.path.isfile(os.path.join(fonts.FONT_DIR, filename)), filename


def test_upright_faces_cover_latin_greek_cyrillic_hebrew_arabic():
    for face in (fonts.REGULAR, fonts.BOLD):
        have = fonts.coverage(face)
        for script, text in SAMPLES.items():
            missing = [c for c in text if not c.isspace() and ord(c) not in have]
            assert not missing, (face, script, missing)


def test_arabic_presentation_forms_are_covered_for_shaping():
    have = fonts.coverage(fonts.REGULAR)
    assert all(cp in have for cp in range(0xFE8D, 0xFEF5))


def test_faces_without_a_script_fall_back_to_the_upright_face():
    assert fonts.face_for(fonts.ITALIC, "plain words") == fonts.ITALIC
    assert fonts.face_for(fonts.ITALIC, SAMPLES["arabic"]) == fonts.REGULAR
    assert fonts.face_for(fonts.BOLD_ITALIC, SAMPLES["arabic"]) == fonts.BOLD
    assert fonts.face_for(fonts.MONO, SAMPLES["hebrew"]) == fonts.REGULAR
    assert fonts.face_for(fonts.MONO, SAMPLES["cyrillic"]) == fonts.MONO


def test_registering_twice_is_harmless():
    fonts.register_fonts()
    fonts.register_fonts()
    from reportlab.pdfbase import pdfmetrics

    assert pdfmetrics.getFont(fonts.REGULAR).face.name
