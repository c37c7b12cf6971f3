"""Columns of the contact and engagement tables, with the stale warning and time to engage."""

from __future__ import annotations

from datetime import date

from irdesk.domain.metrics import engagement_wait
from irdesk.domain.moment import Moment, format_duration
from irdesk.domain.records import Contact, Engagement
from irdesk.ui.moments import shown
from irdesk.ui.records_model import Column, RecordTableModel

STALE_DAYS = 90


def stale_warning(contact: Contact, today: date | None = None) -> str:
    today = today or date.today()
    if contact.last_verified is None:
        return "Never verified: check these details before you rely on them."
    age = (today - contact.last_verified).days
    if age > STALE_DAYS:
        return f"Stale: last verified {age} days ago."
    return ""


def contact_model(parent: object = None) -> RecordTableModel[Contact]:
    def channels(c: Contact) -> str:
        parts = [c.phone, c.email] + ([f"OOB: {c.out_of_band}"] if c.out_of_band else [])
        return " · ".join(p for p in parts if p)

    def verified(c: Contact) -> str:
        text = c.last_verified.isoformat() if c.last_verified else "never"
        return f"⚠ {text}" if stale_warning(c) else text

    columns: list[Column[Contact]] = [
        Column("Name", lambda c: c.name),
        Column(
            "Last verified",
            verified,
            lambda c: c.last_verified.isoformat() if c.last_verified else "",
            warn=stale_warning,
        ),
        Column("Kind", lambda c: c.kind.value),
        Column("Organisation", lambda c: c.organisation),
        Column("Team", lambda c: c.team),
        Column("Role", lambda c: c.role),
        Column("Channels", channels),
        Column("Can grant access to", lambda c: c.grants_access),
    ]
    return RecordTableModel(columns, parent)


def _when(m: Moment | None) -> str:
    return shown(m)


def engagement_model(parent: object = None) -> RecordTableModel[Engagement]:
    def engage(e: Engagement) -> str:
        if e.reached_at is None:
            return f"{format_duration(engagement_wait(e, Moment.now()))} (waiting)"
        return format_duration(engagement_wait(e))

    columns: list[Column[Engagement]] = [
        Column("Purpose", lambda e: e.purpose),
        Column("Needed", lambda e: _when(e.needed_at)),
        Column("First attempt", lambda e: _when(e.first_attempt_at)),
        Column("Reached", lambda e: _when(e.reached_at)),
        Column("Resolved", lambda e: _when(e.resolved_at)),
        Column("Time to engage", engage),
        Column("Outcome", lambda e: e.outcome),
    ]
    return RecordTableModel(columns, parent)
