"""Case ▸ Change status…: the deliberate act of moving the case on (or back), with its time.

A status is never a control that a stray keystroke can reach: this dialog names the new
status, asks for the time it happened (now, typed or back-dated) and says in one sentence,
beside the choice, why the case file refused it (closing with open action items, a time
out of order).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QDateTime, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from irdesk.casefile.operations.case import STATUS_TIMES
from irdesk.domain.enums import CaseStatus
from irdesk.domain.records import Case
from irdesk.ui.forms import MomentField, Refusal

if TYPE_CHECKING:
    from irdesk.ui.header import Header

MEANING = {
    CaseStatus.OPEN: "the incident is being handled",
    CaseStatus.CONTAINED: "it can spread no further",
    CaseStatus.RECOVERED: "systems are back in service",
    CaseStatus.CLOSED: "every action item is tested or waived",
}
STAMP_LABELS = {"contained_at": "Contained at", "recovered_at": "Recovered at", "closed_at": "Closed at"}


class StatusDialog(QDialog):
    def __init__(self, header: Header, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Change the case status")
        self._header, self._case = header, case
        self._proposed: QDateTime | None = None
        intro = QLabel(f"The case is <b>{case.status.value}</b>. Choose its new status.")
        self.choices = QButtonGroup(self)
        self.buttons_by_status: dict[CaseStatus, QRadioButton] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        for status in CaseStatus:
            button = QRadioButton(f"{status.value.capitalize()}: {MEANING[status]}")
            button.setAccessibleName(status.value)
            self.choices.addButton(button)
            self.buttons_by_status[status] = button
            layout.addWidget(button)
        self.at = MomentField("When")
        self.at_label = QLabel("When")
        form = QFormLayout()
        form.addRow(self.at_label, self.at)
        layout.addLayout(form)
        self.refusal = Refusal("Why the status was not changed")
        layout.addWidget(self.refusal)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.confirm = self.buttons.addButton("Set status", QDialogButtonBox.ButtonRole.AcceptRole)
        self.confirm.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAutoDefault(False)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.choices.buttonToggled.connect(lambda *_: self._chosen())
        self.at.changed.connect(self.refusal.clear_message)
        following = list(CaseStatus)
        index = following.index(case.status)
        proposed = following[min(index + 1, len(following) - 1)]  # the usual next step
        self.buttons_by_status[proposed].setChecked(True)
        self._chosen()
        header.session.closing.connect(self.reject)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        QTimer.singleShot(0, lambda: self.buttons_by_status[self.chosen()].setFocus())  # the choice, not Cancel

    def chosen(self) -> CaseStatus:
        return next(s for s, b in self.buttons_by_status.items() if b.isChecked())

    def _chosen(self) -> None:
        status = self.chosen()
        stamp = STATUS_TIMES.get(status)
        self.refusal.clear_message()
        self.at.setVisible(stamp is not None)
        self.at_label.setVisible(stamp is not None)
        if stamp is not None:
            self.at_label.setText(STAMP_LABELS[stamp])
            current = getattr(self._case, stamp)
            self.at.set_value(current)
            if current is None:
                self.at.known.setChecked(True)  # now, unless changed
            self._proposed = self.at.edit.dateTime()
        self.confirm.setEnabled(status != self._case.status)
        self.confirm.setText(f"Set to {status.value}")

    def submit(self) -> None:
        status = self.chosen()
        if status == self._case.status:
            return
        stamp = STATUS_TIMES.get(status)
        at = None
        if stamp is not None and self.at.known.isChecked():
            untouched_now = getattr(self._case, stamp) is None and self.at.edit.dateTime() == self._proposed
            at = None if untouched_now else self.at.value()  # "now" is stamped by the case's clock
        self.confirm.setEnabled(False)
        self._header.set_status(status, at, on_done=lambda _case: self.accept(), on_error=self._refused,
                                owner=self)

    def _refused(self, message: str) -> None:
        self.confirm.setEnabled(True)
        self.refusal.say(message)
