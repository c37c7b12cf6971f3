"""The cover: what this report is, its marks, the full case fingerprint, and the contents."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle
from reportlab.platypus.tableofcontents import TableOfContents

from irdesk.report.content import ReportContent
from irdesk.report.flow import clip, fixed, para, plain
from irdesk.report.glance import as_of_reason
from irdesk.report.markup import escape
from irdesk.report.palette import RULE
from irdesk.report.styles import TLP_COLOURS, css, styles


def marks(c: ReportContent) -> tuple[str, ...]:
    """The words every page prints while the report is not final."""
    return (*(("DRAFT",) if c.draft else ()), *(("INTERIM",) if c.interim else ()))


def contents() -> TableOfContents:
    """The table of contents: section titles and page numbers, filled in by the layout's passes."""
    return TableOfContents(dotsMinLevel=0, levelStyles=[styles()["toc"]])


def cover(c: ReportContent, width: float, toc: TableOfContents) -> list[Flowable]:
    case = c.case
    flow: list[Flowable] = [
        Spacer(1, 14 * mm),
        fixed("After-action report", "title"),
        para(case.title, "subtitle"),
    ]
    badge = Table(
        [[fixed(f'<font color="{css(TLP_COLOURS[case.tlp])}"><b>{escape(case.tlp.label)}</b></font>', "body")]],
        colWidths=[max(30 * mm, 6 * mm + 2.6 * mm * len(case.tlp.label))],
        hAlign="LEFT",
        style=TableStyle([("BACKGROUND", (0, 0), (-1, -1), "#000000"), ("TOPPADDING", (0, 0), (-1, -1), 4)]),
    )
    flow += [badge, Spacer(1, 4 * mm)]
    if case.drill:
        flow.append(
            fixed(
                '<font color="ir-drill"><b>DRILL — this report describes an exercise, '
                "not a real incident.</b></font>",
                "body",
            )
        )
    if c.draft:
        flow.append(fixed("<b>DRAFT</b> — the post-incident summary is not complete.", "body"))
    if c.interim:
        flow.append(
            fixed(
                f"<b>INTERIM</b> — the case is {escape(case.status.value)}, not closed: figures may "
                "still change.",
                "body",
            )
        )
    rows = [
        ("Codename", plain(clip(case.codename)) or "—"),
        ("Severity", escape(case.severity.value.capitalize())),
        ("Status", escape(case.status.value.capitalize())),
        ("Responder", plain(clip(c.responder))),
        ("Date of report", escape(c.made_at.display())),
        ("Figures as of", f"{escape(c.as_of.display())} ({as_of_reason(c)})"),
        ("Report ID", f"<b>{escape(c.report_id)}</b>"),
        (
            "Case fingerprint",
            f"<b>{escape(c.fingerprint)}</b> as reported (pages show the first half as the short "
            "fingerprint)<br/>"
            f'<font face="IRMono" size="6.5">audit-chain head {escape(c.chain_head)}</font>',
        ),
    ]
    if c.signer is not None:
        rows.append(
            (
                "Signed by",
                f"{plain(clip(c.signer.name))}<br/><font size=7>certificate SHA-256 "
                f"{escape(c.signer.fingerprint)}</font>",
            )
        )
    else:
        rows.append(("Signature", "Unsigned: this copy cannot be checked with <i>irdesk verify</i>."))
    grid = Table(
        [[fixed(escape(k), "small"), fixed(v, "body")] for k, v in rows],
        colWidths=[34 * mm, width - 34 * mm],
        hAlign="LEFT",
        style=TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        ),
    )
    flow += [
        grid,
        Spacer(1, 5 * mm),
        fixed("Contents", "h2"),
        toc,
        Spacer(1, 4 * mm),
        fixed(
            "Written for senior staff: page 2 holds the figures at a glance; then the cause, "
            "the effects, how it was managed, what worked and what failed, and what will change. "
            "Every page carries the report ID and the short case fingerprint, so a printed page "
            "can be matched to the signed file.",
            "small",
        ),
    ]
    return flow
