"""Lock from anywhere: Ctrl+L with any dialog open closes it, clears its text and locks; what
the forms hold is saved first, a refused edit is named by the unlock; quit waits for writes."""

from __future__ import annotations

import time

import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit

from irdesk.casefile import operations as ops
from irdesk.domain.records import ActionItem, Evidence, Note
from tests.conftest import PASSPHRASE


def press_ctrl_l(widget) -> None:
    from PySide6.QtTest import QTest

    QTest.keyClick(widget, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)


def open_case(desk, closed_case, monkeypatch):
    monkeypatch.setenv("IRDESK_PASSPHRASE", PASSPHRASE)
    desk.start(closed_case)
    assert desk.window is not None
    return desk.window


def locked(desk) -> bool:
    return desk.window is None and desk.unlock_dialog is not None and desk.unlock_dialog.isVisible()


def test_ctrl_l_with_the_hand_off_dialog_open(desk, closed_case, qtbot, monkeypatch):
    from irdesk.ui.handoff_dialog import show_handoff_dialog

    window = open_case(desk, closed_case, monkeypatch)
    dialog = show_handoff_dialog(window, desk.session)
    qtbot.keyClicks(dialog.passphrase.first, "tangerine-copy-passphrase")
    fields = [f for f in dialog.findChildren(QLineEdit)]
    press_ctrl_l(dialog.passphrase.first)
    qtbot.waitUntil(lambda: locked(desk), timeout=5000)
    assert not shiboken6.isValid(dialog) or not dialog.isVisible()
    assert all(not shiboken6.isValid(f) or f.text() == "" for f in fields)  # its text went with it


def test_ctrl_l_with_the_report_dialog_open(desk, closed_case, qtbot, monkeypatch):
    from irdesk.ui.report_dialog import show_report_dialog

    window = open_case(desk, closed_case, monkeypatch)
    dialog = show_report_dialog(window, desk.session)
    dialog._passphrase.setText("identity-passphrase-1")
    press_ctrl_l(dialog._passphrase)
    qtbot.waitUntil(lambda: locked(desk), timeout=10000)
    assert not shiboken6.isValid(dialog) or (not dialog.isVisible() and dialog._passphrase.text() == "")


def test_ctrl_l_inside_a_modal_question(desk, closed_case, qtbot, monkeypatch):
    """An application-modal input box runs its own event loop: the lock still closes it."""
    import importlib

    from PySide6.QtWidgets import QInputDialog

    window = open_case(desk, closed_case, monkeypatch)
    window.show_tab(window.tabs.indexOf(window.contacts))
    input_dialog_module = importlib.import_module("PySide6.QtWidgets")
    real = input_dialog_module.QInputDialog.getText
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(real))

    def press_when_shown() -> None:
        modal = QApplication.activeModalWidget()
        if modal is None:
            QTimer.singleShot(20, press_when_shown)
            return
        field = modal.findChild(QLineEdit)
        field.setText("Marta Kowalczyk")
        press_ctrl_l(field)

    QTimer.singleShot(20, press_when_shown)
    window.contacts.add_contact()  # blocks in the box until the lock closes it
    qtbot.waitUntil(lambda: locked(desk), timeout=5000)


def test_form_edits_are_saved_before_locking_and_a_refused_one_is_named(desk, closed_case, qtbot, monkeypatch):
    window = open_case(desk, closed_case, monkeypatch)
    session = desk.session
    item = ops.add_evidence(session.case, "FS01 disk image").value
    action = ops.add_action(session.case, "Deploy EDR on file servers").value
    session.reader.refresh_head()
    window.evidence.reload()
    window.evidence.select(item.id)
    window.evidence.holder.setText("Ana at the lab")  # valid: saved
    window.actions_panel.reload()
    window.actions_panel.select(action.id)
    window.actions_panel.status.setCurrentText("waived")  # no reason: refused
    press_ctrl_l(window)
    qtbot.waitUntil(lambda: locked(desk), timeout=5000)
    message = desk.unlock_dialog.error.text()
    assert "locked" in message and "Deploy EDR on file servers" in message and "without a reason" in message
    from irdesk.casefile.store import CaseFile

    with CaseFile.open(closed_case, PASSPHRASE, actor="t", writable=False) as case:
        assert case.records.get(Evidence, item.id).holder == "Ana at the lab"
        assert case.records.get(ActionItem, action.id).waived_reason == ""


def test_changed_key_times_are_saved_before_locking(desk, closed_case, qtbot, monkeypatch):
    window = open_case(desk, closed_case, monkeypatch)
    dialog = window.header.edit_times()
    dialog.fields["detected_at"].set_now()
    press_ctrl_l(dialog.fields["detected_at"].edit)
    qtbot.waitUntil(lambda: locked(desk), timeout=5000)
    from irdesk.casefile.store import CaseFile

    with CaseFile.open(closed_case, PASSPHRASE, actor="t", writable=False) as case:
        assert case.case().detected_at is not None


def test_quit_waits_for_a_write_in_flight(desk, closed_case, qtbot, monkeypatch):
    window = open_case(desk, closed_case, monkeypatch)
    session = desk.session

    def slow_note(case):
        time.sleep(0.5)  # a slow stick's fsync
        return ops.add_note(case, "detection", "Written while quitting")

    session.write(slow_note)
    assert session.pending == 1
    assert desk.quit()
    assert desk.quits == [True] and window is not None
    from irdesk.casefile.store import CaseFile

    with CaseFile.open(closed_case, PASSPHRASE, actor="t", writable=False) as case:
        assert [n.body for n in case.records.all(Note)] == ["Written while quitting"]


def test_ctrl_l_lets_a_write_in_flight_commit_first(desk, closed_case, qtbot, monkeypatch):
    window = open_case(desk, closed_case, monkeypatch)
    session = desk.session

    def slow_note(case):
        time.sleep(0.5)  # a slow stick's fsync, running as the key is pressed
        return ops.add_note(case, "detection", "Written while locking")

    session.write(slow_note)
    assert session.pending == 1
    press_ctrl_l(window)
    qtbot.waitUntil(lambda: locked(desk), timeout=5000)
    assert "Not saved" not in desk.unlock_dialog.error.text()
    from irdesk.casefile.store import CaseFile

    with CaseFile.open(closed_case, PASSPHRASE, actor="t", writable=False) as case:
        assert [n.body for n in case.records.all(Note)] == ["Written while locking"]
