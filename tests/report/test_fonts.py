"""The shipped fonts draw every script the report promises, and the fallback avoids boxes."""

from __future__ import annotations

import os

from irdesk.report import fonts
from irdesk.report.glyphs import face_runs
from tests.report.fixtures import SAMPLES


def test_fonts_are_shipped_with_their_licence():
    for filename in (*fonts._FILES.values(), *fonts.LICENCES):
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


def test_faces_without_a_script_fall_back_to_the_upright_face_then_the_cjk_face():
    assert face_runs("plain words", fonts.ITALIC) == [(fonts.ITALIC, "plain words")]
    assert face_runs(SAMPLES["arabic"], fonts.ITALIC) == [(fonts.REGULAR, SAMPLES["arabic"])]
    assert face_runs(SAMPLES["arabic"], fonts.BOLD_ITALIC) == [(fonts.BOLD, SAMPLES["arabic"])]
    assert face_runs(SAMPLES["hebrew"], fonts.MONO) == [(fonts.REGULAR, SAMPLES["hebrew"])]
    assert face_runs(SAMPLES["cyrillic"], fonts.MONO) == [(fonts.MONO, SAMPLES["cyrillic"])]
    assert face_runs("a 中文 b", fonts.REGULAR) == [(fonts.REGULAR, "a "), (fonts.CJK, "中文"), (fonts.REGULAR, " b")]


def test_the_cjk_face_covers_chinese_japanese_and_korean():
    have = fonts.coverage(fonts.CJK)
    for text in ("中文", "日本語のテキスト", "한국어"):
        assert all(ord(c) in have for c in text), text


def test_registering_twice_is_harmless():
    fonts.register_fonts()
    fonts.register_fonts()
    from reportlab.pdfbase import pdfmetrics

    assert pdfmetrics.getFont(fonts.REGULAR).face.name
