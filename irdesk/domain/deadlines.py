"""Deadline arithmetic: when each stage of each regime is due, and where it stands "as of" a time.

Pure: regimes and notifications in, ``Deadline`` values out. Local time is the regime's IANA
time zone when it names one, else the UTC offset the start time was entered with.

- **Hours** are elapsed time: 72 h after 12:00 the day before clocks go back is 11:00 local.
- **Months**: the same day of the month at the same local time, or the last day of a month
  that is shorter (31 January + 1 month = 28 or 29 February).
- **Business days** skip weekends and the public holidays of the jurisdiction (the ``holidays``
  package, offline); the day counting starts the day after the start, and the last day ends
  at 23:59 local time.
"""

from __future__ import annotations

import calendar
import functools
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from irdesk.domain.moment import Moment, format_duration
from irdesk.domain.records import Notification, Regime
from irdesk.domain.regimes import (
    AfterSent,
    BusinessDays,
    Hours,
    Limit,
    Months,
    Period,
    Stage,
    Start,
    Trigger,
    jurisdiction_of,
    regime_label,
    stages_of,
)
from irdesk.domain.timebounds import in_bounds

END_OF_BUSINESS_DAY = time(23, 59)


class DeadlineState(StrEnum):
    MET = "met"  # sent on time
    LATE = "late"  # sent after the deadline
    OPEN = "open"  # not sent yet, still time
    OVERDUE = "overdue"  # not sent, and the deadline has passed
    NOT_TRIGGERED = "not-triggered"  # its clock has not started
    SENT = "sent"  # sent, but its clock never started (its trigger is not recorded)


@dataclass(frozen=True)
class Deadline:
    """One stage of one regime, as of ``as_of``."""

    regime: Regime
    stage: Stage
    due: Moment | None
    started: Moment | None  # when its clock started
    basis: str  # how it is computed, in words: "72 h after awareness"
    waiting_for: str  # why it has not started: "awareness is not recorded"
    notifications: tuple[Notification, ...]  # sent under this stage, earliest first
    state: DeadlineState
    as_of: Moment

    @property
    def label(self) -> str:
        return f"{regime_label(self.regime)} {self.stage.label}"

    @property
    def sent(self) -> Notification | None:
        """The notification that meets (or missed) the deadline: the first one sent."""
        return self.notifications[0] if self.notifications else None

    @property
    def late_by(self) -> timedelta | None:
        if self.due is None:
            return None
        if self.state is DeadlineState.LATE and self.sent is not None:
            return self.sent.sent_at - self.due
        if self.state is DeadlineState.OVERDUE:
            return self.as_of - self.due
        return None

    @property
    def remaining(self) -> timedelta | None:
        return self.due - self.as_of if self.state is DeadlineState.OPEN and self.due else None

    @property
    def allowed(self) -> timedelta | None:
        return self.due - self.started if self.due and self.started else None

    @property
    def urgent(self) -> bool:
        """Open, in the last quarter of its time."""
        remaining, allowed = self.remaining, self.allowed
        return remaining is not None and allowed is not None and remaining * 4 <= allowed

    @property
    def pending(self) -> bool:
        """Still to be sent, and its clock is running (open or overdue)."""
        return self.state in (DeadlineState.OPEN, DeadlineState.OVERDUE)

    def describe(self) -> str:
        """Its state in words: "met, 8 h 20 min to spare", "late by 2 d 4 h", "open, 14 h left"…"""
        if self.state is DeadlineState.MET and self.sent is not None and self.due is not None:
            return f"met, {format_duration(self.due - self.sent.sent_at)} to spare"
        if self.state is DeadlineState.LATE:
            return f"late by {format_duration(self.late_by)}"
        if self.state is DeadlineState.OVERDUE:
            return f"overdue by {format_duration(self.late_by)}, not sent"
        if self.state is DeadlineState.OPEN:
            return f"open, {format_duration(self.remaining)} left"
        if self.state is DeadlineState.SENT:
            return f"sent; no deadline, {self.waiting_for}"
        return f"not yet triggered: {self.waiting_for}"


# ---------------------------------------------------------------- calendars and local time

_calendar_lock = threading.Lock()


@functools.cache
def _calendar(jurisdiction: str) -> Any:
    """The jurisdiction's holiday calendar, or None for one the package does not know (the
    case file's rules refuse those; a case written elsewhere may still hold one)."""
    import holidays  # imported when first needed: it costs a third of a second

    country, _, subdivision = jurisdiction.partition("-")
    try:
        return holidays.country_holidays(country, subdiv=subdivision or None)
    except (NotImplementedError, KeyError, ValueError):
        return None


