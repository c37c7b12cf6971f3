"""Nothing changed by accident: after opening, unlocking or switching phase the keyboard is in
the note editor, and the status changes only through a dialog that asks for it."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from irdesk.casefile import operations as ops
from irdesk.casefile.store import CaseFile
from irdesk.domain.enums import CaseStatus, Phase
from irdesk.domain.moment import Moment
from irdesk.ui.moments import shown, to_qdatetime
from irdesk.ui.notes.editor import SaveState
from tests.conftest import PASSPHRASE
from tests.ui.conftest import wait_saved


def focused():
    return QApplication.focusWidget()


def test_typing_right_after_unlocking_starts_a_note_and_never_touches_the_status(
        desk, closed_case, qtbot):
    desk.start(closed_case)
    desk.unlock_dialog.passphrase.setText(PASSPHRASE)
    desk.unlock_dialog.unlock_button.click()
    qtbot.waitUntil(lambda: desk.window is not None, timeout=10000)
    window = desk.window
    tab = window.current_phase_tab()
    qtbot.waitUntil(lambda: focused() is tab.editor.text)
    for text in ("Called Ana", " c", " C"):  # "C" once picked "contained", "c" tried "closed"
        qtbot.keyClicks(focused(), text)
    qtbot.waitUntil(lambda: tab.editor.save_state is SaveState.SAVED, timeout=5000)
    assert desk.session.reader.notes.page()[0].body == "Called Ana c C"
    assert desk.session.reader.case().status is CaseStatus.OPEN
    assert desk.session.reader.case().contained_at is None


def test_switching_phase_puts_the_keyboard_in_its_editor(main_window, qtbot):
    main_window.activateWindow()
    for number, phase in enumerate(Phase, start=1):
        qtbot.keyClick(focused() or main_window, Qt.Key(Qt.Key.Key_0 + number),
                       Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda phase=phase: focused() is main_window.phase_tabs[phase].editor.text)


def test_no_control_that_changes_the_case_takes_focus_on_a_click(main_window):
    header = main_window.header
    for button in (header.status_button, header.times_button):
        assert button.focusPolicy() == Qt.FocusPolicy.TabFocus and not button.autoDefault()


def test_a_status_change_asks_and_stamps_its_key_time(main_window, session, qtbot):
    header = main_window.header
    dialog = header.change_status()
    assert dialog.chosen() is CaseStatus.CONTAINED  # the usual next step, not yet applied
    assert session.reader.case().status is CaseStatus.OPEN
    dialog.confirm.click()
    wait_saved(qtbot, session)
    case = session.reader.case()
    assert case.status is CaseStatus.CONTAINED and case.contained_at is not None
    assert f"Contained: <b>{shown(case.contained_at)}</b>" in header.times.text()
    assert "contained" in header.status.text()


def test_a_status_can_be_back_dated(main_window, session, qtbot):
    dialog = main_window.header.change_status()
    dialog.buttons_by_status[CaseStatus.RECOVERED].setChecked(True)
    earlier = Moment.now() + timedelta(hours=-3)
    dialog.at.edit.setDateTime(to_qdatetime(earlier))
    dialog.confirm.click()
    wait_saved(qtbot, session)
    case = session.reader.case()
    assert case.status is CaseStatus.RECOVERED
    assert abs((case.recovered_at - earlier).total_seconds()) < 60


def test_the_closing_gate_says_why_in_the_dialog_and_nowhere_after(main_window, session, qtbot):
    ops.add_action(session.case, "Deploy EDR on file servers")
    dialog = main_window.header.change_status()
    dialog.buttons_by_status[CaseStatus.CLOSED].setChecked(True)
    dialog.confirm.click()
    qtbot.waitUntil(lambda: dialog.refusal.isVisibleTo(dialog), timeout=5000)
    assert "Deploy EDR on file servers" in dialog.refusal.text()
    assert dialog.isVisible() and session.reader.case().status is CaseStatus.OPEN
    dialog.buttons_by_status[CaseStatus.CONTAINED].setChecked(True)  # the problem is gone
    assert not dialog.refusal.isVisibleTo(dialog)
    dialog.reject()
    assert all("Deploy EDR" not in label.text() for label in main_window.header.findChildren(type(dialog.refusal)))


def test_a_case_opened_from_the_command_line_has_the_focus_in_the_editor(desk, closed_case, qtbot, monkeypatch):
    monkeypatch.setenv("IRDESK_PASSPHRASE", PASSPHRASE)
    with CaseFile.open(closed_case, PASSPHRASE, actor="T") as case:
        ops.add_action(case, "Keep the status away from stray keys")
    desk.start(closed_case)
    qtbot.waitUntil(lambda: focused() is desk.window.current_phase_tab().editor.text)
