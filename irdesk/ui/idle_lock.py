"""Auto-lock after a period without keyboard or mouse input (on by default)."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
    QEvent.Type.InputMethod,
}


class IdleLock(QObject):
    """Watches the whole application for input; emits ``idle`` once the time has passed."""

    idle = Signal()

    def __init__(
        self,
        minutes: int,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._seconds = minutes * 60.0
        self._last = clock()
        self._timer = QTimer(self)
        self._timer.setInterval(5000)
        self._timer.timeout.connect(self.poll)
        if minutes > 0:
            self._timer.start()

    @property
    def minutes(self) -> int:
        return int(self._seconds // 60)

    def set_minutes(self, minutes: int) -> None:
        self._seconds = minutes * 60.0
        self.touch()
        if minutes > 0:
            self._timer.start()
        else:
            self._timer.stop()

    def touch(self) -> None:
        self._last = self._clock()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in _ACTIVITY:
            self._last = self._clock()
        return False

    def poll(self) -> None:
        if self._seconds > 0 and self._clock() - self._last >= self._seconds:
            self._last = self._clock()
            self.idle.emit()

    def stop(self) -> None:
        self._timer.stop()
