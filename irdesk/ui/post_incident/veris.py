"""The case's VERIS 1.4 classification, for a DBIR submission (``export --format veris``):
how the incident was discovered, and the actors, actions and affected assets, each picked from
VERIS's own lists (``irdesk.domain.veris``; the operation checks them, as for ``case set``).

Every pick is saved at once; "Unknown" is a value like any other, and an empty list is what the
export writes as VERIS's unknown.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from irdesk.casefile import operations as ops
from irdesk.casefile.changes import Changes
from irdesk.domain import veris
from irdesk.domain.enums import RecordKind
from irdesk.domain.records import Case
from irdesk.ui.session import CaseSession

UNSET = "Not classified"

LISTS = (  # (field, VERIS kind, label, what the picker asks)
    ("veris_actors", "actor", "Actors", "Add an actor, e.g. external/Organized crime"),
    ("veris_actions", "action", "Actions", "Add an action, e.g. malware/Ransomware"),
    ("veris_assets", "asset", "Assets affected", "Add an asset variety, e.g. S - File"),
)


class Picker(QComboBox):
    """An editable box of VERIS's values that completes on any part of a value as typed."""

    def __init__(self, kind: str, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.line = QLineEdit()
        self.line.setPlaceholderText(placeholder)
        self.setLineEdit(self.line)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.addItems(veris.choices(kind))
        self.setCurrentIndex(-1)
        self.finder = QCompleter(self.model(), self)
        self.finder.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.finder.setFilterMode(Qt.MatchFlag.MatchContains)
        self.finder.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(self.finder)
        self.setMaxVisibleItems(12)


class VarietyList(QWidget):
    """The values chosen for one list: pick or type one and press Enter (or Add); Delete removes
    the selected one."""

    edited = Signal(tuple)  # the whole new list

    def __init__(self, kind: str, label: str, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chosen = QListWidget()
        self.chosen.setAccessibleName(label)
        self.chosen.setMaximumHeight(self.fontMetrics().lineSpacing() * 4 + 8)
        self.box = Picker(kind, placeholder)
        self.box.setAccessibleName(f"Add to {label.lower()}")
        self.add_button = QPushButton("Add")
        self.remove_button = QPushButton("Remove")
        self.add_button.clicked.connect(self.add_typed)
        self.remove_button.clicked.connect(self.remove_selected)
        self.box.line.returnPressed.connect(self.add_typed)
        self.chosen.installEventFilter(self)  # Delete or Backspace on a value removes it
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.box, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.chosen)
        layout.addLayout(row)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if (watched is self.chosen and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent) and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)):
            self.remove_selected()
            return True
        return super().eventFilter(watched, event)

    def values(self) -> tuple[str, ...]:
        return tuple(self.chosen.item(i).text() for i in range(self.chosen.count()))

    def show_values(self, values: tuple[str, ...]) -> None:
        if values != self.values():
            self.chosen.clear()
            self.chosen.addItems(list(values))

    def add_typed(self) -> None:
        text = self.box.currentText().strip()
        if text and text not in self.values():
            self.edited.emit((*self.values(), text))  # the operation checks it against VERIS
        self.box.setCurrentIndex(-1)
        self.box.clearEditText()

    def remove_selected(self) -> None:
        row = self.chosen.currentRow()
        if row >= 0:
            values = self.values()
            self.edited.emit(values[:row] + values[row + 1:])


class VerisPanel(QGroupBox):
    """The four VERIS classifications of the case, saved through ``edit_case`` as they change."""

    def __init__(self, session: CaseSession, parent: QWidget | None = None) -> None:
        super().__init__("VERIS classification (for a DBIR submission)", parent)
        self.session = session
        self.discovery = Picker("discovery", "How it was discovered, e.g. internal/Log review")
        self.discovery.insertItem(0, UNSET)
        self.discovery.setAccessibleName("Discovery method")
        self.discovery.activated.connect(lambda _i: self._discovery_chosen())
        self.discovery.line.editingFinished.connect(self._discovery_chosen)
        self.lists: dict[str, VarietyList] = {}
        form = QFormLayout(self)
        form.addRow("Discovery method", self.discovery)
        for field, kind, label, placeholder in LISTS:
            widget = VarietyList(kind, label, placeholder)
            widget.edited.connect(lambda values, field=field: self._save({field: values}))
            self.lists[field] = widget
            form.addRow(label, widget)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("VERIS classification status")
        form.addRow("", self.status)
        self.load(session.reader.case())
        session.changed.connect(self._case_changed)

    def _case_changed(self, changes: Changes) -> None:
        if changes.touches(RecordKind.CASE):
            self.load(self.session.reader.case())

    def load(self, case: Case) -> None:
        shown = case.veris_discovery or UNSET
        if self.discovery.currentText() != shown and not self.discovery.line.hasFocus():
            self.discovery.setCurrentText(shown)
        for field, widget in self.lists.items():
            widget.show_values(getattr(case, field))

    def _discovery_chosen(self) -> None:
        text = self.discovery.currentText().strip()
        value = "" if text in ("", UNSET) else text
        if value != self.session.reader.case().veris_discovery:
            self._save({"veris_discovery": value})

    def _save(self, changes: dict[str, object]) -> None:
        self.status.setText("Saving…")
        self.session.write(lambda c: ops.edit_case(c, **changes), on_done=self._saved,
                           on_error=self._failed, owner=self)

    def _saved(self, case: Case) -> None:
        self.status.setText("Saved")
        self.load(case)

    def _failed(self, message: str) -> None:
        self.status.setText(f"Not saved: {message}")
        self.load(self.session.reader.case())
