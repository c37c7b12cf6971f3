"""The text behind ``irdesk book show``: the directory ranked by staleness and reachability,
recurring gaps, action items across incidents, systems, vendors and the register."""

from __future__ import annotations

from datetime import date, timedelta

from irdesk.casefile.book_store import BookFile
from irdesk.domain.book import BookAction, BookContact, FiledEngagement, FiledGap, RegisterEntry, Vendor
from irdesk.domain.metrics import between
from irdesk.domain.moment import format_duration
from irdesk.domain.readiness import OpenAction, actions_across, by_time, rank_contacts, recurring_gaps
from irdesk.domain.records import System


def render_book(book: BookFile, today: date | None = None) -> str:
    """The whole book as text; read inside ``book.verified()``."""
    today = today or book.clock().local.date()
    b = book.book()
    entries: dict[str, RegisterEntry] = {e.id: e for e in book.records.all(RegisterEntry)}
    lines = [b.title, "=" * min(len(b.title), 78), f"{b.tlp.label} · readiness book",
             f"Fingerprint {book.fingerprint()}", ""]
    incidents = [e for e in entries.values() if not e.drill]
    lines.append(f"Register: {len(incidents)} incident(s), {len(entries) - len(incidents)} drill(s) filed")
    for e in by_time(entries.values()):
        marks = [e.tlp.label] + (["DRILL"] if e.drill else [])
        lines.append(f"  {_day(e)}  {e.title} ({', '.join(marks)}): detect "
                     f"{format_duration(between(e.first_activity_at, e.detected_at))}, contain "
                     f"{format_duration(between(e.detected_at, e.contained_at))}, recover "
                     f"{format_duration(between(e.detected_at, e.recovered_at))}  [{e.id}]")

    lines += ["", "Contacts, stalest and slowest to reach first"]
    ranked = rank_contacts(book.records.all(BookContact), book.records.all(FiledEngagement), entries, today,
                           b.stale_after_days)
    if not ranked:
        lines.append("  the directory is empty")
    for s in ranked:
        flag = "STALE " if s.stale else ""
        lines.append(f"  {flag}{s.contact.name}{_role(s.contact)}: {s.staleness()}")
        lines.append(f"      incidents: {s.incidents.sentence()}")
        if s.drills.cases:
            lines.append(f"      drills: {s.drills.sentence('drills')}")
        if s.contact.escalation:
            lines.append(f"      escalation: {s.contact.escalation}")

    gaps = book.records.all(FiledGap)
    lines += ["", "Recurring gaps"]
    found = recurring_gaps(entries.values(), gaps) + recurring_gaps(entries.values(), gaps, drills=True)
    lines += [f"  {g.sentence()}" for g in recurring_gaps(entries.values(), gaps)]
    lines += [f"  {g.sentence('drills')}" for g in recurring_gaps(entries.values(), gaps, drills=True)]
    if not found:
        lines.append("  none: no gap came back with the same system, team or vendor")

    across = actions_across(book.records.all(BookAction), entries, today)
    lines += ["", f"Action items across all incidents: {len(across.open)} open, {len(across.overdue)} overdue, "
              f"{len(across.untested)} implemented but not yet tested"]
    lines += [_action(a) for a in across.open]

    systems = book.records.all(System)
    names = {c.id: c.name for c in book.records.all(BookContact, include_deleted=True)}
    lines += ["", f"Systems and log sources: {len(systems)}"]
    for system in systems:
        retention = f"{system.retention_days} d retention" if system.retention_days is not None else "retention unknown"
        owner = f", owner {names.get(system.owner_id, '?')}" if system.owner_id else ""
        last = (f"; logs took {format_duration(_minutes(system.last_obtained_minutes))} on "
                f"{system.last_obtained_on}" if system.last_obtained_minutes is not None else "")
        lines.append(f"  {system.name}: {system.logs or 'logs not described'} ({retention}{owner}){last}")
    vendors = book.records.all(Vendor)
    if vendors:
        lines += ["", f"Vendors: {len(vendors)}"]
        for v in vendors:
            details = ", ".join(x for x in (v.support_line, f"SLA {v.sla}" if v.sla else "",
                                            f"contract {v.contract_ref}" if v.contract_ref else "",
                                            f"may call: {v.may_call}" if v.may_call else "") if x)
            lines.append(f"  {v.name}: {details or 'no details'}")
    return "\n".join(lines)


def _day(entry: RegisterEntry) -> str:
    when = entry.detected_at or entry.first_activity_at or entry.filed_at
    return when.local.date().isoformat()


def _role(contact: BookContact) -> str:
    parts = [p for p in (contact.role, contact.team or contact.organisation) if p]
    return f" ({', '.join(parts)})" if parts else ""


def _action(a: OpenAction) -> str:
    due = f", due {a.item.due.isoformat()}" if a.item.due else ""
    late = " OVERDUE" if a.overdue else ""
    owner = f" ({a.item.owner}{due})" if a.item.owner else (f" ({due[2:]})" if due else "")
    return f"  [{a.item.status.value}]{late} {a.item.title}{owner} — {a.entry.title}"


def _minutes(value: int | None) -> timedelta | None:
    return None if value is None else timedelta(minutes=value)