def knows(jurisdiction: str) -> bool:
    """Whether business days of ``jurisdiction`` skip its holidays ("" : weekends only, known)."""
    if not jurisdiction:
        return True
    with _calendar_lock:
        return _calendar(jurisdiction) is not None


def is_business_day(day: date, jurisdiction: str) -> bool:
    """Not a weekend day and not a public holiday of the jurisdiction ("" or unknown: weekends only)."""
    if not jurisdiction:
        return day.weekday() < 5
    with _calendar_lock:  # the calendar fills itself in year by year, on first use
        found = _calendar(jurisdiction)
        return bool(found.is_working_day(day)) if found is not None else day.weekday() < 5


def jurisdiction_problem(code: str) -> str:
    """Why ``code`` is not a jurisdiction the holiday calendar knows ("" when it is)."""
    import holidays

    country, _, subdivision = code.partition("-")
    supported = holidays.list_supported_countries()
    if country not in supported:
        return f"“{code}” is not a country code the holiday calendar knows (like US, DE or NL)"
    if subdivision and subdivision not in supported[country]:
        known = ", ".join(list(supported[country])[:8])
        return f"{country} has no subdivision “{subdivision}” in the holiday calendar (it has {known}…)"
    return ""


def time_zone_problem(zone: str) -> str:
    """Why ``zone`` is not an IANA time zone name ("" when it is)."""
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return f"“{zone}” is not a time zone name like Europe/Amsterdam or America/New_York"
    return ""


def _zone(regime: Regime, start: Moment) -> tzinfo:
    if regime.time_zone and not time_zone_problem(regime.time_zone):
        return ZoneInfo(regime.time_zone)
    return timezone(timedelta(minutes=start.offset_minutes))  # also for a zone this computer lacks


