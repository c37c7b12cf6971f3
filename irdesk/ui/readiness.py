"""The readiness checklist on the Preparation tab: tick items, add your own."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from irdesk.casefile import operations as ops
from irdesk.casefile.changes import Changes
from irdesk.domain.enums import RecordKind
from irdesk.domain.records import ChecklistItem
from irdesk.templates import readiness_items
from irdesk.ui.session import CaseSession

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class ChecklistModel(QAbstractListModel):
    """Checkable items; ticking one asks the session to save it."""

    def __init__(self, session: CaseSession, parent: Any = None) -> None:
        super().__init__(parent)
        self.session = session
        self._items: list[ChecklistItem] = []

    def reload(self) -> None:
        self.beginResetModel()
        self._items = sorted(
            self.session.reader.records.all(ChecklistItem), key=lambda i: (i.position, i.created.utc)
        )
        self.endResetModel()

    def items(self) -> list[ChecklistItem]:
        return list(self._items)

    def rowCount(self, parent: Index = _ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return item.text
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if item.done else Qt.CheckState.Unchecked
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsUserCheckable
        )

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole:
            return False
        item = self._items[index.row()]
        done = (
            Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
        )
        self._items[index.row()] = dataclasses.replace(item, done=done)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.session.write(lambda c: ops.edit_checklist_item(c, item.id, done=done))
        return True


class ReadinessPanel(QWidget):
    def __init__(self, session: CaseSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = ChecklistModel(session, self)
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setAccessibleName("Readiness checklist")
        self.new_item = QLineEdit()
        self.new_item.setPlaceholderText("Add your own item and press Enter")
        self.new_item.setAccessibleName("New readiness item")
        self.new_item.returnPressed.connect(self.add_item)
        self.standard = QPushButton("Add the standard checklist")
        self.standard.clicked.connect(
            lambda: self.session.write(lambda c: ops.add_checklist_items(c, readiness_items())))
        self.progress = QLabel()
        row = QHBoxLayout()
        row.addWidget(self.new_item, 1)
        row.addWidget(self.standard)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Was the team ready? Tick what was in place before the incident."))
        layout.addWidget(self.list, 1)
        layout.addWidget(self.progress)
        layout.addLayout(row)
        session.changed.connect(self._changed)
        self.reload()

    def focus_target(self) -> QWidget:
        return self.list

    def _changed(self, changes: Changes) -> None:
        if changes.touches(RecordKind.CHECKLIST):
            self.reload()

    def reload(self) -> None:
        self.model.reload()
        items = self.model.items()
        self.standard.setVisible(not items)
        done = sum(i.done for i in items)
        self.progress.setText(
            f"{done} of {len(items)} in place" if items else "The checklist is empty."
        )

    def add_item(self) -> None:
        text = self.new_item.text().strip()
        if not text:
            return
        self.new_item.clear()
        self.session.write(lambda c: ops.add_checklist_items(c, [text]))
