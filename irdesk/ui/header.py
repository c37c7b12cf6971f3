"""The strip above the tabs: title, TLP and drill badges, status, key times and live metrics."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from irdesk.casefile import operations as ops
from irdesk.casefile.changes import Changes
from irdesk.casefile.operations.case import STATUS_TIMES
from irdesk.casefile.standing import standing_problems
from irdesk.domain.enums import CaseStatus, RecordKind, Tlp
from irdesk.domain.metrics import key_durations, person_waits
from irdesk.domain.moment import Moment, format_duration
from irdesk.domain.records import KEY_TIMES, Case, Contact, Engagement
from irdesk.ui.deadline_countdown import DeadlineCountdown
from irdesk.ui.elided_label import ElidedLabel
from irdesk.ui.moments import shown
from irdesk.ui.session import CaseSession

TLP_COLOURS = {  # FIRST TLP 2.0 colours: text on black
    Tlp.CLEAR: "#FFFFFF",
    Tlp.GREEN: "#33FF00",
    Tlp.AMBER: "#FFC000",
    Tlp.AMBER_STRICT: "#FFC000",
    Tlp.RED: "#FF2B2B",
}
TIME_LABELS = (
    "First activity",
    "Detected",
    "Reported",
    "Contained",
    "Eradicated",
    "Recovered",
    "Closed",
)


def badge(text: str, fg: str, bg: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet(
        f"QLabel {{ color: {fg}; background: {bg}; font-weight: bold;"
        " padding: 2px 8px; border-radius: 3px; }"
    )
    return label


class Header(QWidget):
    """Title, badges, status and key times. Changing the status or a key time is a deliberate
    act through a dialog: nothing here takes the keyboard focus by itself."""

    def __init__(self, session: CaseSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.title = ElidedLabel()  # a long title ends in "…"; it never widens the window
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setAccessibleName("Case title")
        self.badges = QHBoxLayout()
        self.status = QLabel()
        self.status.setAccessibleName("Case status")
        self.status.setTextFormat(Qt.TextFormat.RichText)
        self.status_button = QPushButton("Change status…")
        self.status_button.setToolTip(
            "Move the case on (or back), with the time it happened (Ctrl+Shift+S). "
            "Closing needs every action item tested or waived."
        )
        self.status_button.clicked.connect(lambda: self.change_status())
        self.times_button = QPushButton("Key times…")
        self.times_button.setToolTip("First activity, detected, reported, contained… (Ctrl+K)")
        self.times_button.clicked.connect(lambda: self.edit_times())
        for button in (self.status_button, self.times_button):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a click never takes the focus
            button.setAutoDefault(False)
        self.times = QLabel()
        self.times.setAccessibleName("Key times")
        self.times.setTextFormat(Qt.TextFormat.RichText)
        self.times.setWordWrap(True)
        self.metrics = QLabel()
        self.metrics.setAccessibleName("Metrics")
        self.metrics.setWordWrap(True)
        self.saving = QLabel()
        self.saving.setAccessibleName("Saving status")
        self.to_fix = QLabel()
        self.to_fix.setWordWrap(True)
        self.to_fix.setStyleSheet("color: #b9770e")
        self.to_fix.setAccessibleName("To fix")
        self.to_fix.hide()
        self.deadline = DeadlineCountdown(session)  # the next regulatory deadline

        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addLayout(self.badges)
        top.addWidget(self.deadline)
        top.addStretch(1)
        top.addWidget(self.saving)
        top.addWidget(self.status)
        top.addWidget(self.status_button)
        top.addWidget(self.times_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 2)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.times)
        layout.addWidget(self.metrics)
        layout.addWidget(self.to_fix)
        self.setAutoFillBackground(True)
        session.changed.connect(self._changed)
        session.pending_changed.connect(self._pending)
        self._tick = QTimer(self)  # waits keep growing while nobody answers
        self._tick.setInterval(60_000)
        self._tick.timeout.connect(self.refresh_metrics)
        self._tick.start()
        session.closing.connect(self._tick.stop)  # a header outliving its case never reads it
        self.refresh()

    def refresh(self) -> None:
        case = self.session.reader.case()
        self._case = case
        self.title.setText(case.title)
        self.title.setToolTip(case.title)
        while self.badges.count():
            item = self.badges.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        tlp = badge(case.tlp.label, TLP_COLOURS[case.tlp], "#000000")
        tlp.setAccessibleName(f"Marking {case.tlp.label}")
        self.badges.addWidget(tlp)
        if case.drill:
            drill = badge("DRILL", "#FFFFFF", "#6a3ab2")
            drill.setToolTip("This case is an exercise")
            drill.setAccessibleName("Drill: this case is an exercise")
            self.badges.addWidget(drill)
        self.status.setText(f"Status: <b>{case.status.value}</b>")
        parts = []
        for name, label in zip(KEY_TIMES, TIME_LABELS, strict=True):
            value = getattr(case, name)
            parts.append(f"{label}: <b>{shown(value) or '—'}</b>")
        self.times.setText(" &nbsp; ".join(parts))
        self.refresh_metrics()
        self.refresh_problems()

    def refresh_problems(self) -> None:
        """Old data that breaks today's rules (a key time a year off): say it, so it gets fixed."""
        problems = standing_problems(self.session.reader, limit=3)
        self.to_fix.setText("To fix: " + " ".join(problems))
        self.to_fix.setVisible(bool(problems))

    def refresh_metrics(self) -> None:
        if self.session.closed or self.session.case.closed:
            return
        durations = key_durations(self._case)
        reader = self.session.reader
        # A deleted contact was still waited for: name them, as the report and the CLI do.
        contacts: dict[str, Contact] = {
            c.id: c for c in reader.records.all(Contact, include_deleted=True)
        }
        waits = person_waits(reader.records.all(Engagement), contacts, reader.clock())
        longest = "—"
        if waits:
            w = waits[0]
            still = " (still waiting)" if not w.resolved else ""
            longest = f"{format_duration(w.waited)} for {w.subject}{still}"
        self.metrics.setText(
            f"Time to detect: <b>{format_duration(durations.time_to_detect)}</b> &nbsp; "
            f"Time to contain: <b>{format_duration(durations.time_to_contain)}</b> &nbsp; "
            f"Longest wait for a person: <b>{longest}</b>"
        )

    def _changed(self, changes: Changes) -> None:
        if changes.touches(RecordKind.CASE):
            self.refresh()
        elif changes.touches(RecordKind.ENGAGEMENT, RecordKind.CONTACT):
            self.refresh_metrics()
            self.refresh_problems()
        elif changes.touches(RecordKind.EVIDENCE, RecordKind.CUSTODY, RecordKind.ACTION,
                             RecordKind.INDICATOR, RecordKind.CHECKLIST, RecordKind.REGIME,
                             RecordKind.NOTIFICATION) or (
                changes.touches(RecordKind.NOTE) and self.to_fix.isVisible()):  # not on every keystroke's save
            self.refresh_problems()

    def set_read_only(self) -> None:
        """The case is damaged: its status and key times cannot change any more."""
        self.status_button.setEnabled(False)
        self.times_button.setEnabled(False)

    def _pending(self, count: int) -> None:
        self.saving.setText("Saving…" if count else "")

    def set_status(
        self,
        status: CaseStatus,
        at: Moment | None = None,
        on_done: Callable[[Case], None] | None = None,
        on_error: Callable[[str], None] | None = None,
        owner: QObject | None = None,
    ) -> None:
        """Move the case to ``status``; its key time is ``at``, else the case's clock (if unset)."""
        stamp = STATUS_TIMES.get(status)
        changes: dict[str, Any] = {"status": status}
        if stamp is not None and at is not None:
            changes[stamp] = at
        self.session.write(lambda c: ops.edit_case(c, **changes), on_done=on_done, on_error=on_error,
                           owner=owner)

    def change_status(self) -> QDialog:
        """The deliberate act: a dialog that says what changes, and asks for the time."""
        from irdesk.ui.status_dialog import StatusDialog

        dialog = StatusDialog(self, self._case, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def edit_times(self) -> QDialog:
        from irdesk.ui.key_times import KeyTimesDialog

        dialog = KeyTimesDialog(self.session, self._case, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    @property
    def case(self) -> Case:
        return self._case
