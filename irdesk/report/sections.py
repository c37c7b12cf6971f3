"""The executive summary, the timeline and the notes phase by phase."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from irdesk.domain.enums import Phase
from irdesk.domain.moment import format_duration
from irdesk.report.content import ReportContent
from irdesk.report.flow import cell, fixed, markdown, note_flow, table
from irdesk.report.headings import heading
from irdesk.report.markup import escape
from irdesk.report.timeline import key_times
from irdesk.report.timeline import timeline as timeline_chart

SUMMARY_LABELS = (
    ("cause", "Cause of the incident"),
    ("effects", "Effects"),
    ("handling", "How it was managed"),
    ("worked", "Where the process worked"),
    ("failed", "Where the process failed"),
)


def summary(c: ReportContent, width: float) -> list[Flowable]:
    flow: list[Flowable] = []
    missing = [label for name, label in SUMMARY_LABELS if name in c.missing_summary]
    if len(missing) == len(SUMMARY_LABELS):
        flow.append(fixed("<b>DRAFT:</b> <i>the post-incident summary has not been written yet.</i>", "body"))
    elif missing:
        flow.append(
            fixed(
                "<b>DRAFT:</b> the post-incident summary is not complete. Not written yet: "
                f"{escape(', '.join(m.lower() for m in missing))}.",
                "body",
            )
        )
    for name, label in SUMMARY_LABELS:
        text = getattr(c.case, name)
        if text.strip():
            flow.append(fixed(escape(label), "h2"))
            flow += markdown(text, "body")
    return flow


def timeline(c: ReportContent, width: float) -> list[Flowable]:
    drawing = timeline_chart(c.case, c.notes, width)
    flow: list[Flowable] = []
    if drawing is None:
        flow.append(fixed("<i>Too few times recorded to draw a timeline.</i>", "body"))
    else:
        flow.append(drawing)
    keys = key_times(c.case)
    if not keys:
        return flow
    detected = c.case.detected_at
    rows = []
    for key in keys:
        since = "—"
        if detected is not None and key.name != "Detected":
            delta = key.at - detected
            since = ("−" if delta.total_seconds() < 0 else "+") + format_duration(abs(delta))
        rows.append([cell(str(key.number)), cell(key.name), cell(key.at.display()), cell(since)])
    flow.append(
        table(["No.", "Key time", "When (local time as entered)", "From detection"], rows,
              [12 * mm, 40 * mm, 60 * mm, width - 112 * mm])
    )
    return flow


def phases(c: ReportContent, width: float) -> list[Flowable]:
    flow: list[Flowable] = [
        fixed(
            "Every note, in the order things happened. A note marked as a gap (\u25b2) is printed "
            "once, here, in its phase.",
            "small",
        )
    ]
    for phase in Phase:
        notes = c.notes[phase]
        flow += [
            heading(phase.label, f"phase-{phase.value}", level=1),
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