def _moment(utc: datetime, zone: tzinfo) -> Moment:
    offset = utc.astimezone(zone).utcoffset() or timedelta(0)
    return Moment(utc, int(offset.total_seconds() // 60))


def add_period(start: Moment, period: Period, *, zone: tzinfo, jurisdiction: str = "") -> Moment:
    """The moment ``period`` after ``start``, shown in ``zone``."""
    if isinstance(period, Hours):
        return _moment(start.utc + timedelta(hours=period.count), zone)
    local = start.utc.astimezone(zone)
    if isinstance(period, Months):
        years, month = divmod(local.month - 1 + period.count, 12)
        year = local.year + years
        day = min(local.day, calendar.monthrange(year, month + 1)[1])
        target = local.replace(year=year, month=month + 1, day=day, fold=0)
    else:
        target = datetime.combine(_nth_business_day(local.date(), period, jurisdiction),
                                  END_OF_BUSINESS_DAY, tzinfo=zone)
    return _moment(target.astimezone(UTC), zone)


def _nth_business_day(start: date, period: BusinessDays, jurisdiction: str) -> date:
    day, counted = start, 0
    while counted < period.count:
        day += timedelta(days=1)
        if is_business_day(day, jurisdiction):
            counted += 1
    return day


# ---------------------------------------------------------------- the schedule


def schedule(regimes: Iterable[Regime], notifications: Iterable[Notification], as_of: Moment) -> list[Deadline]:
    """Every stage of every live regime, in the order of the regimes and their stages."""
    by_regime: dict[str, list[Notification]] = {}
    for n in notifications:
        if not n.deleted:
            by_regime.setdefault(n.regime_id, []).append(n)
    found: list[Deadline] = []
    for regime in regimes:
        if not regime.deleted:
            found += regime_deadlines(regime, by_regime.get(regime.id, []), as_of)
    return found


def regime_deadlines(regime: Regime, notifications: Sequence[Notification], as_of: Moment) -> list[Deadline]:
    sent: dict[str, list[Notification]] = {}
    for n in sorted((n for n in notifications if not n.deleted), key=lambda n: n.sent_at.utc):
        sent.setdefault(n.stage, []).append(n)
    try:
        stages = stages_of(regime)
    except ValueError:
        return []  # custom stages that do not parse: the case file's rules point them out
    labels = {s.key: s.label for s in stages}
    found = []
    for stage in stages:
        due, started, basis, waiting = _due(regime, stage.limit, sent, labels)
        mine = tuple(sent.get(stage.key, ()))
        state = _state(due, mine[0] if mine else None, as_of)
        found.append(Deadline(regime, stage, due, started, basis, waiting, mine, state, as_of))
    return found


def _state(due: Moment | None, first: Notification | None, as_of: Moment) -> DeadlineState:
    if due is None:
        return DeadlineState.SENT if first else DeadlineState.NOT_TRIGGERED
    if first is not None:
        return DeadlineState.MET if first.sent_at <= due else DeadlineState.LATE
    return DeadlineState.OPEN if as_of <= due else DeadlineState.OVERDUE


Sent = dict[str, list[Notification]]


def _start_time(regime: Regime, start: Start, sent: Sent) -> Moment | None:
    if isinstance(start, Trigger):
        value = getattr(regime, start.value)
        return value if isinstance(value, Moment) else None
    earlier = sent.get(start.stage, [])
    if not earlier:
        return None
    return (earlier[-1] if start.latest else earlier[0]).sent_at


def _start_words(start: Start, labels: dict[str, str]) -> str:
    if isinstance(start, Trigger):
        return start.label
    which = "latest " if start.latest else ""
    return f"the {which}{labels.get(start.stage, start.stage)} was sent"


def _waiting_words(start: Start, labels: dict[str, str]) -> str:
    if isinstance(start, Trigger):
        return f"{start.label} is not recorded"
    return f"the {labels.get(start.stage, start.stage)} has not been sent"


def _basis(regime: Regime, limit: Limit, labels: dict[str, str]) -> str:
    period = limit.period
    words = period.describe()
    if isinstance(period, BusinessDays):
        jurisdiction = jurisdiction_of(regime)
        if not jurisdiction:
            words += " (weekends only)"
        elif knows(jurisdiction):
            words += f" ({jurisdiction})"
        else:
            words += f" ({jurisdiction}, which the holiday calendar does not know: weekends only)"
    words += f" after {_start_words(limit.start, labels)}"
    if isinstance(period, BusinessDays):
        words += ", ending 23:59 local time"
    if limit.backstop is not None:
        words += (f", but no later than {limit.backstop.period.describe()} after "
                  f"{_start_words(limit.backstop.start, labels)}")
    return words


def _due(regime: Regime, limit: Limit, sent: Sent, labels: dict[str, str]
         ) -> tuple[Moment | None, Moment | None, str, str]:
    """(due, started, basis, waiting for) of one stage."""
    basis = _basis(regime, limit, labels)
    start = _start_time(regime, limit.start, sent)
    if start is None:
        return None, None, basis, _waiting_words(limit.start, labels)
    if not in_bounds(start):  # chained by another irdesk: the case file's rules point it out
        return None, None, basis, f"{_start_words(limit.start, labels)} ({start.isoformat()}) is out of range"
    jurisdiction = jurisdiction_of(regime)
    due = add_period(start, limit.period, zone=_zone(regime, start), jurisdiction=jurisdiction)
    backstop = limit.backstop
    if backstop is not None:
        other = _start_time(regime, backstop.start, sent)
        if other is not None and in_bounds(other):
            cap = add_period(other, backstop.period, zone=_zone(regime, other), jurisdiction=jurisdiction)
            # The cap holds only when the clock started before it (DORA: classified within 24 h).
            if start <= cap < due:
                due = cap
    return due, start, basis, ""


def next_due(deadlines: Iterable[Deadline]) -> Deadline | None:
    """The pending deadline that comes first (an overdue one before any open one)."""
    pending = [d for d in deadlines if d.pending and d.due is not None]
    return min(pending, key=lambda d: d.due.utc if d.due else datetime.max.replace(tzinfo=UTC), default=None)


def must_follow(regime: Regime, stage: Stage, notifications: Sequence[Notification]) -> list[tuple[str, Moment]]:
    """The times a notification of ``stage`` cannot come before, each with its name:
    awareness, the triggers that start its clock, and the first notification of a stage it
    runs from."""
    sent: Sent = {}
    for n in sorted((n for n in notifications if not n.deleted), key=lambda n: n.sent_at.utc):
        sent.setdefault(n.stage, []).append(n)
    labels = {s.key: s.label for s in stages_of(regime)}
    found: list[tuple[str, Moment]] = []
    if regime.aware_at is not None:
        found.append((Trigger.AWARENESS.label, regime.aware_at))
    limits = [stage.limit] + ([stage.limit.backstop] if stage.limit.backstop else [])
    for limit in limits:
        start = limit.start
        if isinstance(start, AfterSent):
            start = AfterSent(start.stage)  # the first: no notification comes before all of them
            when = _start_time(regime, start, sent)
            name = f"the {labels.get(start.stage, start.stage)} it follows"
        else:
            when = _start_time(regime, start, sent)
            name = start.label
        if when is not None and (name, when) not in found:
            found.append((name, when))
    return found
