"""The text behind ``irdesk book show``: the directory ranked by staleness and reachability,
recurring gaps, action items across incidents, systems, vendors and the register."""

from __future__ import annotations

from datetime import date, timedelta

from irdesk.casefile.book_store import BookFile
from irdesk.casefile.book_view import read_book_view
from irdesk.commands.book_trends import quarter_tables
from irdesk.domain.book import BookContact, RegisterEntry
from irdesk.domain.metrics import between
from irdesk.domain.moment import format_duration
from irdesk.domain.readiness import OpenAction


def render_book(book: BookFile, today: date | None = None) -> str:
    """The whole book as text; read inside ``book.verified()``."""
    v = read_book_view(book, today)
    b = v.book
    lines = [b.title, "=" * min(len(b.title), 78), f"{b.tlp.label} · readiness book", f"Fingerprint {v.fingerprint}",
             "", f"Register: {v.incidents} incident(s), {v.drills} drill(s) filed"]
    for drills in (False, True):
        mine = [e for e in v.entries if e.drill == drills]
        if mine and v.drills:  # with drills in the register, incidents and drills under their own headings
            lines.append("  Drills" if drills else "  Incidents")
        lines += [register_line(e, "    " if v.drills else "  ") for e in mine]

    if v.trends:
        lines += ["", f"Getting faster? Over the last {len(v.trends[0].values)} incident(s), oldest first"]
        lines += [f"  {t.sentence()}" for t in v.trends]
    drill_trends = [t for t in v.drill_trends if any(x is not None for x in t.values)]  # a drill detects nothing
    if drill_trends:
        lines += ["", f"Drills: over the last {len(v.drill_trends[0].values)}, oldest first"]
        lines += [f"  {t.sentence()}" for t in drill_trends]
    lines += quarter_tables(v.quarters, v.drill_quarters)

    lines += ["", "Contacts, stalest and slowest to reach first"]
    if not v.contacts:
        lines.append("  the directory is empty")
    for s in v.contacts:
        flag = "STALE " if s.stale else ""
        lines.append(f"  {flag}{s.contact.name}{role(s.contact)}: {s.staleness()}  [{s.contact.id}]")
        lines.append(f"      incidents: {s.incidents.sentence()}")
        if s.drills.cases:
            lines.append(f"      drills: {s.drills.sentence('drills')}")
        if s.contact.escalation:
            lines.append(f"      escalation: {s.contact.escalation}")

    lines += ["", "Recurring gaps"]
    lines += [f"  {g.sentence()}" for g in v.gaps]
    lines += [f"  {g.sentence('drills')}" for g in v.drill_gaps]
    if not v.gaps and not v.drill_gaps:
        lines.append("  none: no gap came back with the same system, team or vendor")

    a = v.actions
    lines += ["", f"Action items across all incidents: {len(a.open)} open, {len(a.overdue)} overdue, "
              f"{len(a.untested)} implemented but not yet tested"]
    lines += [action_line(item) for item in a.open]
    d = v.drill_actions
    if d.open:
        lines += ["", f"Action items from drills: {len(d.open)} open, {len(d.overdue)} overdue, "
                  f"{len(d.untested)} implemented but not yet tested"]
        lines += [action_line(item) for item in d.open]

    lines += ["", f"Systems and log sources: {len(v.systems)}"]
    for system in v.systems:
        retention = f"{system.retention_days} d retention" if system.retention_days is not None else "retention unknown"
        owner = f", owner {v.names.get(system.owner_id, '?')}" if system.owner_id else ""
        seen = v.obtained.get(system.id, [])
        last = (f"; logs took {format_duration(minutes(system.last_obtained_minutes))} on "
                f"{system.last_obtained_on}" if system.last_obtained_minutes is not None else "")
        if len(seen) > 1:
            last += f" (each time: {', '.join(format_duration(d) for d in seen)})"
        drilled = v.drill_obtained.get(system.id, [])
        if drilled:
            last += f"; in drills: {', '.join(format_duration(d) for d in drilled)}"
        lines.append(f"  {system.name}: {system.logs or 'logs not described'} ({retention}{owner}){last}"
                     f"  [{system.id}]")
    if v.vendors:
        lines += ["", f"Vendors: {len(v.vendors)}"]
        for vendor in v.vendors:
            details = ", ".join(x for x in (vendor.support_line, f"SLA {vendor.sla}" if vendor.sla else "",
                                            f"contract {vendor.contract_ref}" if vendor.contract_ref else "",
                                            f"may call: {vendor.may_call}" if vendor.may_call else "") if x)
            lines.append(f"  {vendor.name}: {details or 'no details'}")
    return "\n".join(lines)


def register_line(e: RegisterEntry, indent: str) -> str:
    marks = [e.tlp.label] + (["DRILL"] if e.drill else [])
    return (f"{indent}{entry_day(e)}  {e.title} ({', '.join(marks)}): detect "
            f"{format_duration(between(e.first_activity_at, e.detected_at))}, contain "
            f"{format_duration(between(e.detected_at, e.contained_at))}, recover "
            f"{format_duration(between(e.detected_at, e.recovered_at))}  [{e.id}]")


def entry_day(entry: RegisterEntry) -> str:
    when = entry.detected_at or entry.first_activity_at or entry.filed_at
    return when.local.date().isoformat()


def role(contact: BookContact) -> str:
    parts = [p for p in (contact.role, contact.team or contact.organisation) if p]
    return f" ({', '.join(parts)})" if parts else ""


def action_line(a: OpenAction) -> str:
    due = f", due {a.item.due.isoformat()}" if a.item.due else ""
    late = " OVERDUE" if a.overdue else ""
    owner = f" ({a.item.owner}{due})" if a.item.owner else (f" ({due[2:]})" if due else "")
    return f"  [{a.item.status.value}]{late} {a.item.title}{owner} — {a.entry.title}"


def minutes(value: int | None) -> timedelta | None:
    return None if value is None else timedelta(minutes=value)
