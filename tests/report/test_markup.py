"""User text becomes escaped paragraph markup: Markdown rendered, nothing else interpreted."""

from __future__ import annotations

from reportlab.platypus import Paragraph

from irdesk.report import glyphs, markup, shaping
from irdesk.report.markdown import blocks
from irdesk.report.styles import styles


def test_tags_in_user_text_are_escaped():
    out = markup.inline_markup('<b>x</b> <a href="file:/x">y</a> <img src=z> & <')
    assert "<b>" not in out and "<a " not in out and "<img" not in out
    assert "&lt;b&gt;x&lt;/b&gt;" in out and "&amp;" in out


def test_markdown_inline_styles_use_the_embedded_faces():
    out = markup.inline_markup("a **b** *c* `d<e>`")
    assert '<font face="IRSans-Bold">b</font>' in out
    assert '<font face="IRSans-Oblique">c</font>' in out
    assert '<font face="IRMono">d&lt;e&gt;</font>' in out


def test_blocks_recognise_lists_headings_code_and_tables():
    text = "# Title\n- one\n  - nested\n2. two\ntext\n```\ncode\n```\n| a | b |\n|---|--:|\n| 1 | 2 |"
    kinds = [(b.kind, b.marker, b.level) for b in blocks(text)]
    assert kinds == [
        ("heading", "", 0),
        ("bullet", "•", 0),
        ("bullet", "•", 1),
        ("bullet", "2.", 0),
        ("para", "", 0),
        ("code", "", 0),
        ("table", "", 0),
    ]
    table = blocks(text)[-1]
    assert table.rows == (("a", "b"), ("1", "2")) and table.align == ("LEFT", "RIGHT")


def test_a_table_row_with_more_cells_keeps_them_in_its_last_cell():
    (table,) = blocks("| a | b |\n|---|---|\n| 1 | 2 | 3 | 4 |\n| only |")
    assert table.rows[1] == ("1", "2 | 3 | 4") and table.rows[2] == ("only", "")


def test_unterminated_code_fence_keeps_the_text():
    (block,) = blocks("```\nstill here <b>")
    assert block.kind == "code" and block.lines == ("still here <b>",)


def test_control_characters_become_visible_codes():
    assert glyphs.printable("a\x00b\x1bc\x7fd\te") == "a⟨U+0000⟩b⟨U+001B⟩c⟨U+007F⟩d    e"


def test_direction_controls_and_invisible_formatting_become_visible_codes():
    for control in ("\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
                    "\u2069", "\u200e", "\u200f", "\u061c", "\ufeff", "\u200b", "\u2028"):
        assert glyphs.printable(f"x{control}y") == f"x⟨U+{ord(control):04X}⟩y", repr(control)
    assert glyphs.printable("ZW\u200dJ") == "ZW\u200dJ"  # joiners change shaping and stay


def test_emoji_and_characters_no_face_has_print_as_their_code():
    assert glyphs.printable("ok \U0001f600 \ue000") == "ok ⟨U+1F600⟩ ⟨U+E000⟩"
    assert glyphs.printable("中文 한국어 日本語") == "中文 한국어 日本語"  # the CJK face has them


def test_runs_of_combining_marks_are_capped():
    stacked = "e" + "\u0301\u0302\u0303\u0304\u0305"
    assert glyphs.printable(stacked) == "e\u0301\u0302\u0303⟨U+0304⟩⟨U+0305⟩"
    assert glyphs.printable("שָׁלוֹם") == "שָׁלוֹם"  # ordinary pointing is untouched


def test_right_to_left_words_come_out_in_visual_order():
    # Visual order: the words and their letters from the right; Arabic goes to HarfBuzz reversed.
    assert shaping.visual("שלום עולם") == "םלוע םולש"
    assert [(s.text, s.rtl) for s in shaping.segments("שלום עולם")] == [("םלוע", True), (" ", False), ("םולש", True)]
    assert shaping.visual("مرحبا بالعالم") == "بالعالم مرحبا"
    assert shaping.visual("plain text") == "plain text"
    assert shaping.has_rtl("x مرحبا") and not shaping.has_rtl("Жизнь")


def test_every_block_parses_as_a_paragraph():
    text = "<para>**<b>**</para> *<i* `<font` & &amp; <br/> \x00 <unclosed"
    for block in blocks(text):
        for line in block.lines:
            Paragraph(markup.inline_markup(line), styles()["body"])  # raises ValueError on bad markup
