"""User text becomes escaped paragraph markup: Markdown rendered, nothing else interpreted."""

from __future__ import annotations

from reportlab.platypus import Paragraph

from irdesk.report import markup
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


def test_blocks_recognise_lists_headings_and_code():
    kinds = [
        (b.kind, b.marker) for b in markup.blocks("# Title\n- one\n2. two\ntext\n```\ncode\n```")
    ]
    assert kinds == [("heading", ""), ("bullet", "•"), ("bullet", "2."), ("para", ""), ("code", "")]


def test_unterminated_code_fence_keeps_the_text():
    (block,) = markup.blocks("```\nstill here <b>")
    assert block.kind == "code" and "still here &lt;b&gt;" in block.markup


def test_control_characters_become_visible_pictures():
    assert markup.clean("a\x00b\x1bc\x7fd\te") == "a‹U+0000›b‹U+001B›c‹U+007F›d    e"


def test_right_to_left_words_come_out_in_visual_order():
    # Visual order reverses the word order; each word stays logical for HarfBuzz to shape.
    assert markup.visual("שלום עולם") == "עולם שלום"
    assert markup.visual("plain text") == "plain text"
    assert markup.has_rtl("x مرحبا") and not markup.has_rtl("Жизнь")


def test_every_block_parses_as_a_paragraph():
    text = "<para>**<b>**</para> *<i* `<font` & &amp; <br/> \x00 <unclosed"
    for block in markup.blocks(text):
        Paragraph(block.markup, styles()["body"])  # raises ValueError on bad markup
