"""The text summary behind ``irdesk show``: key times, durations, counts, gaps, waits, actions."""

from __future__ import annotations

from irdesk.casefile.standing import standing_problems
from irdesk.casefile.store import CaseFile, NoteFilter
from irdesk.domain.metrics import gap_counts, key_durations, person_waits
from irdesk.domain.moment import format_duration
from irdesk.domain.records import KEY_TIMES, ActionItem, Contact, Engagement, Evidence


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
    d = key_durations(c)
    lines.append("")
    lines.append(f"Time to detect   {format_duration(d.time_to_detect)}")
    lines.append(f"Time to contain  {format_duration(d.time_to_contain)}")
    lines.append(f"Time to recover  {format_duration(d.time_to_recover)}")
    counts = case.counts()
    lines.append("")
    lines.append(
        f"{counts['note']} notes · {counts['evidence']} evidence items · {counts['contact']} contacts · "
        f"{counts['engagement']} engagements · {counts['action']} action items · {counts['attachment']} attachments"
    )
    gaps = gap_counts(case.notes.page(NoteFilter(gaps_only=True)))
    lines.append("")
    lines.append("Where the response slowed down")
    if gaps:
        for gap, count in gaps.items():
            lines.append(f"  {gap.label:<16}{count} note(s)")
    else:
        lines.append("  no gaps recorded")
    contacts: dict[str, Contact] = {x.id: x for x in case.records.all(Contact, include_deleted=True)}
    waits = person_waits(case.records.all(Engagement), contacts)[:3]
    if waits:
        lines.append("")
        lines.append("Longest waits for a person")
        for w in waits:
            state = "" if w.resolved else " (still waiting)"
            lines.append(f"  {format_duration(w.waited):<14}{w.subject}: {w.purpose}{state}")
    pending = [e for e in case.records.all(Evidence) if e.status.value in ("needed", "requested")]
    if pending:
        lines.append("")
        lines.append(f"Evidence still outstanding: {len(pending)}")
        for e in pending[:5]:
            lines.append(f"  [{e.status.value}] {e.label}")
    open_items = [a for a in case.records.all(ActionItem) if not a.status.settled]
    lines.append("")
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
    return "\n".join(lines)
