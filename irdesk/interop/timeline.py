"""A CSV timeline for Timesketch: one row per timed event, oldest first.

Timesketch needs ``message``, ``datetime`` (ISO 8601) and ``timestamp_desc``; the other
columns say where each row comes from so an analyst can filter on them. Values are
written exactly as recorded (no spreadsheet-formula mangling), quoted by ``csv``.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import IO, NamedTuple, TypeVar

import orjson

from irdesk.casefile.notes import TimelineColumns
from irdesk.casefile.store import CaseFile
from irdesk.domain import attack
from irdesk.domain.moment import Moment
from irdesk.domain.records import (
    KEY_TIMES,
    Contact,
    CustodyEvent,
    Engagement,
    Evidence,
    Indicator,
    Notification,
    Regime,
)

T = TypeVar("T")

COLUMNS = ("message", "datetime", "timestamp_desc", "source", "phase", "gap", "tags", "attack",
           "tactics", "author", "record_id", "case")


class Event(NamedTuple):
    """One timed row (a NamedTuple: a 100,000-note timeline makes one per note)."""

    at: str  # ISO 8601 with the offset it was entered with (the stored form)
    utc: datetime  # the instant, for ordering and Timesketch's timestamp
    message: str
    description: str  # timestamp_desc: what this time is
    source: str  # the record kind it comes from
    record_id: str
    author: str = ""
    phase: str = ""
    gap: str = ""
    tags: tuple[str, ...] = ()
    attack: tuple[str, ...] = ()  # ATT&CK technique ids

    @property
    def micros(self) -> int:
        """Microseconds since 1970 (UTC): Timesketch's ``timestamp``."""
        return _micros(self.utc)

    @property
    def tactics(self) -> list[str]:
        """The ATT&CK tactics of its techniques, in the matrix's order."""
        return list(_tactics(self.attack)) if self.attack else []


