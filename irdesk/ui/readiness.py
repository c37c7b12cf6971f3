"""The readiness checklist on the Preparation tab: tick items, add your own and remove them.

Ticking an item about contacts while the contact book holds stale ones asks first, and the
panel keeps saying so: "contacts verified" should not be claimed over a stale book.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from irdesk.casefile import operations as ops
from irdesk.casefile.changes import Changes
from irdesk.domain.enums import RecordKind
from irdesk.domain.records import ChecklistItem, Contact
from irdesk.templates import readiness_items
from irdesk.ui.contacts.model import stale_warning
from irdesk.ui.deletion import confirm_delete, delete_action
from irdesk.ui.session import CaseSession

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


def about_contacts(item: ChecklistItem) -> bool:
    """An item that claims something about the contact book ("Contacts verified …")."""
    return "contact" in item.text.casefold()


@functools.cache
def _standard_texts() -> frozenset[str]:
    return frozenset(readiness_items())


def is_builtin(item: ChecklistItem) -> bool:
    """One of the standard items (those stay; the team's own can be removed)."""
    return item.text in _standard_texts()


def stale_contacts(contacts: list[Contact]) -> list[Contact]:
    """Live contacts the contacts panel flags: stale, or never verified."""
    return [c for c in contacts if not c.deleted and stale_warning(c)]


class ChecklistModel(QAbstractListModel):
    """Checkable items; ticking one asks the session to save it."""

    def __init__(self, session: CaseSession, parent: Any = None) -> None:
        super().__init__(parent)
        self.session = session
        self._items: list[ChecklistItem] = []
        self.stale: list[Contact] = []  # the contacts flagged stale, as of the last reload
        self.confirm_stale: Any = lambda _item: True  # asked before ticking a contacts item over them

    def reload(self) -> None:
        self.beginResetModel()
        self._items = sorted(
            self.session.reader.records.all(ChecklistItem), key=lambda i: (i.position, i.created.utc)
        )
        self.stale = stale_contacts(self.session.reader.records.all(Contact))
        self.endResetModel()

    def warns(self, item: ChecklistItem) -> bool:
        return item.done and about_contacts(item) and bool(self.stale)

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
        if role == Qt.ItemDataRole.ToolTipRole:
            if self.warns(item):
                return f"Ticked, but {len(self.stale)} contact(s) are stale or never verified."
            return "A standard item: untick it, it cannot be removed." if is_builtin(item) else \
                "Your own item: Delete removes it."
        if role == Qt.ItemDataRole.ForegroundRole and self.warns(item):
            from PySide6.QtGui import QColor

            return QColor("#c0392b")
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
        if done and not item.done and about_contacts(item) and self.stale and not self.confirm_stale(item):
            return False
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
        self.model.confirm_stale = self._confirm_stale
        delete_action(self.list, "item", self.remove_selected)
        self.remove_button = QPushButton("&Remove item…")
        self.remove_button.setToolTip("Remove one of your own items (Delete); the standard ones stay")
        self.remove_button.clicked.connect(lambda: self.remove_selected())
        self.list.selectionModel().currentChanged.connect(lambda *_: self._enable())
        self.warning = QLabel()
        self.warning.setAccessibleName("Checklist warning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #c0392b; font-weight: bold")
        self.warning.hide()
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
        row.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Was the team ready? Tick what was in place before the incident."))
        layout.addWidget(self.list, 1)
        layout.addWidget(self.warning)
        layout.addWidget(self.progress)
        layout.addLayout(row)
        session.changed.connect(self._changed)
        self.reload()

    def focus_target(self) -> QWidget:
        return self.list

    def _changed(self, changes: Changes) -> None:
        if changes.touches(RecordKind.CHECKLIST) or changes.touches(RecordKind.CONTACT):
            self.reload()

    def reload(self) -> None:
        """Read the items again, keeping the keyboard's place (ticking one reloads the list)."""
        chosen = self.selected()
        row = self.list.currentIndex().row()
        self.model.reload()
        items = self.model.items()
        if items and row >= 0:
            ids = [i.id for i in items]
            keep = ids.index(chosen.id) if chosen is not None and chosen.id in ids else min(row, len(items) - 1)
            self.list.setCurrentIndex(self.model.index(keep))
        self.standard.setVisible(not items)
        done = sum(i.done for i in items)
        self.progress.setText(
            f"{done} of {len(items)} in place" if items else "The checklist is empty."
        )
        ticked = [i for i in items if self.model.warns(i)]
        self.warning.setText(
            f"⚠ “{ticked[0].text}” is ticked, but {self._stale_summary()} Verify them on the Contacts "
            "tab (Ctrl+6), or untick it." if ticked else "")
        self.warning.setVisible(bool(ticked))
        self._enable()

    def _stale_summary(self) -> str:
        stale = self.model.stale
        total = self.session.reader.records.count(Contact)
        names = ", ".join(c.name for c in stale[:3]) + (" …" if len(stale) > 3 else "")
        return f"{len(stale)} of {total} contacts are stale or never verified ({names})."

    def _confirm_stale(self, item: ChecklistItem) -> bool:
        answer = QMessageBox.question(
            self, "Contacts are stale",
            f"{self._stale_summary()}\n\nTick “{item.text}” anyway?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def selected(self) -> ChecklistItem | None:
        row = self.list.currentIndex().row()
        items = self.model.items()
        return items[row] if 0 <= row < len(items) else None

    def _enable(self) -> None:
        item = self.selected()
        self.remove_button.setEnabled(item is not None and not is_builtin(item))

    def remove_selected(self) -> None:
        item = self.selected()
        if item is None:
            return
        if is_builtin(item):
            self.progress.setText("That is a standard item: untick it if it was not in place.")
            return
        if confirm_delete(self, "checklist item", item.text):
            self.session.write(lambda c: ops.delete(c, ChecklistItem, item.id))

    def add_item(self) -> None:
        text = self.new_item.text().strip()
        if not text:
            return
        self.new_item.clear()
        self.session.write(lambda c: ops.add_checklist_items(c, [text]))
