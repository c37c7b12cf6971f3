"""The header's deadline countdown in its states, and the Notifications panel on the Post-incident tab.

The case runs on a settable clock, so no test waits for real time to pass.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from irdesk.casefile import operations as ops
from irdesk.casefile.store import CaseFile
from irdesk.domain.enums import ContactKind, RegimeKind
from irdesk.domain.moment import Moment
from irdesk.domain.records import Notification, Regime
from tests.conftest import PASSPHRASE

AWARE = Moment.parse("2026-10-12T08:10+01:00")


class CaseClock:
    def __init__(self, now: Moment) -> None:
        self.now = now

    def __call__(self) -> Moment:
        return self.now


@pytest.fixture
def case_clock() -> CaseClock:
    return CaseClock(AWARE + timedelta(hours=1))


@pytest.fixture
def timed_session(case_path, case_clock, qtbot):
    from irdesk.ui.session import CaseSession

    CaseFile.create(case_path, PASSPHRASE, title="Clocks", actor="T").close()
    s = CaseSession(CaseFile.open(case_path, PASSPHRASE, actor="T", clock=case_clock))
    yield s
    s.close()


def write(session, op):
    """Run an operation through the session, as a widget would, and wait for its change set."""
    box = []
    session.write(op, on_done=box.append)
    session.settle()
    return box[0]


@pytest.fixture
def dpa(timed_session):
    return write(timed_session, lambda c: ops.add_contact(c, "Dutch DPA", kind=ContactKind.REGULATOR))


# ---------------------------------------------------------------- the header countdown


def started(widget) -> None:
    """Let the event loop run the widget's first refresh (a zero-delay timer)."""
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()


def test_the_countdown_is_hidden_without_a_regime_and_quiet_when_nothing_is_due(timed_session, qtbot, dpa):
    from irdesk.ui.deadline_countdown import QUIET_TEXT, DeadlineCountdown, Urgency

    countdown = DeadlineCountdown(timed_session)
    qtbot.addWidget(countdown)
    started(countdown)
    assert countdown.urgency is Urgency.NONE and countdown.isHidden()
    gdpr = write(timed_session, lambda c: ops.add_regime(c, RegimeKind.GDPR, aware_at=AWARE))
    assert countdown.urgency is Urgency.OPEN and not countdown.isHidden()  # refreshed from the change set
    write(timed_session, lambda c: ops.add_notification(c, gdpr.id, "notification", AWARE + timedelta(hours=5),
                                                        dpa.id))
    assert countdown.urgency is Urgency.QUIET and countdown.full_text == QUIET_TEXT
    countdown.resize(countdown.minimumSizeHint())  # the header's room on a 1024 px screen
    assert countdown.text() == QUIET_TEXT  # whole, never "Regulators: nothing d…"


def test_the_countdown_goes_amber_in_the_last_quarter_and_red_when_overdue(timed_session, case_clock, qtbot):
    from irdesk.ui.deadline_countdown import DeadlineCountdown, Urgency

    write(timed_session, lambda c: ops.add_regime(c, RegimeKind.GDPR, aware_at=AWARE))
    countdown = DeadlineCountdown(timed_session)
    qtbot.addWidget(countdown)
    assert countdown.isHidden()  # computed once the event loop runs, not while the window opens
    started(countdown)
    assert countdown.urgency is Urgency.OPEN
    assert countdown.full_text == "◷ Due in 2 d 23 h: GDPR notification"
    assert "#FFC000" not in countdown.styleSheet()
    case_clock.now = AWARE + timedelta(hours=54)  # 18 h of 72 h left: the last quarter
    countdown.refresh()
    assert countdown.urgency is Urgency.AMBER
    assert countdown.full_text == "⚠ 18 h 00 min left: GDPR notification"
    assert "#FFC000" in countdown.styleSheet()
    case_clock.now = AWARE + timedelta(hours=75, minutes=30)
    countdown.refresh()
    assert countdown.urgency is Urgency.OVERDUE
    assert countdown.full_text == "‼ OVERDUE by 3 h 30 min: GDPR notification"
    assert "#B91C1C" in countdown.styleSheet()
    assert "Click to open the Notifications panel" in countdown.toolTip()


