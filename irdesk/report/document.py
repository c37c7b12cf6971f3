"""Lay the report out (reportlab platypus) and return the PDF bytes.

The layout runs twice (``multiBuild``): the first pass finds the page of every section
for the table of contents and the page count for "Page X of Y", the second prints them.
Every heading also becomes a PDF bookmark. The file is PDF 2.0 from its first byte (the
version pyHanko writes for an ECDSA signature, so the header and the signature agree), with
every font embedded as a subset and an XMP packet in the catalog.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate
from reportlab.platypus.tableofcontents import IndexingFlowable

from irdesk.report import outline
from irdesk.report.content import ReportContent
from irdesk.report.cover import contents, cover, marks
from irdesk.report.errors import Cancelled
from irdesk.report.fonts import REGULAR, register_fonts
from irdesk.report.headings import Heading
from irdesk.report.markup import escape
from irdesk.report.pages import MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X, PageChrome
from irdesk.report.xmp import MetadataStream, packet, subject, title

Progress = Callable[[int], None]  # percent done, 0-100
PDF_VERSION = (2, 0)


class PageCount(IndexingFlowable):
    """Satisfied when a pass ends on as many pages as the pass before (so "of Y" is right)."""

    def __init__(self) -> None:
        super().__init__()
        self.previous: int | None = None
        self.current: int | None = None
        self.doc: BaseDocTemplate | None = None

    def beforeBuild(self) -> None:  # noqa: N802 - reportlab's names
        self.previous, self.current = self.current, None

    def afterBuild(self) -> None:  # noqa: N802
        self.current = self.doc.page if self.doc is not None else None

    def isSatisfied(self) -> bool:  # noqa: N802
        return self.previous is not None and self.previous == self.current

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0, 0

    def draw(self) -> None:
        pass


class ReportDocTemplate(BaseDocTemplate):
    """One frame per A4 page, the chrome on every page, contents and bookmarks from headings."""

    def __init__(self, out: io.BytesIO, *, chrome: PageChrome, pages: PageCount, **kwargs: Any) -> None:
        super().__init__(
            out,
            pagesize=A4,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            initialFontName=REGULAR,
            **kwargs,
        )
        self.chrome, self.pages = chrome, pages
        pages.doc = self
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._chrome)])
        self.flowable_hook: Callable[[Flowable], None] | None = None

    def _chrome(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        self.chrome.draw(canvas, doc.page, self.pages.current or self.pages.previous)

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - reportlab's name
        if isinstance(flowable, Heading):
            key = flowable.outline_key
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.outline_text, key, level=flowable.outline_level,
                                      closed=flowable.outline_level > 0)
            if flowable.outline_level == 0:
                self.notify("TOCEntry", (0, escape(flowable.outline_text), self.page, None))
        if self.flowable_hook is not None:
            self.flowable_hook(flowable)


@dataclass(frozen=True)
class DocumentInfo:
    """What the PDF says about itself: its info dictionary and its XMP packet."""

    title: str
    author: str
    subject: str
    keywords: list[str]
    xmp: bytes


def report_canvas(c: ReportContent) -> type[Canvas]:
    """A canvas writing PDF 2.0, the case report's XMP packet, and opening with the bookmarks shown."""
    return canvas_with(packet(c))


def canvas_with(data: bytes) -> type[Canvas]:
    """A canvas writing PDF 2.0, the XMP packet ``data``, and opening with the bookmarks shown."""

    class ReportCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["pdfVersion"] = PDF_VERSION
            super().__init__(*args, **kwargs)
            self._doc.Catalog.Metadata = MetadataStream(data)
            self.showOutline()

    return ReportCanvas


def story(c: ReportContent, width: float) -> list[Flowable]:
    """The cover, then every section in ``outline.sections_in_order()``. A section that a later
    issue adds goes into ``outline.LATER_SECTIONS``, not here."""
    return [*cover(c, width, contents()), *outline.story_after_cover(c, width)]


def render(
    c: ReportContent,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> bytes:
    """The unsigned report as PDF bytes.

    Raises:
        Cancelled: ``cancelled()`` turned true while the pages were laid out.
    """
    chrome = PageChrome(
        tlp=c.case.tlp,
        case_title=c.case.title,
        report_id=c.report_id,
        short_fingerprint=" ".join(c.fingerprint.split()[:2]),
        drill=c.case.drill,
        marks=marks(c),
    )
    info = DocumentInfo(title(c), c.responder[:200], subject(c), [c.report_id, c.case.tlp.label], packet(c))
    return render_document(lambda width: story(c, width), chrome=chrome, info=info, progress=progress,
                           cancelled=cancelled)


def render_document(
    build: Callable[[float], list[Flowable]],
    *,
    chrome: PageChrome,
    info: DocumentInfo,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> bytes:
    """Any irdesk report as PDF bytes: the story ``build(width)`` gives, laid out twice with the
    chrome on every page, the contents, bookmarks and page count (a case's after-action report
    and a book's programme report both come through here).

    Raises:
        Cancelled: ``cancelled()`` turned true while the pages were laid out.
    """
    register_fonts()
    out = io.BytesIO()
    pages = PageCount()
    doc = ReportDocTemplate(
        out,
        chrome=chrome,
        pages=pages,
        title=info.title,
        author=info.author,
        creator="irdesk",
        producer="irdesk (reportlab)",
        subject=info.subject,
        keywords=info.keywords,
        lang="en",
    )
    flowables = [*build(doc.width), pages]
    if progress is not None or cancelled is not None:
        total = max(len(flowables), 1)
        done = [0]

        def after(_: Flowable) -> None:
            done[0] += 1
            if done[0] % 50:
                return
            if cancelled is not None and cancelled():
                raise Cancelled()
            if progress is not None:  # two passes: the first to 50 %, the second to 95 %
                progress(min(95, 5 + 45 * done[0] // total))

        doc.flowable_hook = after
    doc.multiBuild(flowables, canvasmaker=canvas_with(info.xmp))
    return out.getvalue()


def render_minimal() -> bytes:
    """A one-page PDF using every face and a chart (to warm the fonts and shaping up)."""
    from reportlab.platypus import SimpleDocTemplate

    from irdesk.report.flow import markdown

    register_fonts()
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, initialFontName=REGULAR)
    doc.build(markdown("**b** *i* `m` שלום مرحبا 中文\n\n| a | b |\n|---|---|\n| 1 | 2 |"))
    return out.getvalue()
