"""Between Qt date-times and the domain's ``Moment`` (UTC instant + the local offset of entry)."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QDateTime

from irdesk.domain.moment import Moment, local_offset_minutes


def to_qdatetime(moment: Moment) -> QDateTime:
    return QDateTime.fromSecsSinceEpoch(int(moment.utc.timestamp())).toLocalTime()


def from_qdatetime(value: QDateTime) -> Moment:
    utc = datetime.fromtimestamp(value.toSecsSinceEpoch(), UTC)
    return Moment(utc, local_offset_minutes(utc))


def shown(moment: Moment | None) -> str:
    """A moment in this computer's local time, as every widget shows it ("" when unknown)."""
    if moment is None:
        return ""
    return f"{moment.utc.astimezone():%Y-%m-%d %H:%M}"


def local_zone_label() -> str:
    minutes = local_offset_minutes()
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"