def test_the_countdown_shows_the_first_pending_deadline_of_all_regimes(timed_session, qtbot):
    from irdesk.ui.deadline_countdown import DeadlineCountdown

    write(timed_session, lambda c: ops.add_regime(c, RegimeKind.GDPR, aware_at=AWARE))
    write(timed_session, lambda c: ops.add_regime(c, RegimeKind.NIS2, aware_at=AWARE))
    countdown = DeadlineCountdown(timed_session)
    qtbot.addWidget(countdown)
    started(countdown)
    assert countdown.deadline.label == "NIS2 early warning"
    assert "2 more notification(s) due after it" in countdown.toolTip()


def test_clicking_the_header_deadline_opens_the_notifications_panel(timed_session, qtbot):
    from PySide6.QtCore import Qt

    from irdesk.domain.enums import Phase
    from irdesk.ui.main_window import MainWindow

    class Desk:
        def __getattr__(self, name):
            return lambda *a, **k: None

    nis2 = write(timed_session, lambda c: ops.add_regime(c, RegimeKind.NIS2, aware_at=AWARE))
    window = MainWindow(timed_session, Desk())
    qtbot.addWidget(window)
    window.header.deadline.refresh()
    assert window.tabs.currentIndex() == 0
    qtbot.mouseClick(window.header.deadline, Qt.MouseButton.LeftButton)
    tab = window.phase_tabs[Phase.POST_INCIDENT]
    assert window.tabs.currentWidget() is tab and tab.sections.currentWidget() is window.notifications
    selected = window.notifications.selected()
    assert (selected.regime.id, selected.stage.key) == (nis2.id, "early-warning")


# ---------------------------------------------------------------- the panel


@pytest.fixture
def panel(timed_session, qtbot):
    from irdesk.ui.post_incident.notifications import NotificationsPanel

    p = NotificationsPanel(timed_session)
    qtbot.addWidget(p)
    p.show()  # a panel out of sight loads when first shown
    return p


def test_the_deadline_model_passes_the_model_tester(panel, timed_session, qtmodeltester, dpa):
    nis2 = write(timed_session, lambda c: ops.add_regime(c, RegimeKind.NIS2, aware_at=AWARE))
    write(timed_session, lambda c: ops.add_notification(c, nis2.id, "early-warning", AWARE + timedelta(hours=2),
                                                        dpa.id, reference="EW-1"))
    assert panel.model.rowCount() == 3
    qtmodeltester.check(panel.model)


def test_adding_a_regime_and_recording_a_notification_in_the_panel(panel, timed_session, qtbot, dpa):
    assert not panel.empty.isHidden() and panel.model.rowCount() == 0
    panel.add_regime(RegimeKind.NIS2, {"aware_at": AWARE, "jurisdiction": "nl", "time_zone": ""})
    timed_session.settle()
    assert panel.model.rowCount() == 3 and panel.empty.isHidden()
    assert panel.selected().stage.key == "early-warning"  # the new regime's first deadline is selected
    assert "◷ open, 23 h 00 min left" == panel.model.index(0, 2).data()
    panel.record_sent({"sent_at": AWARE + timedelta(hours=30), "contact_id": dpa.id, "reference": "EW-1",
                       "late_reason": "The bridge had no one free"})
    timed_session.settle()
    [sent] = timed_session.reader.records.all(Notification)
    assert (sent.stage, sent.reference, sent.late_reason) == ("early-warning", "EW-1", "The bridge had no one free")
    assert panel.model.index(0, 2).data() == "✗ late by 6 h 00 min"
    assert panel.model.index(0, 4).data() == "Dutch DPA"
    assert "Reason for the delay: The bridge had no one free" in panel.details.text()
    panel.edit_notification({"sent_at": AWARE + timedelta(hours=20), "late_reason": ""})
    timed_session.settle()
    assert panel.model.index(0, 2).data() == "✓ met, 4 h 00 min to spare"


def test_a_refused_notification_says_why(panel, timed_session, qtbot, dpa, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda _p, _t, text, *_a: shown.append(text)))
    panel.add_regime(RegimeKind.GDPR, {"aware_at": AWARE})
    timed_session.settle()
    panel.record_sent({"sent_at": AWARE + timedelta(hours=-1), "contact_id": dpa.id})
    timed_session.settle()
    assert shown and "before awareness" in shown[0]
    assert timed_session.reader.records.all(Notification) == []


