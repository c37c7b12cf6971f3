"""A new passphrase, typed twice, with a live strength meter and the reason it is refused."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QProgressBar,
    QWidget,
)

from irdesk.domain.passphrase import Strength, assess

COLOURS = ("#c0392b", "#d35400", "#d4ac0d", "#27ae60", "#1e8449")


class PassphraseFields(QWidget):
    """``above``: the dialog's other fields, shown first so that every label lines up.

    ``checked`` fires once the meter has looked at a change (debounced): a dialog clears a red
    message there as soon as the problem it names is fixed.
    """

    checked = Signal()

    def __init__(
        self,
        context: Callable[[], tuple[str, ...]] = tuple,
        parent: QWidget | None = None,
        above: Sequence[tuple[str, QWidget | QLayout]] = (),
    ) -> None:
        super().__init__(parent)
        self._context = context
        self.first = QLineEdit()
        self.first.setEchoMode(QLineEdit.EchoMode.Password)
        self.first.setAccessibleName("New passphrase")
        self.first.setPlaceholderText("Several unrelated words work well")
        self.second = QLineEdit()
        self.second.setEchoMode(QLineEdit.EchoMode.Password)
        self.second.setAccessibleName("Repeat the passphrase")
        self.meter = QProgressBar()
        self.meter.setRange(0, 5)
        self.meter.setTextVisible(True)
        self.meter.setAccessibleName("Passphrase strength")
        self.meter.setFormat("")
        self.meter.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.reason.setAccessibleName("Why the passphrase is refused")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(120)
        self._timer.timeout.connect(self.update_meter)
        self.first.textChanged.connect(self._timer.start)
        self.second.textChanged.connect(self._timer.start)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        for label, field in above:
            form.addRow(label, field)
        form.addRow("Passphrase", self.first)
        form.addRow("Repeat", self.second)
        form.addRow("Strength", self.meter)
        form.addRow("", self.reason)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt override
        self._timer.stop()  # a closed dialog measures nothing more
        super().hideEvent(event)

    def strength(self) -> Strength:
        return assess(self.first.text(), self._context())

    def update_meter(self) -> None:
        strength = self.strength()
        self.meter.setValue(strength.score + 1 if self.first.text() else 0)
        self.meter.setFormat(strength.label if self.first.text() else "")
        self.meter.setStyleSheet(
            f"QProgressBar::chunk {{ background: {COLOURS[strength.score]}; }}"
        )
        self.reason.setText("" if not self.first.text() else self.problem() or "Strong enough.")
        self.checked.emit()

    def problem(self) -> str:
        """Why the passphrase cannot be used, or "" when it can."""
        strength = self.strength()
        if not strength.acceptable:
            return strength.reason
        if self.first.text() != self.second.text():
            return "The two passphrases differ."
        return ""

    def value(self) -> str:
        return self.first.text()
