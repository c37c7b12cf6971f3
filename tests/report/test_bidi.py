"""Right-to-left paragraphs: broken into lines first, so their lines come out in reading order."""

from __future__ import annotations

import subprocess

from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate

from irdesk.report import shaping
from irdesk.report.fonts import REGULAR, register_fonts
from irdesk.report.lines import LineBlock, logical_lines
from irdesk.report.styles import styles
from tests.conftest import require_tool

FIRST, LAST = "ראשון", "אחרון"
LONG = " ".join([FIRST, *[f"מילה{i}" for i in range(1, 41)], LAST])


def pdftotext_layout(path) -> list[str]:
    tool = require_tool("pdftotext")
    text = subprocess.run([tool, "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return [line for line in text.splitlines() if line.strip()]


def test_lines_are_broken_in_logical_order_and_never_inside_a_span():
    register_fonts()
    lines = logical_lines([LONG], 200, REGULAR, 10)
    assert len(lines) > 3 and lines[0].startswith(FIRST) and lines[-1].endswith(LAST)
    assert " ".join(lines) == LONG
    spans = logical_lines(["a **bold words that stay together** b"], 230, REGULAR, 10)
    assert any("**bold words that stay together**" in line for line in spans)


def test_a_span_or_word_wider_than_a_line_is_cut_into_pieces_that_fit():
    register_fonts()
    lines = logical_lines(["**" + "bold " * 60 + "**", "x" * 3000, "中" * 500], 150, REGULAR, 10)
    assert all(line.count("**") % 2 == 0 for line in lines)
    assert "".join(line for line in lines if line.startswith("x")) == "x" * 3000
    assert sum(line.count("中") for line in lines) == 500 and len(lines) > 30


def test_a_word_mixing_scripts_keeps_its_digits_in_order():
    # HarfBuzz lays an Arabic piece out right to left, so it is handed over reversed;
    # Hebrew needs no shaping and is drawn in python-bidi's visual order as it stands.
    assert "71.4.02.01" in shaping.visual("اتصال م-10.20.4.17", "R")
    assert "10.20.4.17" in shaping.visual("חיבור מ-10.20.4.17", "R")
    assert shaping.starts_right_to_left("שלום world") and not shaping.starts_right_to_left("hello שלום")


def test_only_arabic_and_combining_marks_go_to_harfbuzz():
    assert shaping.needs_shaping("مرحبا") and shaping.needs_shaping("e\u0301") and shaping.needs_shaping("שָׁלוֹם")
    for text in ("שלום", "plain", "中文"):
        assert not shaping.needs_shaping(text)


def test_latin_letters_touching_hebrew_are_a_piece_of_their_own():
    pieces = shaping.segments("abcשלום", "L")
    assert [(p.text, p.rtl) for p in pieces] == [("abc", False), ("םולש", True)]


def test_first_line_of_a_long_hebrew_note_holds_its_first_word(tmp_path):
    register_fonts()
    path = tmp_path / "rtl.pdf"
    SimpleDocTemplate(str(path), pagesize=A4).build([LineBlock([LONG], styles()["note-rtl"])])
    lines = pdftotext_layout(path)
    first = next(i for i, line in enumerate(lines) if FIRST in line)
    last = next(i for i, line in enumerate(lines) if LAST in line)
    assert first == 0 and last == len(lines) - 1 and last > first


def test_a_right_to_left_bullet_stands_on_the_right(tmp_path):
    from irdesk.report.flow import markdown

    path = tmp_path / "bullets.pdf"
    SimpleDocTemplate(str(path), pagesize=A4).build(markdown("- פריט ראשון\n- left to right item"))
    lines = pdftotext_layout(path)
    hebrew = next(line for line in lines if "ראשון" in line)
    latin = next(line for line in lines if "left to right" in line)
    # pdftotext gives a right-to-left line in logical order: its first character is its rightmost.
    assert hebrew.strip().strip("\u202b\u202c").startswith("•"), hebrew
    assert len(hebrew) - len(hebrew.lstrip()) > 20, hebrew  # and the line stands on the right
    assert latin.lstrip().startswith("•") and len(latin) - len(latin.lstrip()) < 10, latin


def test_a_right_to_left_line_is_measured_as_printed_with_its_codes(tmp_path):
    # Direction controls print as ⟨U+202E⟩, nine glyphs each, though the raw text is narrow:
    # broken without them, reportlab wrapped the reordered line again and put the first
    # word on the last line.
    register_fonts()
    text = " ".join([FIRST, *(f"\u202eמילה{i}\u202c" for i in range(1, 13)), LAST])
    path = tmp_path / "codes.pdf"
    SimpleDocTemplate(str(path), pagesize=A4).build([LineBlock([text], styles()["note-rtl"])])
    lines = pdftotext_layout(path)
    assert len(lines) > 2
    assert FIRST in lines[0] and LAST in lines[-1], lines
