"""The header's regulatory countdown: the next deadline, amber in its last quarter, red once overdue.

Colour is never the only sign: each state has its own symbol and words (◷ due in, ⚠ … left,
‼ OVERDUE), so the strip reads the same to a colour-blind responder or on a greyscale screen.
The time comes first and the deadline's name is cut to the room the header has (the tooltip
holds it all). Clicking it opens the Notifications panel.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QPushButton, QSizePolicy, QWidget

from irdesk.casefile import operations as ops
from irdesk.casefile.changes import Changes
from irdesk.domain.deadlines import Deadline, DeadlineState, next_due
from irdesk.domain.enums import RecordKind
from irdesk.domain.moment import format_duration
from irdesk.ui.moments import shown
from irdesk.ui.session import CaseSession

TICK_MS = 30_000
PADDING = 28  # the button's frame and padding, in pixels
MINIMUM_WIDTH = 150
QUIET_TEXT = "✓ No deadline due"  # fits MINIMUM_WIDTH whole: the header's room at 1024 px


class Urgency(StrEnum):
    NONE = "none"  # no regime applies: the button is hidden
    QUIET = "quiet"  # regimes apply, nothing is due
    OPEN = "open"
    AMBER = "amber"  # the last quarter of its time
    OVERDUE = "overdue"


STYLES = {
    Urgency.QUIET: "color: palette(mid); border: 1px solid palette(mid);",
    Urgency.OPEN: "border: 1px solid palette(dark);",
    Urgency.AMBER: "color: #000000; background: #FFC000; border: 2px solid #7a5200; font-weight: bold;",
    Urgency.OVERDUE: "color: #FFFFFF; background: #B91C1C; border: 2px solid #3f0909; font-weight: bold;",
}


def urgency_of(deadline: Deadline | None, any_regime: bool) -> Urgency:
    if deadline is None:
        return Urgency.QUIET if any_regime else Urgency.NONE
    if deadline.state is DeadlineState.OVERDUE:
        return Urgency.OVERDUE
    return Urgency.AMBER if deadline.urgent else Urgency.OPEN


def headline(deadline: Deadline | None, urgency: Urgency) -> str:
    if deadline is None:
        return QUIET_TEXT
    if urgency is Urgency.OVERDUE:
        return f"‼ OVERDUE by {format_duration(deadline.late_by)}: {deadline.label}"
    if urgency is Urgency.AMBER:
        return f"⚠ {format_duration(deadline.remaining)} left: {deadline.label}"
    return f"◷ Due in {format_duration(deadline.remaining)}: {deadline.label}"


class DeadlineCountdown(QPushButton):
    """A flat button in the header; ``open_requested`` asks the window for the Notifications panel."""

    open_requested = Signal()

    def __init__(self, session: CaseSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.urgency = Urgency.NONE
        self.deadline: Deadline | None = None
        self.full_text = ""
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.clicked.connect(self.open_requested.emit)
        session.changed.connect(self._changed)
        session.pending_changed.connect(self._pending)
        self._missed = False
        self._tick = QTimer(self)  # the countdown moves on while nobody types
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self.refresh)
        self._tick.start()
        session.closing.connect(self._tick.stop)
        self.hide()
        # First computed once the event loop runs: the window is up before a holiday calendar loads.
        QTimer.singleShot(0, self, self.refresh)

    def _changed(self, changes: Changes) -> None:
        if changes.touches(RecordKind.REGIME, RecordKind.NOTIFICATION):
            self.refresh()

    def _pending(self, count: int) -> None:
        if count == 0 and self._missed:  # after the write's own callbacks (a rekey reopens the case)
            QTimer.singleShot(0, self, self.refresh)

    def refresh(self) -> None:
        if self.session.closed or self.session.case.closed:  # a case closed under the view
            return
        if self.session.pending:  # a write in progress may be a rekey: read once it is done
            self._missed = True
            return
        self._missed = False
        reader = self.session.reader
        found = ops.deadlines(reader, reader.clock())
        self.deadline = next_due(found)
        self.urgency = urgency_of(self.deadline, bool(found))
        self.setVisible(self.urgency is not Urgency.NONE)
        text = self.full_text = headline(self.deadline, self.urgency)
        self._elide()
        self.updateGeometry()
        self.setStyleSheet(f"QPushButton {{ {STYLES.get(self.urgency, '')} padding: 2px 8px; border-radius: 3px; }}")
        pending = [d for d in found if d.pending]
        tip = [text if self.deadline is not None else "Regulatory notifications: nothing is due now."]
        if self.deadline is not None and self.deadline.due is not None:
            tip.append(f"Due {shown(self.deadline.due)} local time: {self.deadline.basis}.")
        if len(pending) > 1:
            tip.append(f"{len(pending) - 1} more notification(s) due after it.")
        tip.append("Click to open the Notifications panel.")
        self.setToolTip("\n".join(tip))
        self.setAccessibleName("Next regulatory deadline: " + text)

    # The whole text when there is room, cut at the end when the header is narrow (1024 px).
    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(self.fontMetrics().horizontalAdvance(self.full_text) + PADDING, super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(MINIMUM_WIDTH, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        room = max(self.width() - PADDING, 10)
        self.setText(self.fontMetrics().elidedText(self.full_text, Qt.TextElideMode.ElideRight, room))
