"""What will change: each action item with its owner, due date, status, an overdue flag and
the gap it fixes; then the gaps that no action item fixes yet."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from irdesk.domain.metrics import gaps_without_action, is_overdue
from irdesk.domain.records import Note
from irdesk.report.content import ReportContent
from irdesk.report.flow import cell, clip, fixed, table
from irdesk.report.headings import heading
from irdesk.report.markup import escape

UNFIXED_LISTED = 20  # gap notes without an action listed here; the delays section counts them all
EXCERPT_WORDS = 9  # a gap note is named by its first words; it is printed in full once, in its phase


def excerpt(note: Note, words: int = EXCERPT_WORDS) -> str:
    """The first words of a note, always cut (with "…"), so a note is never printed twice."""
    found = note.body.replace("**", "").replace("`", "").split()
    keep = max(1, min(words, len(found) - 2))
    return clip(" ".join(found[:keep]), 120) + "…"


def gap_reference(note: Note) -> str:
    """'Access gap, 2026-10-12 11:40, detection: Needed the hypervisor console to…'

    An action may come from a note that is not marked as a gap; it is named as a note.
    """
    when = f"{note.occurred.local:%Y-%m-%d %H:%M}"
    phase = note.phase.value.replace("-", " ")
    what = f"{note.gap.label} gap" if note.gap else "Note (not marked as a gap)"
    return f"{what}, {when}, {phase}: {excerpt(note)}"


def section(c: ReportContent, width: float) -> list[Flowable]:
    g = c.glance
    flow: list[Flowable] = [
        fixed(
            f"<b>{escape(g.actions.sentence())}</b> The case can only be closed when every item "
            "is tested or waived with a reason.",
            "body",
        )
    ]
    today = c.made_at.local.date()
    if not c.actions:
        flow.append(fixed("<i>No action items yet.</i>", "body"))
    else:
        rows = []
        for a in c.actions:
            detail = a.title
            if a.waived_reason:
                detail += f"\nWaived: {a.waived_reason}"
            if a.verification:
                detail += f"\nVerification: {a.verification}"
            source = c.notes_by_id.get(a.source_note_id) if a.source_note_id else None
            if source is not None:
                fixes = gap_reference(source)
            elif a.source_note_id:
                fixes = "a note that was deleted"
            else:
                fixes = "—"
            overdue = is_overdue(a, today)
            due = escape(a.due.isoformat()) if a.due else "—"
            rows.append(
                [
                    cell(detail),
                    cell(a.owner or "—"),
                    fixed(f"<b>{due}<br/>\u25b2 OVERDUE</b>" if overdue else due, "cell"),
                    cell(a.status.value.capitalize()),
                    cell(fixes),
                ]
            )
        flow.append(
            table(
                ["Action", "Owner", "Due", "Status", "The gap it fixes"],
                rows,
                [width - 122 * mm, 26 * mm, 22 * mm, 24 * mm, 50 * mm],
            )
        )
        flow.append(
            fixed(
                f"Overdue: past its due date on {escape(today.isoformat())} (the date of this report) "
                "and neither tested nor waived.",
                "small",
            )
        )
    flow.append(heading("Gaps without an action", "actions-unfixed", level=1))
    unfixed = gaps_without_action(c.gap_notes, c.actions)
    if not unfixed:
        flow.append(fixed("<i>Every gap note has an action item that fixes it.</i>", "body"))
        return flow
    many = len(unfixed) > UNFIXED_LISTED
    listed = (f" The first {UNFIXED_LISTED}, by time, are listed; “Where the response slowed down” counts "
              "all of them by category." if many else "")
    flow.append(
        fixed(
            f"{len(unfixed)} note{'s' if len(unfixed) != 1 else ''} marked as a gap "
            f"{'have' if len(unfixed) != 1 else 'has'} no action item yet.{listed} Each is printed in full "
            "in its phase below.",
            "lead-in",
        )
    )
    rows = [
        [
            cell(n.occurred.display()),
            cell(n.gap.label if n.gap else ""),
            cell(n.phase.label),
            cell(excerpt(n, 14)),
        ]
        for n in unfixed[:UNFIXED_LISTED]
    ]
    flow.append(table(["When", "Gap", "Phase", "Note"], rows, [30 * mm, 28 * mm, 36 * mm, width - 94 * mm]))
    if many:
        flow.append(fixed(f"…and {len(unfixed) - UNFIXED_LISTED:,} more gap notes without an action.", "small"))
    return flow
