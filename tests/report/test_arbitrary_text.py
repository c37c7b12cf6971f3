"""Any note text makes a valid PDF, never a crash: markup, control characters, huge words;
and every character is either a glyph of the embedded face that draws it or its visible code."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from irdesk.domain.enums import CustodyAction, Gap, IndicatorKind, Phase
from irdesk.domain.moment import Moment
from irdesk.domain.records import (
    ActionItem,
    Contact,
    CustodyEvent,
    Engagement,
    Evidence,
    Indicator,
    Note,
    new_id,
)
from irdesk.report.content import ReportContent, gather
from irdesk.report.document import render

FRAGMENTS = st.sampled_from(
    [
        "<b>",
        "</b>",
        "<font",
        'color="red">',
        "<a href='file:/etc/passwd'>",
        "<img src=x>",
        "</para>",
        "&",
        "&amp;",
        "&#0;",
        "&nbsp;",
        "**",
        "*",
        "_",
        "`",
        "```",
        "\n- ",
        "\n1. ",
        "\n# ",
        "<br/>",
        "\x00",
        "\x1b[31m",
        "\r\n",
        "\t",
        "\u202e",
        "\u200f",
        "\u2066",
        "\u061c",
        "中文",
        "한국어",
        "\U0001f600\ufe0f",
        "\u0301\u0302\u0303\u0304\u0305",
        "| a | b |\n|---|---|\n| 1 |",
        "\n  - ",
        "\ue000",
        "שלום",
        "مرحبا",
        "Жд",
        "Ωλ",
        "\ufeff",
        "\U0001f600",
        "\u0301",
        "<",
        ">",
        "<<>>",
        "<seq/>",
        "<onDraw name=x/>",
    ]
)
TEXT = st.lists(st.one_of(FRAGMENTS, st.text(max_size=40)), max_size=30).map("".join)


@pytest.fixture(scope="module")
def base_content(tmp_path_factory) -> ReportContent:
    from irdesk.casefile.store import CaseFile
    from tests.conftest import PASSPHRASE

    path = str(tmp_path_factory.mktemp("arbitrary") / "case.ircase")
    with CaseFile.create(path, PASSPHRASE, title="Arbitrary text", actor="T") as case:
        return gather(case, responder="T")


def _with_note(content: ReportContent, body: str, **fields) -> ReportContent:
    now = Moment.now()
    note = Note(
        id=new_id(),
        rev="r",
        parent_rev=None,
        created=now,
        updated=now,
        author=fields.pop("author", "T"),
        phase=Phase.DETECTION,
        body=body,
        occurred=now,
        **fields,
    )
    notes = {phase: [] for phase in Phase}
    notes[Phase.DETECTION] = [note]
    return dataclasses.replace(content, notes=notes)


def _assert_pdf(data: bytes) -> None:
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    reader = PdfFileReader(io.BytesIO(data))
    assert int(reader.root["/Pages"]["/Count"]) >= 2


@given(body=TEXT, author=TEXT, tag=TEXT)
def test_any_note_text_renders(base_content, body, author, tag):
    content = _with_note(base_content, body, author=author, gap=Gap.OTHER, tags=(tag,))
    now = Moment.now()
    action = ActionItem(
        id=new_id(),
        rev="r",
        parent_rev=None,
        created=now,
        updated=now,
        author="T",
        title=body,
        owner=tag,
        verification=author,
    )
    contact = Contact(id=new_id(), rev="r", parent_rev=None, created=now, updated=now, author="T",
                      name=tag or "n", notes=body)
    engagement = Engagement(id=new_id(), rev="r", parent_rev=None, created=now, updated=now,
                            author="T", contact_id=contact.id, purpose=author, needed_at=now)
    content = dataclasses.replace(
        content,
        actions=[action],
        contacts=[contact],
        engagements={contact.id: [engagement]},
        case=dataclasses.replace(content.case, title=body or "t", cause=body, codename=tag),
    )
    _assert_pdf(render(content))


def test_fifty_thousand_character_words_render(base_content):
    word = "A" * 50_000
    body = f"{word}\n- {word}\n`{word}`\n```\n{word}\n```\n**{'ж' * 50_000}**"
    content = _with_note(base_content, body, author=word)
    now = Moment.now()
    stamps = {"rev": "r", "parent_rev": None, "created": now, "updated": now, "author": word}
    contact = Contact(id=new_id(), **stamps, name=word, role=word, organisation=word)
    item = Evidence(
        id=new_id(),
        **stamps,
        label=word,
        source_system=word,
        holder=word,
        sha256=word,
        requested_at=now,
        unavailable_reason=word,
    )
    content = dataclasses.replace(
        content,
        case=dataclasses.replace(content.case, title=word, codename=word, cause=body),
        contacts=[contact],
        engagements={
            contact.id: [
                Engagement(
                    id=new_id(),
                    **stamps,
                    contact_id=contact.id,
                    purpose=word,
                    needed_at=now,
                    outcome=word,
                )
            ]
        },
        evidence=[item],
        custody={
            item.id: [
                CustodyEvent(
                    id=new_id(),
                    **stamps,
                    evidence_id=item.id,
                    action=CustodyAction.STORED,
                    at=now,
                    by_whom=word,
                    to_whom=word,
                    location=word,
                    note=word,
                )
            ]
        },
        actions=[ActionItem(id=new_id(), **stamps, title=word, owner=word, verification=word)],
        indicators=[Indicator(id=new_id(), **stamps, kind=IndicatorKind.URL, value="http://" + word,
                              description=word)],
    )
    _assert_pdf(render(content))


def test_right_to_left_text_in_tables_and_across_pages(base_content):
    """Tables and page splits wrap a paragraph twice; shaped words must survive that."""
    now = Moment.now()
    action = ActionItem(
        id=new_id(),
        rev="r",
        parent_rev=None,
        created=now,
        updated=now,
        author="T",
        title="שלום",
        owner="مرحبا",
    )
    content = _with_note(base_content, "مرحبا بالعالم " * 3000)
    _assert_pdf(render(dataclasses.replace(content, actions=[action])))


def _drawn(markup: str, style: str = "body-rtl") -> list[tuple[str, str]]:
    """(font, text) of every fragment reportlab would draw for a paragraph of ``markup``."""
    from reportlab.platypus import Paragraph

    from irdesk.report.styles import styles

    return [(f.fontName, f.text) for f in Paragraph(markup, styles()[style]).frags]


@given(text=TEXT)
def test_every_character_is_in_its_face_or_printed_as_its_code(text):
    from irdesk.report import fonts
    from irdesk.report.glyphs import code, printable
    from irdesk.report.markup import inline_markup

    for line in printable(text).split("\n"):
        for base_dir in ("L", "R"):
            drawn = _drawn(inline_markup(line, fonts.REGULAR, base_dir))
            for font, fragment in drawn:
                have = fonts.coverage(font)
                missing = [c for c in fragment if ord(c) not in have and c not in " "]
                assert not missing, (font, fragment, missing)
    shown = printable(text)
    drawable = fonts.coverage(fonts.REGULAR) | fonts.coverage(fonts.CJK)
    direction = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
    for char in set(text) - {"\n", "\t", "\r"}:
        if ord(char) > 0xFFFF or ord(char) not in drawable or char in direction:
            assert code(char) in shown, repr(char)
