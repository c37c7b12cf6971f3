"""Between Qt date-times and the domain's ``Moment`` (UTC instant + the local offset of entry)."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QDate, QDateTime
from PySide6.QtWidgets import QDateEdit, QDateTimeEdit

from irdesk.domain.moment import Moment, local_offset_minutes
from irdesk.domain.timebounds import EARLIEST, END


def keep_in_bounds(edit: QDateTimeEdit | QDateEdit) -> None:
    """Let a date or time field offer only what a case can hold (``irdesk.domain.timebounds``)."""
    if isinstance(edit, QDateEdit):
        edit.setDateRange(QDate(1970, 1, 1), QDate(2100, 12, 31))
        return
    edit.setDateTimeRange(QDateTime.fromSecsSinceEpoch(int(EARLIEST.timestamp())).toLocalTime(),
                          QDateTime.fromSecsSinceEpoch(int(END.timestamp()) - 60).toLocalTime())


def to_qdatetime(moment: Moment) -> QDateTime:
    return QDateTime.fromSecsSinceEpoch(int(moment.utc.timestamp())).toLocalTime()


def from_qdatetime(value: QDateTime) -> Moment:
    utc = datetime.fromtimestamp(value.toSecsSinceEpoch(), UTC)
    return Moment(utc, local_offset_minutes(utc))


def shown(moment: Moment | None) -> str:
    """A moment in this computer's local time, as every widget shows it ("" when unknown)."""
    if moment is None:
        return ""
    try:
        return f"{moment.utc.astimezone():%Y-%m-%d %H:%M}"
    except (OverflowError, OSError, ValueError):  # old data at the edge of time: shown as entered
        return moment.display()


def local_zone_label() -> str:
    minutes = local_offset_minutes()
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"
