"""The whole case as one readable Markdown document, notes grouped by phase.

Note bodies are Markdown already; each is quoted (every line prefixed with ``>``) so a
heading or a table in a note cannot break the document's own structure. Earlier versions
of edited notes and deleted records are included: the document is complete.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO

from irdesk import __version__
from irdesk.casefile.store import CaseFile
from irdesk.domain import attack
from irdesk.domain.enums import Phase
from irdesk.domain.metrics import key_durations
from irdesk.domain.moment import Moment, format_duration
from irdesk.domain.records import (
    KEY_TIMES,
    ActionItem,
    Attachment,
    ChecklistItem,
    Contact,
    Engagement,
    Evidence,
    Indicator,
    Note,
    Notification,
    Regime,
    ReportIssue,
    Revision,
    Settlement,
)

_SUMMARY = (("cause", "Cause"), ("effects", "Effects"), ("handling", "How it was handled"),
            ("worked", "What worked"), ("failed", "What failed"))


def cell(value: object) -> str:
    """Text for a table cell: pipes escaped, line breaks kept as <br>."""
    if value is None or value == "":
        return "—"
    text = value.display() if isinstance(value, Moment) else str(value)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r\n", "\n").replace(
        "\n", "<br>")


def quote(text: str) -> str:
    return "\n".join(f"> {line}".rstrip() for line in text.splitlines() or [""])


def table(headers: Iterable[str], rows: Iterable[Iterable[object]]) -> list[str]:
    headers = list(headers)
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return lines


def render(case: CaseFile) -> Iterable[str]:
    """The document, one line at a time."""
    c = case.case()
    yield f"# {c.title}"
    yield ""
    marks = [f"**{c.tlp.label}**", f"severity {c.severity.value}", f"status {c.status.value}"]
    if c.drill:
        marks.insert(0, "**EXERCISE**")
    if c.codename:
        marks.append(f"codename {c.codename}")
    yield " · ".join(marks)
    yield ""
    yield (f"Case `{c.id}` · fingerprint `{case.fingerprint()}` · {case.chain_length} audit "
           f"entries · exported {case.clock().display()} by irdesk {__version__}")
    yield ""
    yield "## Key times"
    yield ""
    rows = [(n.removesuffix("_at").replace("_", " ").capitalize(), getattr(c, n))
            for n in KEY_TIMES]
    d = key_durations(c)
    rows += [("Time to detect", format_duration(d.time_to_detect)),
             ("Time to contain", format_duration(d.time_to_contain)),
             ("Time to recover", format_duration(d.time_to_recover))]
    yield from table(("", "When"), rows)
    yield ""
    yield "## Post-incident summary"
    for field, label in _SUMMARY:
        yield ""
        yield f"**{label}.** {getattr(c, field) or '—'}"
    yield from _notes(case)
    yield from _evidence(case)
    yield from _contacts(case)
    yield from _small_tables(case)


def _notes(case: CaseFile) -> Iterable[str]:
    notes = sorted(case.records.iter_all(Note), key=lambda n: (n.occurred.utc, n.created.utc))
    histories: dict[str, list[Revision]] = {}
    for revision in case.records.all_revisions(Note):
        histories.setdefault(revision.record.id, []).append(revision)
    settled = {(s.record_id, s.settled_rev): s.how.label for s in case.records.all(Settlement)}
    for phase in Phase:
        in_phase = [n for n in notes if n.phase is phase]
        yield ""
        yield f"## {phase.label}"
        yield ""
        yield f"*CSF 2.0: {phase.csf}* · {sum(not n.deleted for n in in_phase)} note(s)"
        for note in in_phase:
            yield ""
            extra = [f"gap: {note.gap.label}"] if note.gap else []
            extra += [f"#{tag}" for tag in note.tags]
            extra += [f"ATT&CK {cell(attack.flag(t))}" for t in note.attack]
            extra += ["**deleted**"] if note.deleted else []
            tail = f" · {' · '.join(extra)}" if extra else ""
            yield f"### {note.occurred.display()} — {cell(note.author)}{tail}"
            yield ""
            yield quote(note.body)
            history = histories.get(note.id, [])
            if history:
                yield ""
                yield f"*Written {note.created.display()}; edited {len(history)} time(s). " \
                      "Earlier versions:*"
                for revision in history:
                    yield ""
                    kind = "competing version" if revision.conflict else "version"
                    how = settled.get((revision.record.id, revision.record.rev))
                    if revision.conflict and how:
                        kind += f" (settled: {how})"
                    yield f"- {kind} by {cell(revision.record.author)}, replaced " \
                          f"{revision.superseded.display()}:"
                    yield ""
                    body = getattr(revision.record, "body", "")
                    yield "  " + quote(body).replace("\n", "\n  ")


def _evidence(case: CaseFile) -> Iterable[str]:
    items = case.records.all(Evidence, include_deleted=True)
    names: dict[str, str] = {c.id: c.name for c in case.records.all(Contact, include_deleted=True)}
    yield ""
    yield "## Evidence"
    yield ""
    yield from table(("Label", "Kind", "Source", "Status", "Requested from", "Requested",
                      "Collected", "Holder", "Location", "SHA-256"),
                     ((e.label + (" (deleted)" if e.deleted else ""), e.kind.value,
                       e.source_system, e.status.value + (f": {e.unavailable_reason}"
                                                          if e.unavailable_reason else ""),
                       names.get(e.requested_from or "", ""), e.requested_at, e.collected_at,
                       e.holder, e.location or e.path, e.sha256) for e in items))
    for item in items:
        custody = case.custody_for(item.id)
        if custody:
            yield ""
            yield f"**Chain of custody: {cell(item.label)}**"
            yield ""
            yield from table(("When", "Action", "By", "To", "Where", "Note"),
                             ((e.at, e.action.value, e.by_whom, e.to_whom, e.location, e.note)
                              for e in custody))


def _contacts(case: CaseFile) -> Iterable[str]:
    contacts = case.records.all(Contact, include_deleted=True)
    names = {c.id: c.name for c in contacts}
    yield ""
    yield "## Contacts"
    yield ""
    yield from table(("Name", "Organisation", "Role", "Kind", "Phone", "E-mail", "Out of band",
                      "Can grant", "Verified", "Notes"),
                     ((c.name + (" (deleted)" if c.deleted else ""),
                       " / ".join(x for x in (c.organisation, c.team) if x), c.role,
                       c.kind.value, c.phone, c.email, c.out_of_band, c.grants_access,
                       c.last_verified, c.notes) for c in contacts))
    engagements = sorted(case.records.all(Engagement), key=lambda e: e.needed_at.utc)
    yield ""
    yield "### Engagements"
    yield ""
    yield from table(("Who", "Purpose", "Needed", "First attempt", "Reached", "Resolved",
                      "Wait", "Outcome"),
                     ((names.get(e.contact_id, "?"), e.purpose, e.needed_at, e.first_attempt_at,
                       e.reached_at, e.resolved_at,
                       format_duration(e.reached_at - e.needed_at) if e.reached_at else "—",
                       e.outcome) for e in engagements))


def _small_tables(case: CaseFile) -> Iterable[str]:
    yield ""
    yield "## Indicators"
    yield ""
    yield from table(("Kind", "Value", "Description", "First seen", "ATT&CK"),
                     ((i.kind.value, f"`{i.value}`", i.description, i.first_seen,
                       "; ".join(attack.flag(t) for t in i.attack))
                      for i in case.records.all(Indicator)))
    yield ""
    yield "## Action items"
    yield ""
    yield from table(("Title", "Owner", "Due", "Status", "Verification"),
                     ((a.title, a.owner, a.due, a.status.value + (f": {a.waived_reason}"
                                                                 if a.waived_reason else ""),
                       a.verification) for a in case.records.all(ActionItem)))
    yield ""
    yield "## Readiness checklist"
    yield ""
    for item in sorted(case.records.all(ChecklistItem), key=lambda i: i.position):
        yield f"- [{'x' if item.done else ' '}] {cell(item.text)}"
    yield ""
    yield "## Attachments"
    yield ""
    yield from table(("Name", "Type", "Size", "SHA-256"),
                     ((a.name, a.media_type, a.size, a.sha256) for a in case.records.all(Attachment)))
    regimes = case.records.all(Regime)
    if regimes:
        from irdesk.domain.deadlines import schedule

        names = {c.id: c.name for c in case.records.all(Contact, include_deleted=True)}
        yield ""
        yield "## Regulatory notifications"
        yield ""
        yield from table(("Deadline", "Due", "State", "Sent", "To", "Reference", "Reason for the delay"),
                         ((d.label, d.due, d.describe(), d.sent.sent_at if d.sent else "",
                           names.get(d.sent.contact_id, "") if d.sent else "", d.sent.reference if d.sent else "",
                           d.sent.late_reason if d.sent else "")
                          for d in schedule(regimes, case.records.all(Notification), case.clock())))
    reports = case.records.all(ReportIssue)
    if reports:
        yield ""
        yield "## Reports issued"
        yield ""
        yield from table(("Report", "Chain head", "Signed by"),
                         ((r.report_id, r.chain_head, r.signer_name if r.signed else "unsigned")
                          for r in reports))
    yield ""


def write_markdown(case: CaseFile, out: IO[str]) -> int:
    """Write the document; returns the number of lines."""
    count = 0
    for line in render(case):
        out.write(line + "\n")
        count += 1
    return count
