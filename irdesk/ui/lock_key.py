"""Ctrl+L locks from anywhere: the case window, a modeless dialog, or a modal one; and what
locking does to the dialogs it closes (``clear_text``).

A window-modal or application-modal dialog blocks the main window's own shortcut, so the
key is caught for the whole application instead: the shortcut stage is claimed (so no other
shortcut sees Ctrl+L) and the key press itself asks the desk to lock.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QPlainTextEdit, QTextEdit, QWidget

LOCK_KEYS = QKeySequence("Ctrl+L")


class LockKey(QObject):
    """An application event filter; ``pressed`` fires once per Ctrl+L while ``enabled``."""

    pressed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.enabled = False  # only while a case is open

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if not self.enabled or kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        assert isinstance(event, QKeyEvent)
        if not _is_lock(event):
            return False
        event.accept()
        if kind == QEvent.Type.KeyPress and not event.isAutoRepeat():
            self.pressed.emit()
        return True


def _is_lock(event: QKeyEvent) -> bool:
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return event.key() == Qt.Key.Key_L and modifiers == Qt.KeyboardModifier.ControlModifier


def clear_text(dialog: QWidget) -> None:
    """Empty every field and label of a dialog that is about to close with the case."""
    for field in dialog.findChildren(QLineEdit):
        field.clear()
    for text in dialog.findChildren(QPlainTextEdit) + dialog.findChildren(QTextEdit):
        text.clear()
    for items in dialog.findChildren(QListWidget):
        items.clear()
    for label in dialog.findChildren(QLabel):
        label.clear()
