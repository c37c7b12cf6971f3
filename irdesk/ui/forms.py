"""Small form pieces shared by the record panels: an optional date-time with a "Now" button."""

from __future__ import annotations

from PySide6.QtCore import QDateTime, Signal
from PySide6.QtWidgets import QCheckBox, QDateTimeEdit, QHBoxLayout, QPushButton, QWidget

from irdesk.domain.moment import Moment
from irdesk.ui.moments import from_qdatetime, keep_in_bounds, to_qdatetime


class MomentField(QWidget):
    """A time that may be unknown: a checkbox says whether it is set; "Now" sets it in one click."""

    changed = Signal()

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.known = QCheckBox()
        self.known.setAccessibleName(f"{name} is known")
        self.edit = QDateTimeEdit(QDateTime.currentDateTime())
        keep_in_bounds(self.edit)
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.edit.setAccessibleName(name)
        self.edit.setEnabled(False)
        self.now = QPushButton("Now")
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

    def set_now(self) -> None:
        self.edit.setDateTime(QDateTime.currentDateTime())
        self.known.setChecked(True)

    def value(self) -> Moment | None:
        return from_qdatetime(self.edit.dateTime()) if self.known.isChecked() else None

    def set_value(self, moment: Moment | None) -> None:
        self.blockSignals(True)
        self.known.setChecked(moment is not None)
        self.edit.setDateTime(to_qdatetime(moment) if moment else QDateTime.currentDateTime())
        self.blockSignals(False)
