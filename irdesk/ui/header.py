"""The strip above the tabs: title, TLP and drill badges, status, key times and live metrics."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from irdesk.casefile import operations as ops
from irdesk.casefile.changes import Changes
from irdesk.casefile.standing import standing_problems
from irdesk.domain.enums import CaseStatus, RecordKind, Tlp
from irdesk.domain.metrics import key_durations, person_waits
from irdesk.domain.moment import format_duration
from irdesk.domain.records import KEY_TIMES, Case, Contact, Engagement
from irdesk.ui.deadline_countdown import DeadlineCountdown
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
    def __init__(self, session: CaseSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.title = QLabel()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setAccessibleName("Case title")
        self.badges = QHBoxLayout()
        self.status = QComboBox()
        self.status.addItems([s.value for s in CaseStatus])
        self.status.setAccessibleName("Case status")
        self.status.setToolTip("Case status. Closing needs every action item tested or waived.")
        self.status.activated.connect(self._status_chosen)
        self.times_button = QPushButton("Key times…")
        self.times_button.clicked.connect(self.edit_times)
        self.times = QLabel()
        self.times.setAccessibleName("Key times")
        self.metrics = QLabel()
        self.metrics.setAccessibleName("Metrics")
        self.saving = QLabel()
        self.saving.setAccessibleName("Saving status")
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("color: #c0392b; font-weight: bold")
        self.notice.setAccessibleName("Notice")
        self.notice.hide()
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
        top.addWidget(QLabel("Status"))
        top.addWidget(self.status)
        top.addWidget(self.times_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 2)
        layout.addLayout(top)
        layout.addWidget(self.times)
        layout.addWidget(self.metrics)
        layout.addWidget(self.notice)
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
        self.title.setText(case.title)
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
        self.status.setCurrentText(case.status.value)
        parts = []
        for name, label in zip(KEY_TIMES, TIME_LABELS, strict=True):
            value = getattr(case, name)
            parts.append(f"{label}: <b>{shown(value) or '—'}</b>")
        self.times.setText(" &nbsp; ".join(parts))
        self.times.setTextFormat(Qt.TextFormat.RichText)
        self.times.setWordWrap(True)
        self._case = case
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
        self.status.setEnabled(False)
        self.times_button.setEnabled(False)

    def _pending(self, count: int) -> None:
        self.saving.setText("Saving…" if count else "")

    def _status_chosen(self) -> None:
        status = CaseStatus(self.status.currentText())
        if status == self._case.status:
            return
        self.set_status(status)

    def set_status(self, status: CaseStatus) -> None:
        self.notice.hide()
        self.session.write(lambda c: ops.set_status(c, status), on_error=self._refused)

    def _refused(self, message: str) -> None:
        """A rule refused the change (key times out of order, closing too early): say why."""
        self.status.setCurrentText(self._case.status.value)
        self.notice.setText(message)
        self.notice.show()

    def edit_times(self) -> None:
        from irdesk.ui.key_times import KeyTimesDialog

        dialog = KeyTimesDialog(self._case, self)
        if dialog.exec():
            changes = dialog.changes()
            self.notice.hide()
            self.session.write(lambda c: ops.edit_case(c, **changes), on_error=self._refused)

    @property
    def case(self) -> Case:
        return self._case
