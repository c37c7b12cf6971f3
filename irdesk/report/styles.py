"""Typography of the report: paragraph styles, table styles and the TLP colours, made once."""

from __future__ import annotations

from functools import cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import TableStyle

from irdesk.domain.enums import Tlp
from irdesk.report.fonts import BOLD, MONO, REGULAR, register_fonts
from irdesk.report.palette import ACCENT, GAP, INK, MUTED, RULE

# TLP 2.0: coloured text on black.
TLP_COLOURS = {
    Tlp.CLEAR: colors.white,
    Tlp.GREEN: colors.HexColor("#33FF00"),
    Tlp.AMBER: colors.HexColor("#FFC000"),
    Tlp.AMBER_STRICT: colors.HexColor("#FFC000"),
    Tlp.RED: colors.HexColor("#FF2B2B"),
}
ZEBRA = colors.HexColor("#f5f7fa")


_NAMED = {
    "ir-muted": MUTED,
    "ir-gap": GAP,
    "ir-drill": colors.HexColor("#b91c1c"),
    **{f"ir-tlp-{tlp.name.lower()}": colour for tlp, colour in TLP_COLOURS.items()},
}


def css(colour: colors.Color) -> str:
    """The name of one of the report's colours for paragraph markup.

    Named colours resolve with a dictionary look-up; reportlab parses a '#rrggbb' string
    through several slower paths for every paragraph that uses it.
    """
    for name, known in _NAMED.items():
        if known == colour:
            return name
    return "#" + colour.hexval()[2:]


def _register_colour_names() -> None:
    names = dict(colors.toColor.extraColorsNS)
    names.update(_NAMED)
    colors.toColor.setExtraColorsNameSpace(names)


@cache
def styles() -> dict[str, ParagraphStyle]:
    """The named paragraph styles (``<name>-rtl`` variants shape right-to-left text)."""
    register_fonts()
    _register_colour_names()
    base = ParagraphStyle(
        "body",
        fontName=REGULAR,
        bulletFontName=REGULAR,
        fontSize=9.5,
        leading=13.5,
        textColor=INK,
        spaceAfter=4,
        splitLongWords=1,
        allowWidows=0,
        allowOrphans=0,
    )
    made = {
        "body": base,
        "title": ParagraphStyle(
            "title", base, fontName=BOLD, fontSize=26, leading=31, spaceAfter=6
        ),
        "subtitle": ParagraphStyle(
            "subtitle", base, fontSize=15, leading=20, textColor=MUTED, spaceAfter=18
        ),
        "h1": ParagraphStyle(
            "h1",
            base,
            fontName=BOLD,
            fontSize=16,
            leading=20,
            spaceBefore=16,
            spaceAfter=8,
            textColor=ACCENT,
            keepWithNext=1,
        ),
        "h2": ParagraphStyle(
            "h2",
            base,
            fontName=BOLD,
            fontSize=11.5,
            leading=15,
            spaceBefore=10,
            spaceAfter=4,
            keepWithNext=1,
        ),
        "h3": ParagraphStyle(
            "h3",
            base,
            fontName=BOLD,
            fontSize=9.5,
            leading=13,
            spaceBefore=6,
            spaceAfter=2,
            keepWithNext=1,
        ),
        "csf": ParagraphStyle(
            "csf", base, fontSize=8.5, textColor=MUTED, spaceAfter=8, keepWithNext=1
        ),
        "meta": ParagraphStyle(
            "meta",
            base,
            fontSize=7.5,
            leading=10,
            textColor=MUTED,
            spaceAfter=1,
            spaceBefore=5,
            keepWithNext=1,
        ),
        "note": ParagraphStyle("note", base, leftIndent=10, spaceAfter=3),
        "note-lead": ParagraphStyle(
            "note-lead", base, leftIndent=10, firstLineIndent=-10, spaceBefore=5, spaceAfter=3
        ),
        "bullet": ParagraphStyle("bullet", base, leftIndent=24, bulletIndent=12, spaceAfter=2),
        **{
            f"bullet{level}": ParagraphStyle(
                f"bullet{level}", base, leftIndent=24 + 14 * level, bulletIndent=12 + 14 * level, spaceAfter=2
            )
            for level in (1, 2, 3)
        },
        "code": ParagraphStyle(
            "code",
            base,
            fontName=MONO,
            fontSize=8,
            leading=10.5,
            leftIndent=16,
            backColor=ZEBRA,
            borderPadding=(3, 4, 3, 4),
            spaceBefore=3,
            spaceAfter=6,
        ),
        "cell": ParagraphStyle("cell", base, fontSize=8, leading=10.5, spaceAfter=0),
        "cellhead": ParagraphStyle(
            "cellhead",
            base,
            fontName=BOLD,
            fontSize=8,
            leading=10.5,
            spaceAfter=0,
            textColor=colors.white,
        ),
        "cellhead-md": ParagraphStyle(
            "cellhead-md", base, fontName=BOLD, fontSize=8, leading=10.5, spaceAfter=0
        ),
        **{
            f"cell-{name.lower()}": ParagraphStyle(
                f"cell-{name.lower()}", base, fontSize=8, leading=10.5, spaceAfter=0, alignment=align
            )
            for name, align in (("LEFT", TA_LEFT), ("CENTER", TA_CENTER), ("RIGHT", TA_RIGHT))
        },
        "cellmono": ParagraphStyle(
            "cellmono", base, fontName=MONO, fontSize=6.5, leading=8.5, spaceAfter=0
        ),
        # a short code read beside 8 pt text (an ATT&CK id): the cell's size, in mono
        "cellcode": ParagraphStyle(
            "cellcode", base, fontName=MONO, fontSize=7.5, leading=10.5, spaceAfter=0
        ),
        "lead-in": ParagraphStyle("lead-in", base, keepWithNext=1),  # a sentence that introduces a table
        "toc": ParagraphStyle("toc", base, fontSize=9, leading=12.5, spaceAfter=0),
        "small": ParagraphStyle("small", base, fontSize=8, leading=11, textColor=MUTED),
        "metric": ParagraphStyle(
            "metric", base, fontName=BOLD, fontSize=17, leading=21, spaceAfter=0, textColor=ACCENT
        ),
        "metriclabel": ParagraphStyle(
            "metriclabel", base, fontSize=7.5, leading=10, textColor=MUTED, spaceAfter=0
        ),
    }
    for name in list(made):  # the same styles, shaping Arabic joining and marks with HarfBuzz
        made[f"{name}-rtl"] = ParagraphStyle(f"{name}-rtl", made[name], shaping=1)
    return made


def table_style(zebra_rows: int) -> TableStyle:
    commands: list[tuple] = [
        ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    commands += [("BACKGROUND", (0, r), (-1, r), ZEBRA) for r in range(2, zebra_rows + 1, 2)]
    return TableStyle(commands)


def markdown_table_style() -> TableStyle:
    """A table typed in a note: ruled like a printed table, its header row in bold on grey."""
    commands: list[tuple] = [
        ("BACKGROUND", (0, 0), (-1, 0), ZEBRA),
        ("LINEABOVE", (0, 0), (-1, 0), 0.8, INK),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, INK),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
        ("LINEBELOW", (0, -1), (-1, -1), 0.8, INK),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    return TableStyle(commands)
