"""Copying secrets: marked for clipboard managers, cleared after 10 s, on lock and on quit."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QMimeData, QObject, QTimer
from PySide6.QtGui import QClipboard, QGuiApplication

CLEAR_AFTER = 10.0
SECRET_HINT = "x-kde-passwordManagerHint"


class SecretClipboard(QObject):
    """Puts a secret on the clipboard and takes it back, unless the user copied something else."""

    def __init__(
        self, clock: Callable[[], float] = time.monotonic, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._secret: str | None = None
        self._deadline = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(500)
        self._timer.timeout.connect(self.poll)

    @staticmethod
    def _board() -> QClipboard:
        return QGuiApplication.clipboard()

    def copy_secret(self, text: str) -> None:
        data = QMimeData()
        data.setText(text)
        data.setData(SECRET_HINT, b"secret")
        self._board().setMimeData(data)
        self._secret = text
        self._deadline = self._clock() + CLEAR_AFTER
        self._timer.start()

    @property
    def holding(self) -> bool:
        return self._secret is not None

    def poll(self) -> None:
        if self._secret is not None and self._clock() >= self._deadline:
            self.clear()

    def clear(self) -> None:
        """Empty the clipboard if it still holds our secret (lock, quit, or the timeout)."""
        self._timer.stop()
        if self._secret is None:
            return
        if self._board().text() == self._secret:
            self._board().clear()
        self._secret = None
