"""The first half of the report: cover, executive summary, key metrics, timeline, gaps, phases."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Spacer, Table, TableStyle

from irdesk.domain.enums import Gap, Phase
from irdesk.domain.metrics import Wait
from irdesk.domain.moment import format_duration
from irdesk.domain.records import KEY_TIMES
from irdesk.report import charts
from irdesk.report.charts import ACCENT, GAP, RULE
from irdesk.report.content import ReportContent
from irdesk.report.flow import cell, clip, fixed, markdown, note_flow, para, plain, table
from irdesk.report.markup import escape
from irdesk.report.styles import TLP_COLOURS, css

SUMMARY_LABELS = (
    ("cause", "Cause of the incident"),
    ("effects", "Effects"),
    ("handling", "How it was managed"),
    ("worked", "Where the process worked"),
    ("failed", "Where the process failed"),
)


def cover(c: ReportContent, width: float) -> list[Flowable]:
    case = c.case
    flow: list[Flowable] = [
        Spacer(1, 30 * mm),
        fixed("After-action report", "title"),
        para(case.title, "subtitle"),
    ]
    badge = Table(
        [
            [
                fixed(
                    f'<font color="{css(TLP_COLOURS[case.tlp])}">'
                    f"<b>{escape(case.tlp.label)}</b></font>",
                    "body",
                )
            ]
        ],
        colWidths=[max(30 * mm, 6 * mm + 2.6 * mm * len(case.tlp.label))],
        hAlign="LEFT",
        style=TableStyle(
            [("BACKGROUND", (0, 0), (-1, -1), "#000000"), ("TOPPADDING", (0, 0), (-1, -1), 4)]
        ),
    )
    flow += [badge, Spacer(1, 8 * mm)]
    if case.drill:
        flow.append(
            fixed(
                '<font color="ir-drill"><b>DRILL — this report describes an exercise, '
                "not a real incident.</b></font>",
                "body",
            )
        )
    rows = [
        ("Codename", plain(clip(case.codename)) or "—"),
        ("Severity", escape(case.severity.value.capitalize())),
        ("Status", escape(case.status.value.capitalize())),
        ("Responder", plain(clip(c.responder))),
        ("Date of report", escape(c.made_at.display())),
        ("Case fingerprint", f"<b>{escape(c.fingerprint)}</b>"),
        ("Report ID", f"<b>{escape(c.report_id)}</b>"),
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
        rows.append(
            ("Signature", "Unsigned: this copy cannot be checked with <i>irdesk verify</i>.")
        )
    grid = Table(
        [[fixed(escape(k), "small"), fixed(v, "body")] for k, v in rows],
        colWidths=[38 * mm, width - 38 * mm],
        hAlign="LEFT",
        style=TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
            ]
        ),
    )
    flow += [
        grid,
        Spacer(1, 10 * mm),
        fixed(
            "This report is written for senior staff. It covers the cause of the incident, "
            "its effects, how it was managed, where the process worked and where it failed, "
            "and what will change. Every page carries the report ID and the case fingerprint, "
            "so a printed page can be matched to the signed file.",
            "small",
        ),
        PageBreak(),
    ]
    return flow


def summary(c: ReportContent) -> list[Flowable]:
    flow: list[Flowable] = [fixed("1. Executive summary", "h1")]
    filled = False
    for name, label in SUMMARY_LABELS:
        text = getattr(c.case, name)
        if text.strip():
            filled = True
            flow.append(fixed(escape(label), "h2"))
            flow += markdown(text, "body")
    if not filled:
        flow.append(fixed("<i>The post-incident summary has not been written yet.</i>", "body"))
    return flow


def metrics(c: ReportContent, width: float) -> list[Flowable]:
    d = c.durations
    tiles = [
        ("Time to detect", d.time_to_detect, "first activity → detected"),
        ("Time to contain", d.time_to_contain, "detected → contained"),
        ("Time to recover", d.time_to_recover, "detected → recovered"),
    ]
    cells = [
        [fixed(escape(format_duration(v)), "metric") for _, v, _ in tiles],
        [fixed(f"<b>{escape(t)}</b><br/>{escape(h)}", "metriclabel") for t, _, h in tiles],
    ]
    grid = Table(
        cells,
        colWidths=[width / 3] * 3,
        hAlign="LEFT",
        style=TableStyle(
            [
                ("LINEABOVE", (0, 0), (-1, 0), 2, ACCENT),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        ),
    )
    flow: list[Flowable] = [
        CondPageBreak(80 * mm),
        fixed("2. Key metrics", "h1"),
        grid,
        Spacer(1, 4 * mm),
        fixed("Key times", "h2"),
    ]
    rows = []
    for name in KEY_TIMES:
        value = getattr(c.case, name)
        label = name.removesuffix("_at").replace("_", " ").capitalize()
        rows.append([cell(label), cell(value.display() if value else "—")])
    flow.append(table(["Moment", "When (local time as entered)"], rows, [50 * mm, width - 50 * mm]))
    flow += _wait_table("Longest waits for a person", c.person_waits, width)
    flow += _wait_table("Longest waits for evidence", c.evidence_waits, width)
    return flow


def _wait_table(title: str, waits: list[Wait], width: float, limit: int = 5) -> list[Flowable]:
    flow: list[Flowable] = [fixed(escape(title), "h2")]
    if not waits:
        return [*flow, fixed("<i>None recorded.</i>", "body")]
    rows = [
        [
            cell(format_duration(w.waited) + ("" if w.resolved else " (still waiting)")),
            cell(w.subject),
            cell(w.purpose),
            cell(w.started.display()),
        ]
        for w in waits[:limit]
    ]
    return [
        *flow,
        table(
            ["Waited", "For", "Purpose", "From"],
            rows,
            [30 * mm, 45 * mm, width - 115 * mm, 40 * mm],
        ),
    ]


def timeline(c: ReportContent, width: float) -> list[Flowable]:
    drawing = charts.timeline(c.case, c.notes, width)
    flow: list[Flowable] = [CondPageBreak(70 * mm), fixed("3. Timeline", "h1")]
    if drawing is None:
        return [*flow, fixed("<i>Too few times recorded to draw a timeline.</i>", "body")]
    return [
        *flow,
        drawing,
        fixed(
            "Each dot is a note, on the lane of its phase; orange dots mark where the "
            "response slowed down. Dashed rules are the case's key times; ◂ and ▸ count the "
            "notes before and after the period shown.",
            "small",
        ),
    ]


def gaps(c: ReportContent, width: float) -> list[Flowable]:
    flow: list[Flowable] = [
        CondPageBreak(60 * mm),
        fixed("4. Where the response slowed down", "h1"),
    ]
    grouped: dict[Gap, list] = {}
    for note in c.gap_notes:
        grouped.setdefault(note.gap, []).append(note)  # type: ignore[arg-type]
    if not grouped:
        flow.append(fixed("<i>No note was marked as a gap.</i>", "body"))
    else:
        summary_line = ", ".join(
            f"{g.label.lower()} {len(grouped[g])}" for g in Gap if g in grouped
        )
        flow.append(
            fixed(
                f"{sum(len(v) for v in grouped.values())} notes mark a gap: "
                f"{escape(summary_line)}.",
                "body",
            )
        )
    for gap in Gap:
        if gap not in grouped:
            continue
        flow.append(
            fixed(
                f'<font color="{css(GAP)}">■</font> {escape(gap.label)} ({len(grouped[gap])})', "h2"
            )
        )
        for note in grouped[gap]:
            flow += note_flow(note, show_phase=True)
    for title, rows in (
        ("Delay per contact (needed → reached)", c.person_waits),
        ("Delay per evidence item (requested → collected)", c.evidence_waits),
    ):
        drawing = charts.waits(rows, width)
        heading = fixed(escape(title), "h2")
        if drawing is None:
            flow.append(KeepTogether([heading, fixed("<i>None recorded.</i>", "body")]))
        else:  # a chart never leaves its heading or its legend behind on another page
            legend = fixed("Blue: resolved. Amber: still waiting when the report was made.", "small")
            flow.append(KeepTogether([heading, drawing, legend]))
    return flow


def phases(c: ReportContent) -> list[Flowable]:
    flow: list[Flowable] = [CondPageBreak(120 * mm), fixed("5. The response, phase by phase", "h1")]
    for phase in Phase:
        notes = c.notes[phase]
        flow += [
            fixed(escape(phase.label), "h2"),
            fixed(
                f"CSF 2.0: {escape(phase.csf)} · {len(notes)} note{'s' if len(notes) != 1 else ''}",
                "csf",
            ),
        ]
        if not notes:
            flow.append(fixed("<i>No notes in this phase.</i>", "body"))
        for note in notes:
            flow += note_flow(note)
    return flow
