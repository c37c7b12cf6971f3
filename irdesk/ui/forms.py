"""Small form pieces shared by the record panels and dialogs: an optional date-time with a
"Now" button, and the one-sentence refusal shown beside the field it concerns."""

from __future__ import annotations

from PySide6.QtCore import QDate, QDateTime, QTime, Signal
from PySide6.QtWidgets import QCheckBox, QDateTimeEdit, QHBoxLayout, QLabel, QPushButton, QWidget

from irdesk.domain.moment import Moment
from irdesk.ui.moments import from_qdatetime, to_qdatetime

ERROR_STYLE = "color: #c0392b; font-weight: bold"
# The case file refuses times outside 1970-01-01T00:00Z ≤ t < 2101-01-01T00:00Z.
EARLIEST = QDateTime(QDate(1970, 1, 2), QTime(0, 0))
LATEST = QDateTime(QDate(2100, 12, 30), QTime(23, 59))


def moment_edit(name: str) -> QDateTimeEdit:
    """A date-time in local time, typed or picked from a calendar, within the case file's range."""
    edit = QDateTimeEdit(QDateTime.currentDateTime())
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd HH:mm")
    edit.setDateTimeRange(EARLIEST, LATEST)
    edit.setAccessibleName(name)
    return edit


class MomentField(QWidget):
    """A time that may be unknown: a checkbox says whether it is set; "Now" sets it in one click.

    Shown and typed in local time. A time the user leaves alone keeps the ``Moment`` it was
    loaded with, offset and seconds included: opening a form never rewrites a time.
    """

    changed = Signal()

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._original: Moment | None = None
        self.known = QCheckBox()
        self.known.setAccessibleName(f"{name} is known")
        self.known.setToolTip(f"Tick when {name.lower()} is known")
        self.edit = moment_edit(name)
        self.edit.setEnabled(False)
        self.now = QPushButton("Now")
        self.now.setAutoDefault(False)
        self.now.setAccessibleName(f"Set {name} to now")
        self.now.setToolTip(f"Set {name.lower()} to the current time")
        self.known.toggled.connect(self.edit.setEnabled)
        self.known.toggled.connect(lambda _: self.changed.emit())
        self.edit.dateTimeChanged.connect(lambda _: self.changed.emit())
        self.now.clicked.connect(self.set_now)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.known)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.now)
        self.setFocusProxy(self.edit)

    def set_now(self) -> None:
        self.edit.setDateTime(QDateTime.currentDateTime())
        self.known.setChecked(True)

    def value(self) -> Moment | None:
        if not self.known.isChecked():
            return None
        shown = self.edit.dateTime()
        if self._original is not None and shown == to_qdatetime(self._original):
            return self._original
        return from_qdatetime(shown)

    def set_value(self, moment: Moment | None) -> None:
        self.blockSignals(True)
        self._original = moment
        self.known.setChecked(moment is not None)
        self.edit.setDateTime(to_qdatetime(moment) if moment else QDateTime.currentDateTime())
        self.blockSignals(False)

    @property
    def edited(self) -> bool:
        """True once the value differs from the one it was loaded with."""
        value = self.value()
        if value is None or self._original is None:
            return value is not self._original
        return value.isoformat() != self._original.isoformat()


class Refusal(QLabel):
    """Why the case file refused a change: one red sentence beside the field, gone once fixed."""

    def __init__(self, name: str = "Why it was not saved", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet(ERROR_STYLE)
        self.setAccessibleName(name)
        self.hide()

    def say(self, message: str) -> None:
        self.setText(message)
        self.setVisible(bool(message))

    def clear_message(self) -> None:
        self.say("")