@functools.lru_cache(maxsize=1024)
def _tactics(ids: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(name for name, _ in attack.by_tactic(ids) if name != "unknown")


def _when(moment: Moment) -> tuple[str, datetime]:
    return moment.isoformat(), moment.utc


def events(case: CaseFile) -> Iterator[Event]:
    """Every timed event of the case (live records only), in time order."""
    return _in_time_order(case, _same, _note_event)


def _in_time_order(case: CaseFile, from_event: Callable[[Event], T], from_note: Callable[[TimelineColumns], T],
                   ) -> Iterator[T]:
    """The notes, already in time order from the verified pass, with the few other timed
    records slotted in before the first note later than each (one comparison per note, no
    heap), each turned into what the writer writes: a 100,000-note timeline makes no ``Event``
    per note."""
    others = list(_case_times(case)) + list(_engagements(case))
    others += list(_custody(case)) + list(_evidence(case)) + list(_indicators(case))
    others += list(_regulatory(case))
    others.sort(key=_utc)
    notes = case.notes.timeline_columns()

    def merged() -> Iterator[T]:
        pending = iter(others)
        upcoming = next(pending, None)
        for row in notes:
            while upcoming is not None and upcoming.utc <= row.utc:
                yield from_event(upcoming)
                upcoming = next(pending, None)
            yield from_note(row)
        if upcoming is not None:
            yield from_event(upcoming)
            yield from (from_event(e) for e in pending)

    return merged()


def _utc(event: Event) -> datetime:
    return event.utc


def _same(event: Event) -> Event:
    return event


def _note_event(row: TimelineColumns) -> Event:
    return Event(row.occurred, row.utc, row.body, "Occurred", "note", row.id, row.author, row.phase,
                 row.gap or "", row.tags, row.attack)


def _case_times(case: CaseFile) -> Iterator[Event]:
    record = case.case()
    for name in KEY_TIMES:
        moment = getattr(record, name)
        if moment is not None:
            label = name.removesuffix("_at").replace("_", " ")
            yield Event(*_when(moment), f"Key time: {label}", label.capitalize(), "case", record.id,
                        record.author)


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
                yield Event(*_when(moment), f"{label}: {who} ({item.purpose}).{outcome}",
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
        yield Event(*_when(event.at), text, f"Custody {event.action.value}", "custody", event.id,
                    event.author)


def _evidence(case: CaseFile) -> Iterator[Event]:
    for item in case.records.all(Evidence):
        if item.requested_at is not None:
            yield Event(*_when(item.requested_at), f"Evidence requested: {item.label}",
                        "Evidence requested", "evidence", item.id, item.author)
        if item.collected_at is not None:
            yield Event(*_when(item.collected_at), f"Evidence collected: {item.label}",
                        "Evidence collected", "evidence", item.id, item.author)


def _indicators(case: CaseFile) -> Iterator[Event]:
    for item in case.records.all(Indicator):
        if item.first_seen is not None:
            text = f"Indicator {item.kind.value} {item.value}" + (
                f": {item.description}" if item.description else "")
            yield Event(*_when(item.first_seen), text, "First seen", "indicator", item.id, item.author,
                        attack=item.attack)


def _regulatory(case: CaseFile) -> Iterator[Event]:
    """The times that started a regime's clocks, and each notification sent, with its deadline."""
    from irdesk.domain.deadlines import schedule
    from irdesk.domain.regimes import Trigger, regime_label

    regimes = case.records.all(Regime)
    for regime in regimes:
        for trigger in Trigger:
            moment = getattr(regime, trigger.value)
            if moment is not None:
                yield Event(*_when(moment), f"{regime_label(regime)}: {trigger.label}", f"Regime {trigger.label}",
                            "regime", regime.id, regime.author)
    names = {c.id: c.name for c in case.records.all(Contact, include_deleted=True)}
    for d in schedule(regimes, case.records.all(Notification), case.clock()):
        for n in d.notifications:
            due = f" Due {d.due.isoformat()}: {d.describe()}." if d.due and n is d.sent else ""
            ref = f" Reference {n.reference}." if n.reference else ""
            yield Event(*_when(n.sent_at), f"{d.label} sent to {names.get(n.contact_id, 'unknown contact')}.{due}{ref}",
                        "Notification sent", "notification", n.id, n.author)


def write_timeline(case: CaseFile, out: IO[str]) -> int:
    """Write the CSV (header row first); returns the number of events."""
    title = case.case().title
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    written = 0

    def from_event(e: Event) -> tuple[str, ...]:
        return (e.message, e.at, e.description, e.source, e.phase, e.gap, ", ".join(e.tags),
                ", ".join(e.attack), _tactic_text(e.attack), e.author, e.record_id, title)

    def from_note(n: TimelineColumns) -> tuple[str, ...]:
        return (n.body, n.occurred, "Occurred", "note", n.phase, n.gap or "", ", ".join(n.tags),
                ", ".join(n.attack), _tactic_text(n.attack), n.author, n.id, title)

    def counted(rows: Iterator[tuple[str, ...]]) -> Iterator[tuple[str, ...]]:
        nonlocal written
        for written, row in enumerate(rows, 1):  # noqa: B007 (counted for the caller)
            yield row

    writer.writerows(counted(_in_time_order(case, from_event, from_note)))
    return written


def _tactic_text(ids: tuple[str, ...]) -> str:
    return ", ".join(_tactics(ids)) if ids else ""


def write_jsonl_timeline(case: CaseFile, out: IO[str]) -> int:
    """Write the same events as JSON lines (Timesketch's JSONL import); returns their number.

    Each line holds ``message``, ``datetime``, ``timestamp_desc`` and ``timestamp``
    (microseconds since 1970, UTC) as Timesketch wants them, the other columns of the CSV, and
    the note's tags, ATT&CK ids and tactics as lists (``tag`` is Timesketch's own tag list).
    """
    title = case.case().title

    def line(message: str, at: str, description: str, utc: datetime, source: str, phase: str, gap: str,
             tags: tuple[str, ...], ids: tuple[str, ...], author: str, record_id: str) -> bytes:
        return orjson.dumps({
            "message": message, "datetime": at, "timestamp_desc": description,
            "timestamp": _micros(utc), "source": source, "phase": phase, "gap": gap,
            "tag": tags, "attack": ids, "tactics": _tactics(ids) if ids else (),
            "author": author, "record_id": record_id, "case": title,
        })

    def from_event(e: Event) -> bytes:
        return line(e.message, e.at, e.description, e.utc, e.source, e.phase, e.gap, e.tags, e.attack,
                    e.author, e.record_id)

    def from_note(n: TimelineColumns) -> bytes:
        return line(n.body, n.occurred, "Occurred", n.utc, "note", n.phase, n.gap or "", n.tags, n.attack,
                    n.author, n.id)

    written = 0
    for written, data in enumerate(_in_time_order(case, from_event, from_note), 1):  # noqa: B007
        out.write(data.decode("utf-8"))
        out.write("\n")
    return written


def _micros(utc: datetime) -> int:
    """Microseconds since 1970 (UTC): Timesketch's ``timestamp``."""
    return int(utc.timestamp()) * 1_000_000 + utc.microsecond
