"""Lay the report out (reportlab platypus) and return the PDF bytes."""

from __future__ import annotations

import io
from collections.abc import Callable

from reportlab.lib.pagesizes import A4
from reportlab.platypus import Flowable, SimpleDocTemplate

from irdesk.report import registers, sections
from irdesk.report.content import ReportContent
from irdesk.report.errors import Cancelled
from irdesk.report.fonts import register_fonts
from irdesk.report.notifications import notification_timeline
from irdesk.report.pages import MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X, PageChrome, canvas_maker

Progress = Callable[[int], None]  # percent done, 0-100


def story(c: ReportContent, width: float) -> list[Flowable]:
    return [
        *sections.cover(c, width),
        *sections.summary(c),
        *sections.metrics(c, width),
        *sections.timeline(c, width),
        *sections.gaps(c, width),
        *sections.phases(c),
        *registers.actions(c, width),
        *registers.evidence(c, width),
        *registers.contacts(c, width),
        *notification_timeline(c.deadlines, width, c.everyone),
        *registers.appendix(c, width),
    ]


def render(
    c: ReportContent,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> bytes:
    """The unsigned report as PDF bytes.

    Raises:
        Cancelled: ``cancelled()`` turned true while the pages were laid out.
    """
    register_fonts()
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=f"After-action report: {c.case.title}"[:300],
        author=c.responder[:200],
        creator="irdesk",
        producer="irdesk (reportlab)",
        subject=f"irdesk report {c.report_id}; case fingerprint {c.fingerprint}; "
        f"chain head {c.chain_head}",
        keywords=[c.report_id, c.case.tlp.label],
        lang="en",
    )
    flowables = story(c, doc.width)
    if progress is not None or cancelled is not None:
        total = max(len(flowables), 1)
        done = [0]

        def after(_: Flowable) -> None:
            done[0] += 1
            if done[0] % 50:
                return
            if cancelled is not None and cancelled():
                raise Cancelled()
            if progress is not None:
                progress(min(95, 5 + 90 * done[0] // total))

        doc.afterFlowable = after
    chrome = PageChrome(
        tlp=c.case.tlp,
        case_title=c.case.title,
        report_id=c.report_id,
        short_fingerprint=" ".join(c.fingerprint.split()[:2]),
        drill=c.case.drill,
    )
    doc.build(flowables, canvasmaker=canvas_maker(chrome))
    return out.getvalue()


def render_minimal() -> bytes:
    """A one-page PDF using every face and a chart (to warm the fonts and shaping up)."""
    from reportlab.platypus import Paragraph

    from irdesk.report.markup import blocks
    from irdesk.report.styles import styles

    register_fonts()
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4)
    sample = "**b** *i* `m` שלום مرحبا"
    doc.build([Paragraph(b.markup, styles()["body-rtl"]) for b in blocks(sample)])
    return out.getvalue()
