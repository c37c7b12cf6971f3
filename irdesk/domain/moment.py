"""A point in time as a responder entered it: a UTC instant plus the local offset of the moment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone


class OutOfRange(ValueError):
    """An ISO 8601 time that no date-time can hold (its UTC instant is before year 1 or after 9999)."""


@dataclass(frozen=True, order=False)
class Moment:
    """A UTC instant and the UTC offset (in minutes) that was local when it was entered.

    Stored and exported as ISO 8601 with that offset, so both survive a round trip.
    Ordering and equality follow the instant, not the offset.
    """

    utc: datetime
    offset_minutes: int = 0

    def __post_init__(self) -> None:
        if self.utc.tzinfo is None:
            raise ValueError("a Moment needs an aware datetime")
        object.__setattr__(self, "utc", self.utc.astimezone(UTC))

    @classmethod
    def now(cls) -> Moment:
        """The current instant with the machine's current local offset."""
        utc = datetime.now(UTC)
        return cls(utc, local_offset_minutes(utc))

    @classmethod
    def parse(cls, text: str) -> Moment:
        """Parse ISO 8601. A time without an offset is taken as local time.

        Raises:
            ValueError: the text is not an ISO 8601 date-time.
        """
        text = text.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{text!r} is not an ISO 8601 date and time") from None
        try:
            if parsed.tzinfo is None:
                parsed = parsed.astimezone()  # naive: the machine's local time
            offset = parsed.utcoffset() or timedelta(0)
            return cls(parsed, int(offset.total_seconds() // 60))
        except (OverflowError, OSError):  # e.g. 9999-12-31T23:30-05:00 is after year 9999 in UTC
            raise OutOfRange(f"{text!r} is out of the range of times") from None

    @property
    def local(self) -> datetime:
        """The instant in the offset it was entered with."""
        return self.utc.astimezone(timezone(timedelta(minutes=self.offset_minutes)))

    def isoformat(self) -> str:
        """ISO 8601 with the entry's offset, microseconds kept: the stored form."""
        return self.local.isoformat(timespec="microseconds")

    def display(self) -> str:
        """Short human form in the entry's offset, e.g. '2026-11-28 14:05 +01:00'."""
        local = self.local
        sign = "+" if self.offset_minutes >= 0 else "-"
        hours, minutes = divmod(abs(self.offset_minutes), 60)
        return f"{local:%Y-%m-%d %H:%M} {sign}{hours:02d}:{minutes:02d}"

    def __lt__(self, other: Moment) -> bool:
        return self.utc < other.utc

    def __le__(self, other: Moment) -> bool:
        return self.utc <= other.utc

    def __gt__(self, other: Moment) -> bool:
        return self.utc > other.utc

    def __ge__(self, other: Moment) -> bool:
        return self.utc >= other.utc

    def __sub__(self, other: Moment) -> timedelta:
        return self.utc - other.utc

    def __add__(self, delta: timedelta) -> Moment:
        return Moment(self.utc + delta, self.offset_minutes)


def local_offset_minutes(at: datetime | None = None) -> int:
    """The machine's UTC offset in minutes at the given instant (default: now)."""
    stamp = (at or datetime.now(UTC)).timestamp()
    return int(datetime.fromtimestamp(stamp).astimezone().utcoffset().total_seconds() // 60)  # type: ignore[union-attr]


def parse_date(text: str) -> date:
    """Parse an ISO date (YYYY-MM-DD).

    Raises:
        ValueError: the text is not an ISO date.
    """
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def format_duration(delta: timedelta | None) -> str:
    """A duration as a responder reads it: '—', '45 min', '3 h 05 min', '2 d 4 h'."""
    if delta is None:
        return "—"
    seconds = int(delta.total_seconds())
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    minutes = seconds // 60
    if minutes < 1:
        return f"{sign}{seconds} s"
    if minutes < 60:
        return f"{sign}{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{sign}{hours} h {minutes:02d} min"
    days, hours = divmod(hours, 24)
    return f"{sign}{days} d {hours} h"
