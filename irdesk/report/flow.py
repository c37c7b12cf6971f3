"""Small building blocks shared by the report's sections: paragraphs, note bodies, tables."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Flowable, Paragraph, Table

from irdesk.domain.records import Note
from irdesk.report.bidi import BidiParagraph
from irdesk.report.markup import blocks, clean, escape, has_rtl, text_markup, visual
from irdesk.report.styles import styles, table_style

CELL_LIMIT = 600  # characters of one table cell; longer text is cut with a note saying so


def para(text: str, style: str = "body") -> Flowable:
    """Plain user text (escaped) as one paragraph; its line breaks are kept."""
    rtl = has_rtl(text)
    s = styles()
    if rtl and f"{style}-rtl" in s:  # broken into lines before each line is reordered
        return BidiParagraph(text.split("\n"), s[f"{style}-rtl"], markdown=False)
    markup = "<br/>".join(text_markup(line) for line in text.split("\n"))
    return Paragraph(markup, s[style])


def fixed(markup: str, style: str = "body") -> Paragraph:
    """A paragraph of markup written by irdesk itself (never user text)."""
    return Paragraph(markup, styles()[style])


def markdown(text: str, style: str = "note", lead: str = "") -> list[Flowable]:
    """A note body or summary field, Markdown rendered, every character of it escaped.

    ``lead`` (irdesk's own markup, e.g. a note's header line) opens the first paragraph
    when the text starts with one, so a note is usually one flowable, not two.
    """
    s = styles()
    out: list[Flowable] = []
    for index, block in enumerate(blocks(text)):
        opening = ""  # irdesk's own header line, when it opens this paragraph
        if block.kind == "bullet":
            name = "bullet"
        elif block.kind == "code":
            name = "code"
        elif block.kind == "heading":
            name = "h3"
        elif index == 0 and lead and f"{style}-lead" in s:
            name, opening, lead = f"{style}-lead", lead, ""
        else:
            name = style
        chosen = s[f"{name}-rtl"] if block.rtl else s[name]
        bullet = escape(block.marker) if block.marker else None
        if block.rtl and block.source:  # broken into lines before each line is reordered
            if opening:  # irdesk's header line stays left-aligned above a right-to-left note
                out.append(Paragraph(opening, s["meta"]))
            out.append(BidiParagraph(block.source, chosen, face=block.face, bullet=bullet))
        else:
            markup = f"{opening}<br/>{block.markup}" if opening else block.markup
            out.append(Paragraph(markup, chosen, bulletText=bullet))
    if lead:
        out.insert(0, Paragraph(lead, s["meta"]))
    return out


def clip(text: str, limit: int = CELL_LIMIT) -> str:
    """``text`` cut at ``limit`` characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    return text[:limit] + f" […{len(text) - limit:,} more characters]"


def cell(text: str, style: str = "cell") -> Paragraph:
    """A table cell of user text, clipped so that a row always fits on a page."""
    return para(clip(text), style)


def head(text: str) -> Paragraph:
    return fixed(escape(text), "cellhead")


def table(
    headers: Sequence[str], rows: list[list[Flowable | str]], widths: Sequence[float]
) -> Table:
    """A table whose header row repeats on every page it breaks onto."""
    data: list[list[Flowable | str]] = [[head(h) for h in headers], *rows]
    t = Table(data, colWidths=list(widths), repeatRows=1, hAlign="LEFT")
    t.setStyle(table_style(len(rows)))
    return t


def note_flow(note: Note, *, show_phase: bool = False) -> list[Flowable]:
    """One note: a small header line (when, who, phase, gap, tags), then its Markdown body."""
    parts = [escape(note.occurred.display()), plain(note.author)]
    if show_phase:
        parts.append(escape(note.phase.label))
    if note.gap is not None:
        parts.append(f'<font color="ir-gap"><b>gap: {escape(note.gap.label.lower())}</b></font>')
    if note.tags:
        parts.append(plain(" ".join("#" + t for t in note.tags)))
    if note.updated.utc != note.created.utc:
        parts.append("edited")
    header = f'<font size="7.5" color="ir-muted">{" · ".join(parts)}</font>'
    return markdown(note.body, "note", lead=header) or [
        Paragraph(f"{header}<br/><i>(empty note)</i>", styles()["note-lead"])
    ]


def plain(text: str) -> str:
    """User text as markup in the paragraph's own face: cleaned, in visual order, escaped."""
    return escape(visual(clean(text)))
