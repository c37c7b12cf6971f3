"""The text summary behind ``irdesk show``: key times, durations, counts, gaps, waits, actions.

The figures are the report's own (``domain.metrics.at_a_glance``, open waits measured to
the same "as of" moment), so what ``show`` prints agrees with page 2 of a report, and the
reports issued are listed with the case fingerprint each one printed.
"""

from __future__ import annotations

from irdesk.casefile.standing import standing_problems
from irdesk.casefile.store import CaseFile, NoteFilter
from irdesk.domain.fingerprint import case_fingerprint
from irdesk.domain.metrics import WaitFigures, WaitState, at_a_glance
from irdesk.domain.moment import format_duration
from irdesk.domain.records import KEY_TIMES, ActionItem, Contact, Engagement, Evidence, ReportIssue


def render_summary(case: CaseFile) -> str:
    c = case.case()
    lines = [c.title]
    lines.append("=" * min(len(c.title), 78))
    marks = [c.tlp.label, f"severity {c.severity.value}", f"status {c.status.value}"]
    if c.drill:
        marks.insert(0, "DRILL")
    if c.codename:
        marks.insert(0, f"codename {c.codename}")
    lines.append(" · ".join(marks))
    lines.append(f"Fingerprint {case.fingerprint()}")
    lines.append("")
    lines.append("Key times")
    for name in KEY_TIMES:
        value = getattr(c, name)
        label = name.removesuffix("_at").replace("_", " ").capitalize()
        lines.append(f"  {label:<16}{value.display() if value else '—'}")
    gap_notes = case.notes.page(NoteFilter(gaps_only=True))
    contacts: dict[str, Contact] = {x.id: x for x in case.records.all(Contact, include_deleted=True)}
    actions = case.records.all(ActionItem)
    glance = at_a_glance(
        c,
        engagements=case.records.all(Engagement),
        contacts=contacts,
        evidence=case.records.all(Evidence),
        gap_notes=gap_notes,
        actions=actions,
        made_at=case.clock(),
    )
    d = glance.durations
    lines.append("")
    lines.append(f"Figures as of {glance.as_of.display()}")
    lines.append(f"Time to detect   {format_duration(d.time_to_detect)}")
    lines.append(f"Time to contain  {format_duration(d.time_to_contain)}")
    lines.append(f"Time to recover  {format_duration(d.time_to_recover)}")
    lines.append(f"Time to engage people    {_waits(glance.people, 'reached', 'not reached')}")
    lines.append(f"Time to obtain evidence  {_waits(glance.evidence, 'obtained', 'still waited for')}")
    counts = case.counts()
    lines.append("")
    lines.append(
        f"{counts['note']} notes · {counts['evidence']} evidence items · {counts['contact']} contacts · "
        f"{counts['engagement']} engagements · {counts['action']} action items · {counts['attachment']} attachments"
    )
    lines.append("")
    lines.append("Where the response slowed down")
    if glance.gaps:
        for gap, count in glance.gaps.items():
            lines.append(f"  {gap.label:<16}{count} note(s)")
    else:
        lines.append("  no gaps recorded")
    pending = [e for e in case.records.all(Evidence) if e.status.value in ("needed", "requested")]
    if pending:
        lines.append("")
        lines.append(f"Evidence still outstanding: {len(pending)}")
        for e in pending[:5]:
            state = "never requested" if e.requested_at is None else e.status.value
            lines.append(f"  [{state}] {e.label}")
    open_items = [a for a in actions if not a.status.settled]
    lines.append("")
    lines.append(glance.actions.sentence())
    lines.append(f"Open action items: {len(open_items)}")
    for a in open_items:
        due = f", due {a.due.isoformat()}" if a.due else ""
        owner = f" ({a.owner}{due})" if a.owner else ""
        lines.append(f"  [{a.status.value}] {a.title}{owner}")
    problems = standing_problems(case)
    if problems:
        lines.append("")
        lines.append("To fix (recorded before today's rules; the figures above use them as they are)")
        lines += [f"  {p}" for p in problems]
    lines += deadline_lines(case)
    lines += _reports(case)
    return "\n".join(lines)


def _waits(f: WaitFigures, done: str, waiting: str) -> str:
    """'median 3 h 00 min, longest 13 h 00 min (Backup appliance support); 6 reached'."""
    if f.median is None and f.longest is None:
        text = "nothing measured"
    else:
        text = f"median {format_duration(f.median)}"
        if f.longest is not None:
            still = " and still waiting" if f.longest.state is WaitState.WAITING else ""
            text += f", longest {format_duration(f.longest.waited)}{still} ({f.longest.subject})"
    extra = [f"{f.done} {done}"]
    for count, what in ((f.waiting, waiting), (f.unavailable, "unavailable"), (f.never_requested, "never requested")):
        if count:
            extra.append(f"{count} {what}")
    return f"{text}; {', '.join(extra)}"


def _reports(case: CaseFile) -> list[str]:
    """Every report made from the case, with the fingerprint it printed (to match a printout)."""
    issued = sorted(case.records.all(ReportIssue), key=lambda r: r.created.utc)
    lines = ["", f"Reports issued: {len(issued)}"]
    for r in issued:
        signer = f"signed by {r.signer_name}" if r.signed else "unsigned"
        printed = case_fingerprint(case.case_id, r.chain_head)
        lines.append(f"  {r.report_id}  {r.created.display()}  fingerprint {printed}  {signer}")
    return lines


TAGS = {"met": "met", "late": "LATE", "open": "open", "overdue": "OVERDUE", "not-triggered": "waiting",
        "sent": "sent"}


def deadline_lines(case: CaseFile) -> list[str]:
    """Every regulatory deadline with its state, as of the case's clock (nothing without regimes)."""
    from irdesk.casefile.operations import deadlines
    from irdesk.domain.regimes import Trigger

    now = case.clock()
    found = deadlines(case, now)
    if not found:
        return []
    lines = ["", f"Regulatory deadlines (as of {now.display()})"]
    for d in found:
        lines.append(f"  {'[' + TAGS[d.state.value] + ']':<10}{d.label}: {d.describe()}")
        details = [f"due {d.due.display()}" if d.due else d.basis]
        start = d.stage.limit.start
        if d.state.value == "not-triggered" and isinstance(start, Trigger):
            verb = "record" if getattr(d.regime, start.value) is None else "fix"  # out of range
            details.append(f"{verb} it with: irdesk regime set CASE {d.regime.kind.value} {start.option} TIME")
        if d.sent is not None:
            details.append(f"sent {d.sent.sent_at.display()}")
            if d.sent.reference:
                details.append(f"ref. {d.sent.reference}")
        lines.append(" " * 12 + " · ".join(details))
        if d.sent is not None and d.sent.late_reason:
            lines.append(" " * 12 + f"reason for the delay: {d.sent.late_reason}")
        elif d.state.value == "late":
            lines.append(" " * 12 + "no reason for the delay is recorded")
    return lines
