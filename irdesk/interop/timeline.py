"""A CSV timeline for Timesketch: one row per timed event, oldest first.

Timesketch needs ``message``, ``datetime`` (ISO 8601) and ``timestamp_desc``; the other
columns say where each row comes from so an analyst can filter on them. Values are
written exactly as recorded (no spreadsheet-formula mangling), quoted by ``csv``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from irdesk.casefile.store import CaseFile
from irdesk.domain.moment import Moment
from irdesk.domain.records import (
    KEY_TIMES,
    Contact,
    CustodyEvent,
    Engagement,
    Evidence,
    Indicator,
    Note,
    Notification,
    Regime,
)

COLUMNS = ("message", "datetime", "timestamp_desc", "source", "phase", "gap", "tags", "author",
           "record_id", "case")


@dataclass(frozen=True)
class Event:
    at: Moment
    message: str
    description: str  # timestamp_desc: what this time is
    source: str  # the record kind it comes from
    record_id: str
    author: str = ""
    phase: str = ""
    gap: str = ""
    tags: str = ""


def events(case: CaseFile) -> list[Event]:
    """Every timed event of the case (live records only), in time order."""
    found = list(_case_times(case)) + list(_notes(case)) + list(_engagements(case))
    found += list(_custody(case)) + list(_evidence(case)) + list(_indicators(case))
    found += list(_regulatory(case))
    return sorted(found, key=lambda e: e.at.utc)


def _case_times(case: CaseFile) -> Iterator[Event]:
    record = case.case()
    for name in KEY_TIMES:
        moment = getattr(record, name)
        if moment is not None:
            label = name.removesuffix("_at").replace("_", " ")
            yield Event(moment, f"Key time: {label}", label.capitalize(), "case", record.id,
                        record.author)


def _notes(case: CaseFile) -> Iterator[Event]:
    for note in case.records.iter_all(Note):
        if note.deleted:
            continue
        yield Event(note.occurred, note.body, "Occurred", "note", note.id, note.author,
                    note.phase.value, note.gap.value if note.gap else "", ", ".join(note.tags))


_ENGAGEMENT_TIMES = (("needed_at", "Needed"), ("first_attempt_at", "First attempt"),
                     ("reached_at", "Reached"), ("resolved_at", "Resolved"))


def _engagements(case: CaseFile) -> Iterator[Event]:
    names = {c.id: c.name for c in case.records.all(Contact, include_deleted=True)}
    for item in case.records.all(Engagement):
        who = names.get(item.contact_id, "unknown contact")
        for field, label in _ENGAGEMENT_TIMES:
            moment = getattr(item, field)
            if moment is not None:
                outcome = f" Outcome: {item.outcome}" if field == "resolved_at" and item.outcome \
                    else ""
                yield Event(moment, f"{label}: {who} ({item.purpose}).{outcome}",
                            f"Engagement {label.lower()}", "engagement", item.id, item.author)


def _custody(case: CaseFile) -> Iterator[Event]:
    labels = {e.id: e.label for e in case.records.all(Evidence, include_deleted=True)}
    for event in case.records.all(CustodyEvent):
        parts = [f"{labels.get(event.evidence_id, 'evidence')}: {event.action.value} by "
                 f"{event.by_whom}"]
        if event.to_whom:
            parts.append(f"to {event.to_whom}")
        if event.location:
            parts.append(f"at {event.location}")
        text = " ".join(parts) + "." + (f" {event.note}" if event.note else "")
        yield Event(event.at, text, f"Custody {event.action.value}", "custody", event.id,
                    event.author)


def _evidence(case: CaseFile) -> Iterator[Event]:
    for item in case.records.all(Evidence):
        if item.requested_at is not None:
            yield Event(item.requested_at, f"Evidence requested: {item.label}",
                        "Evidence requested", "evidence", item.id, item.author)
        if item.collected_at is not None:
            yield Event(item.collected_at, f"Evidence collected: {item.label}",
                        "Evidence collected", "evidence", item.id, item.author)


def _indicators(case: CaseFile) -> Iterator[Event]:
    for item in case.records.all(Indicator):
        if item.first_seen is not None:
            text = f"Indicator {item.kind.value} {item.value}" + (
                f": {item.description}" if item.description else "")
            yield Event(item.first_seen, text, "First seen", "indicator", item.id, item.author)


def _regulatory(case: CaseFile) -> Iterator[Event]:
    """The times that started a regime's clocks, and each notification sent, with its deadline."""
    from irdesk.domain.deadlines import schedule
    from irdesk.domain.regimes import Trigger, regime_label

    regimes = case.records.all(Regime)
    for regime in regimes:
        for trigger in Trigger:
            moment = getattr(regime, trigger.value)
            if moment is not None:
                yield Event(moment, f"{regime_label(regime)}: {trigger.label}", f"Regime {trigger.label}",
                            "regime", regime.id, regime.author)
    names = {c.id: c.name for c in case.records.all(Contact, include_deleted=True)}
    for d in schedule(regimes, case.records.all(Notification), case.clock()):
        for n in d.notifications:
            due = f" Due {d.due.isoformat()}: {d.describe()}." if d.due and n is d.sent else ""
            ref = f" Reference {n.reference}." if n.reference else ""
            yield Event(n.sent_at, f"{d.label} sent to {names.get(n.contact_id, 'unknown contact')}.{due}{ref}",
                        "Notification sent", "notification", n.id, n.author)


def write_timeline(case: CaseFile, out: IO[str]) -> int:
    """Write the CSV (header row first); returns the number of events."""
    title = case.case().title
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    rows = events(case)
    for e in rows:
        writer.writerow([e.message, e.at.isoformat(), e.description, e.source, e.phase, e.gap,
                         e.tags, e.author, e.record_id, title])
    return len(rows)
