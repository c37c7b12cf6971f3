"""Small building blocks shared by the report's sections: paragraphs, note bodies, tables."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Flowable, Indenter, Paragraph, Table

from irdesk.domain.records import Note
from irdesk.report.glyphs import printable
from irdesk.report.lines import CodeBlock, LineBlock, breaks_here
from irdesk.report.markdown import Block, blocks
from irdesk.report.markup import escape, inline_markup, text_markup
from irdesk.report.shaping import has_rtl
from irdesk.report.styles import markdown_table_style, styles, table_style

CELL_LIMIT = 600  # characters of one table cell; longer text is cut with a note saying so


def _style(name: str, rtl: bool) -> str:
    return f"{name}-rtl" if rtl and f"{name}-rtl" in styles() else name


def para(text: str, style: str = "body") -> Flowable:
    """Plain user text (escaped) as one paragraph; its line breaks are kept."""
    rtl = has_rtl(text)
    s = styles()[_style(style, rtl)]
    if rtl or breaks_here(text.split("\n")):  # broken into lines before each line is reordered
        return LineBlock(text.split("\n"), s, markdown=False)
    return Paragraph("<br/>".join(text_markup(line, s.fontName) for line in text.split("\n")), s)


def fixed(markup: str, style: str = "body") -> Paragraph:
    """A paragraph of markup written by irdesk itself (user text in it went through ``plain``)."""
    return Paragraph(markup, styles()[_style(style, has_rtl(markup))])


def plain(text: str, face: str = "") -> str:
    """User text as markup inside irdesk's own markup: printable, in visual order, escaped."""
    return text_markup(text, face or styles()["body"].fontName)


def markdown(text: str, style: str = "note", lead: str = "") -> list[Flowable]:
    """A note body or summary field, Markdown rendered, every character of it escaped.

    ``lead`` (irdesk's own markup, e.g. a note's header line) opens the first paragraph
    when the text starts with one, so a note is usually one flowable, not two.
    """
    s = styles()
    out: list[Flowable] = []
    for index, block in enumerate(blocks(text)):
        opening = lead if index == 0 and block.kind == "para" and f"{style}-lead" in s else ""
        if opening:
            lead = ""
        out += _block(block, style, opening)
    if lead:
        out.insert(0, Paragraph(lead, s["meta"]))
    return out


def _block(block: Block, style: str, lead: str) -> list[Flowable]:
    s = styles()
    if block.kind == "code":
        return [CodeBlock(block.lines, s["code"])]
    if block.kind == "table":
        return markdown_table(block)
    rtl = block.rtl
    if block.kind == "bullet":
        name = "bullet" if block.level == 0 else f"bullet{block.level}"
    elif block.kind == "heading":
        name = "h3"
    else:
        name = f"{style}-lead" if lead else style
    chosen = s[_style(name, rtl)]
    face = chosen.fontName
    if rtl or breaks_here(block.lines):
        if lead and rtl:  # irdesk's header line stays left-aligned above a right-to-left note
            return [Paragraph(lead, s["meta"]), LineBlock(block.lines, s[_style(style, True)], face=face)]
        return [LineBlock(block.lines, chosen, face=face, lead=lead, bullet=block.marker or None)]
    markup = "<br/>".join(inline_markup(line, face) for line in block.lines)
    if lead:
        markup = f"{lead}<br/>{markup}"
    return [Paragraph(markup, chosen, bulletText=escape(block.marker) if block.marker else None)]


def markdown_table(block: Block, indent: float = 10) -> list[Flowable]:
    """A Markdown pipe table as a table: header row, column alignment, rows that break across pages."""
    columns = len(block.align)
    longest = [max((len(row[i]) for row in block.rows), default=1) for i in range(columns)]
    total = sum(min(max(n, 4), 60) for n in longest) or 1
    widths = [f"{100 * min(max(n, 4), 60) / total:.2f}%" for n in longest]
    data: list[list[Flowable | str]] = []
    for number, row in enumerate(block.rows):
        cells: list[Flowable | str] = []
        for column, text in enumerate(row):
            name = "cellhead-md" if number == 0 else f"cell-{block.align[column].lower()}"
            cells.append(_markdown_cell(clip(text), name))
        data.append(cells)
    t = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    t.setStyle(markdown_table_style())
    return [Indenter(left=indent), t, Indenter(left=-indent)]


def _markdown_cell(text: str, style: str) -> Flowable:
    s = styles()
    if has_rtl(text) or breaks_here([text]):
        return LineBlock([text], s[_style(style, True)])
    return Paragraph(inline_markup(text, s[style].fontName), s[style])


def clip(text: str, limit: int = CELL_LIMIT) -> str:
    """``text`` as printed, cut at ``limit`` characters, saying how much was left out.

    Counted as printed: a character shown as its code (⟨U+1F600⟩) counts for the code.
    """
    text = printable(text)
    if len(text) <= limit:
        return text
    return text[:limit] + f" […{len(text) - limit:,} more characters]"


def cell(text: str, style: str = "cell") -> Flowable:
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


def note_header(note: Note, *, show_phase: bool = False) -> str:
    """A note's small header line (when, who, phase, gap, tags) as irdesk markup."""
    parts = [escape(note.occurred.display()), plain(clip(note.author, 120))]
    if show_phase:
        parts.append(escape(note.phase.label))
    if note.gap is not None:
        parts.append(f'<font color="ir-gap"><b>\u25b2 gap: {escape(note.gap.label.lower())}</b></font>')
    if note.tags:
        parts.append(plain(clip(" ".join("#" + t for t in note.tags), 240)))
    if note.updated.utc != note.created.utc:
        parts.append("edited")
    return f'<font size="7.5" color="ir-muted">{" · ".join(parts)}</font>'


def note_flow(note: Note, *, show_phase: bool = False) -> list[Flowable]:
    """One note: its header line, then its Markdown body."""
    header = note_header(note, show_phase=show_phase)
    return markdown(note.body, "note", lead=header) or [
        Paragraph(f"{header}<br/><i>(empty note)</i>", styles()["note-lead"])
    ]

