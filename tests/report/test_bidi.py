"""Right-to-left paragraphs: broken into lines first, so their lines come out in reading order."""

from __future__ import annotations

import subprocess

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import SimpleDocTemplate

from irdesk.report import markup
from irdesk.report.bidi import BidiParagraph, logical_lines
from irdesk.report.fonts import REGULAR, register_fonts
from irdesk.report.styles import styles
from tests.conftest import require_tool

FIRST, LAST = "ראשון", "אחרון"
LONG = " ".join([FIRST, *[f"מילה{i}" for i in range(1, 41)], LAST])


def measure(text: str) -> float:
    return stringWidth(text, REGULAR, 10)


def test_lines_are_broken_in_logical_order_and_never_inside_a_span():
    register_fonts()
    lines = logical_lines([LONG], 200, measure)
    assert len(lines) > 3 and lines[0].startswith(FIRST) and lines[-1].endswith(LAST)
    assert " ".join(lines) == LONG
    spans = logical_lines(["a **bold words that stay together** b"], 60, measure)
    assert any("**bold words that stay together**" in line for line in spans)


def test_a_word_mixing_scripts_keeps_its_digits_in_order():
    # HarfBuzz lays the whole word out right to left, so it is handed over reversed.
    shaped = markup.visual("חיבור מ-10.20.4.17", "R")
    assert "71.4.02.01" in shaped  # reversed here, so that HarfBuzz's reversal restores it
    assert markup.starts_right_to_left("שלום world") and not markup.starts_right_to_left("hello שלום")


def test_first_line_of_a_long_hebrew_note_holds_its_first_word(tmp_path):
    tool = require_tool("pdftotext")
    register_fonts()
    path = tmp_path / "rtl.pdf"
    style = styles()["note-rtl"]
    SimpleDocTemplate(str(path), pagesize=A4).build([BidiParagraph([LONG], style)])
    text = subprocess.run([tool, "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    lines = [line for line in text.splitlines() if line.strip()]
    first = next(i for i, line in enumerate(lines) if FIRST in line)
    last = next(i for i, line in enumerate(lines) if LAST in line)
    assert first == 0 and last == len(lines) - 1 and last > first
