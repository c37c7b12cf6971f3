"""Deleting a record from the GUI: a confirmation that says what happens, and the Delete key."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QMessageBox, QWidget


def confirm_delete(parent: QWidget, noun: str, label: str, stays: str = "its details stay") -> bool:
    """Ask before a tombstone, saying that nothing is erased."""
    answer = QMessageBox.question(
        parent,
        f"Delete {noun}",
        f"Delete the {noun} “{label}”?\n\n"
        f"The {noun} is marked deleted; {stays} in the case's history and the audit chain.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


def delete_action(view: QAbstractItemView, noun: str, slot: Callable[[], None]) -> QAction:
    """Offer "Delete <noun>…" on the view's context menu and on the Delete key (view focused)."""
    action = QAction(f"Delete {noun}…", view)
    action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
    action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    action.triggered.connect(lambda _=False: slot())
    view.addAction(action)
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
    return action
