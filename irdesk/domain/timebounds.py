"""The times a case can hold: from 1970-01-01T00:00Z up to (not including) 2101-01-01T00:00Z.

Every time and date a user enters, an import brings or a colleague's copy carries is held
to these bounds, compared in UTC: the rules of the case file call ``bounds_problem`` on
every change, and the command line calls it while parsing ``--at`` and its kin, so a typo
such as year 9999 is refused in one sentence instead of breaking every later report.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from irdesk.domain.moment import Moment

EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
END = datetime(2101, 1, 1, tzinfo=UTC)  # the first instant that is too late
RANGE = "from 1970-01-01T00:00Z up to (not including) 2101-01-01T00:00Z"


def in_bounds(value: Moment | date) -> bool:
    if isinstance(value, Moment):
        return EARLIEST <= value.utc < END
    return EARLIEST.date() <= value < END.date()


def shown(value: Moment | date) -> str:
    """The value as a refusal quotes it: exactly as stored, offset included."""
    return value.isoformat()


def bounds_problem(value: Moment | date | None, what: str) -> str:
    """The refusal in one sentence when ``value`` is out of bounds, else ""."""
    if value is None or in_bounds(value):
        return ""
    return f"The {what} {shown(value)} is out of range: irdesk takes times {RANGE}."