def test_editing_and_deleting_a_regime_in_the_panel(panel, timed_session, dpa, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    panel.add_regime(RegimeKind.DORA, {"aware_at": AWARE})
    timed_session.settle()
    assert panel.model.index(0, 2).data().startswith("… not yet triggered: classification as major")
    panel.edit_regime({"classified_at": AWARE + timedelta(hours=2)})
    timed_session.settle()
    assert panel.model.index(0, 2).data() == "◷ open, 5 h 00 min left"
    panel.record_sent({"sent_at": AWARE + timedelta(hours=3), "contact_id": dpa.id})
    timed_session.settle()
    panel.delete_regime()
    timed_session.settle()
    assert panel.model.rowCount() == 0
    assert timed_session.reader.records.all(Regime) == [] and timed_session.reader.records.all(Notification) == []


def test_the_regime_dialog_offers_only_the_regimes_own_triggers(qtbot):
    from irdesk.ui.post_incident.regime_dialog import RegimeDialog

    dialog = RegimeDialog()
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("sec-8k"))
    dialog.triggers[next(t for t in dialog.triggers if t.value == "determined_at")].set_value(AWARE)
    dialog.zone.setCurrentText("America/New_York")
    fields = dialog.fields()
    assert set(fields) == {"name", "jurisdiction", "time_zone", "determined_at"}
    assert fields["determined_at"].utc == AWARE.utc and fields["time_zone"] == "America/New_York"
    dialog.kind.setCurrentIndex(dialog.kind.findData("custom"))
    dialog.name.setText("UK ICO")
    dialog.stages.setPlainText("initial=72h\n\nfollow-up=1mo after initial\n")
    fields = dialog.fields()
    assert fields["stages"] == ("initial=72h", "follow-up=1mo after initial") and "aware_at" in fields


def test_the_notification_dialog_lists_regulators_first(timed_session, qtbot, dpa):
    from irdesk.domain.records import Contact
    from irdesk.ui.post_incident.notification_dialog import NotificationDialog

    write(timed_session, lambda c: ops.add_contact(c, "Aaron from IT"))
    write(timed_session, lambda c: ops.add_regime(c, RegimeKind.GDPR, aware_at=AWARE))
    [deadline] = ops.deadlines(timed_session.reader)
    dialog = NotificationDialog(deadline, timed_session.reader.records.all(Contact))
    qtbot.addWidget(dialog)
    assert dialog.to.itemText(0) == "Dutch DPA"
    assert dialog.fields()["contact_id"] == dpa.id and dialog.fields()["sent_at"] is not None


def test_a_long_deadline_name_never_widens_the_header_past_1024_pixels(timed_session, qtbot):
    from irdesk.ui.header import Header

    header = Header(timed_session)
    qtbot.addWidget(header)
    narrow = header.minimumSizeHint().width()
    write(timed_session, lambda c: ops.add_regime(
        c, RegimeKind.CUSTOM, name="The national supervisory authority for critical infrastructure operators",
        stages=("preliminary notification of a significant incident=24h",), aware_at=AWARE))
    assert header.deadline.isVisibleTo(header) and "preliminary notification" in header.deadline.full_text
    assert header.minimumSizeHint().width() <= max(narrow, 1024)
    assert header.deadline.sizeHint().width() > header.deadline.minimumSizeHint().width()  # it shrinks, then cuts


def test_views_whose_case_is_closed_under_them_do_not_read_it(case_path, qtbot):
    """A window torn down out of order (the case closed before its session): the header's and the
    countdown's timers and the panel's next tick must not read the closed file."""
    from irdesk.ui.header import Header
    from irdesk.ui.post_incident.notifications import NotificationsPanel
    from irdesk.ui.session import CaseSession

    CaseFile.create(case_path, PASSPHRASE, title="Clocks", actor="T").close()
    case = CaseFile.open(case_path, PASSPHRASE, actor="T")
    ops.add_regime(case, RegimeKind.GDPR, aware_at=AWARE)
    session = CaseSession(case)
    header, panel = Header(session), NotificationsPanel(session)
    qtbot.addWidget(header)
    qtbot.addWidget(panel)
    started(header)
    assert header.deadline.full_text
    case.close()
    header.deadline.refresh()
    header.refresh_metrics()
    panel.reload()
    panel.show()
    panel._tick()
    session.close()
