"""Unlocking (right and wrong passphrase, environment), idle auto-lock, the secret clipboard,
and what settings may hold."""

from __future__ import annotations

import os

import shiboken6
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from irdesk.domain.enums import Phase
from irdesk.domain.records import ChecklistItem
from irdesk.ui.notes.editor import SaveState
from tests.conftest import PASSPHRASE
from tests.ui.conftest import wait_saved


def _unlock(desk, qtbot, passphrase: str) -> None:
    dialog = desk.unlock_dialog
    assert dialog is not None
    dialog.passphrase.setText(passphrase)
    dialog.unlock_button.click()


def test_wrong_then_right_passphrase(desk, closed_case, qtbot):
    desk.start(closed_case)
    dialog = desk.unlock_dialog
    assert desk.window is None and dialog is not None
    assert not dialog.remember.isEnabled()  # no real keychain here…
    assert "No system keychain" in dialog.keychain_reason.text()  # …and it says why, in one line
    _unlock(desk, qtbot, "not-the-passphrase")
    qtbot.waitUntil(lambda: dialog.error.text().startswith("Wrong passphrase"))
    assert dialog.passphrase.isEnabled()
    assert desk.window is None and dialog.isVisible()
    _unlock(desk, qtbot, PASSPHRASE)
    qtbot.waitUntil(lambda: desk.window is not None)
    assert desk.window.windowTitle().startswith("Phishing at the front desk")
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog))  # the dialog and its passphrase are gone


def test_environment_passphrase_unlocks_without_a_prompt(desk, closed_case, monkeypatch):
    monkeypatch.setenv("IRDESK_PASSPHRASE", PASSPHRASE)
    desk.start(closed_case)
    assert desk.window is not None and desk.unlock_dialog is None


def test_missing_case_is_a_known_error(desk, tmp_path):
    import pytest

    from irdesk.domain.errors import KnownError

    with pytest.raises(KnownError) as caught:
        desk.start(str(tmp_path / "nope.ircase"))
    assert caught.value.exit_code != 0 and "nope.ircase" in caught.value.message


def test_idle_lock_closes_the_case_clears_text_and_unlock_restores_the_place(
    desk, closed_case, qtbot, clock, monkeypatch
):
    monkeypatch.setenv("IRDESK_PASSPHRASE", PASSPHRASE)
    desk.start(closed_case)
    window, session = desk.window, desk.session
    tab = window.phase_tabs[Phase.CONTAINMENT]
    window.tabs.setCurrentWidget(tab)
    tab.new_note()
    qtbot.keyClicks(tab.editor.text, "Disabled svc-backup")
    secret_text = "Disabled svc-backup"

    clock.advance(9 * 60)
    desk.idle.poll()
    assert desk.window is window  # not yet
    clock.advance(61)
    desk.idle.poll()  # ten idle minutes: lock
    assert desk.window is None and session.case.closed and session.reader.closed
    assert tab.editor.text.toPlainText() == ""  # the text left the widgets before they went away
    assert all(
        secret_text not in w.findChildren(type(tab.editor.text))[0].toPlainText()
        for w in QApplication.topLevelWidgets()
        if w.findChildren(type(tab.editor.text))
    )
    assert desk.unlock_dialog is not None and "locked" in desk.unlock_dialog.error.text()

    _unlock(desk, qtbot, PASSPHRASE)  # the environment does not undo a lock
    qtbot.waitUntil(lambda: desk.window is not None)
    restored = desk.window.current_phase_tab()
    assert restored.phase == Phase.CONTAINMENT
    assert restored.editor.text.toPlainText() == secret_text  # saved before locking, shown again


def test_activity_postpones_the_lock(desk, closed_case, qtbot, clock, monkeypatch):
    monkeypatch.setenv("IRDESK_PASSPHRASE", PASSPHRASE)
    desk.start(closed_case)
    editor = desk.window.phase_tabs[Phase.DETECTION].editor.text
    clock.advance(9 * 60)
    qtbot.keyClicks(editor, "x")
    clock.advance(5 * 60)
    desk.idle.poll()
    assert desk.window is not None
    desk.set_idle_minutes(0)  # never
    clock.advance(10_000)
    desk.idle.poll()
    assert desk.window is not None
    assert desk.settings.idle_minutes() == 0


def test_secret_clipboard_is_marked_and_cleared(qapp, clock):
    from irdesk.ui.clipboard import SECRET_HINT, SecretClipboard

    board = QGuiApplication.clipboard()
    guard = SecretClipboard(clock)
    guard.copy_secret("AB12-CD34-EF56")
    assert board.text() == "AB12-CD34-EF56"
    assert bytes(board.mimeData().data(SECRET_HINT)) == b"secret"
    clock.advance(9)
    guard.poll()
    assert board.text() == "AB12-CD34-EF56"
    clock.advance(1.5)
    guard.poll()
    assert board.text() == ""

    guard.copy_secret("AB12-CD34-EF56")
    board.setText("something the user copied")  # theirs now: left alone
    clock.advance(11)
    guard.poll()
    assert board.text() == "something the user copied"


def test_lock_and_quit_clear_a_copied_fingerprint(desk, closed_case, qtbot, monkeypatch):
    monkeypatch.setenv("IRDESK_PASSPHRASE", PASSPHRASE)
    desk.start(closed_case)
    fingerprint = desk.session.reader.fingerprint()
    desk.copy_secret(fingerprint)
    assert QGuiApplication.clipboard().text() == fingerprint
    desk.lock()
    assert QGuiApplication.clipboard().text() == ""
    desk.copy_secret("another secret")
    desk.quit()
    assert QGuiApplication.clipboard().text() == ""


def test_settings_never_hold_note_text(desk, closed_case, qtbot, monkeypatch, settings):
    monkeypatch.setenv("IRDESK_PASSPHRASE", PASSPHRASE)
    settings.set_remember_recent(True)
    desk.start(closed_case)
    tab = desk.window.phase_tabs[Phase.DETECTION]
    tab.new_note()
    qtbot.keyClicks(tab.editor.text, "zebra-unique-note-text")
    tab.editor.save()
    wait_saved(qtbot, desk.session)
    desk.close_case()
    settings.sync()
    with open(settings.path, encoding="utf-8") as handle:
        text = handle.read()
    assert "zebra-unique-note-text" not in text and "Phishing" not in text
    assert settings.recent() == [closed_case]


def test_welcome_shows_recent_names_only_when_opted_in(desk, closed_case, settings, qtbot):
    settings.set_remember_recent(True)
    settings.add_recent(closed_case)
    desk.start(None)
    welcome = desk.welcome
    assert welcome.recent.count() == 1
    assert welcome.recent.item(0).text() == os.path.basename(closed_case)
    welcome.remember.setChecked(False)
    assert welcome.recent.count() == 0 and settings.recent() == []


def test_a_case_whose_name_is_not_utf8_opens_and_is_remembered(desk, settings, tmp_path, qtbot, monkeypatch):
    from irdesk.casefile.store import CaseFile

    path = os.fsdecode(os.fsencode(tmp_path) + b"/caf\xe9.ircase")
    CaseFile.create(path, PASSPHRASE, title="Café", actor="T").close()
    settings.set_remember_recent(True)
    monkeypatch.setenv("IRDESK_PASSPHRASE", PASSPHRASE)
    desk.start(path)
    assert desk.session.path == path and desk.window.windowTitle().startswith("Café")
    desk.close_case()
    assert settings.recent() == [path]  # Qt holds it as caf\xe9; it comes back as the same bytes
    desk.start(None)
    item = desk.welcome.recent.item(0)
    assert item.text() == "caf\\xe9.ircase"
    opened = []
    desk.welcome.open_case.connect(opened.append)
    desk.welcome.recent.itemActivated.emit(item)
    assert opened == [path]


def test_change_passphrase(desk, closed_case, qtbot, monkeypatch):
    from irdesk.casefile.errors import WrongPassphrase
    from irdesk.casefile.store import CaseFile
    from irdesk.ui import change_passphrase

    monkeypatch.setenv("IRDESK_PASSPHRASE", PASSPHRASE)
    desk.start(closed_case)
    new = "violet-harbour-tram-93-quietly"

    def fake_exec(dialog):
        from PySide6.QtWidgets import QDialog

        dialog.show()  # as exec() does
        dialog.fields.first.setText(new)
        dialog.fields.second.setText("a typo")
        assert dialog.fields.problem() == "The two passphrases differ."
        dialog.fields.second.setText(new)
        dialog.accept()
        assert dialog.error.text() == "Type the current passphrase."  # it is asked first
        dialog.current.setText("not the passphrase")
        assert dialog.error.text() == ""  # the red sentence goes once it no longer holds
        dialog.accept()
        qtbot.waitUntil(lambda: dialog.error.text() == change_passphrase.WRONG, timeout=5000)
        dialog.current.setText(PASSPHRASE)
        dialog.accept()
        qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=5000)
        return True

    monkeypatch.setattr(change_passphrase.ChangePassphraseDialog, "exec", fake_exec)
    desk.change_passphrase()
    wait_saved(qtbot, desk.session)
    desk.close_case()
    CaseFile.open(closed_case, new, actor="t", writable=False).close()
    import pytest

    with pytest.raises(WrongPassphrase):
        CaseFile.open(closed_case, PASSPHRASE, actor="t", writable=False)


def test_weak_passphrase_is_refused_with_the_reason(qtbot, tmp_path):
    from irdesk.ui.new_case_dialog import NewCaseDialog

    dialog = NewCaseDialog("Test Responder", folder=str(tmp_path))
    qtbot.addWidget(dialog)
    dialog.title.setText("Lost laptop")
    dialog.passphrase.first.setText("password123")
    dialog.passphrase.second.setText("password123")
    dialog.create_case()
    assert dialog.case is None and "too short" in dialog.error.text()
    assert not os.path.exists(dialog.path.text())
    dialog.passphrase.first.setText("harbour-violet-tram-93-quietly")
    dialog.passphrase.update_meter()  # what its timer does a moment after typing
    assert "too short" not in dialog.error.text()  # fixed: the red message is gone at once
    dialog.create_case()
    assert dialog.error.text() == "The two passphrases differ."
    dialog.passphrase.second.setText("harbour-violet-tram-93-quietly")
    dialog.passphrase.update_meter()
    assert dialog.error.text() == ""
    dialog.drill.setChecked(True)
    dialog.create_case()
    assert dialog.case is not None
    case = dialog.case.case()
    assert case.title == "Lost laptop" and case.drill
    assert len(dialog.case.records.all(ChecklistItem)) == 5  # the standard readiness checklist
    dialog.case.close()


def test_dark_palette(qapp):
    from PySide6.QtGui import QPalette

    from irdesk.ui.palette import apply_palette

    apply_palette(qapp, dark=True)
    palette = qapp.palette()
    assert palette.color(QPalette.ColorRole.Window).lightness() < 80
    disabled = QPalette.ColorGroup.Disabled  # a disabled checkbox's label is grey, not white
    assert palette.color(disabled, QPalette.ColorRole.WindowText) != palette.color(QPalette.ColorRole.WindowText)
    apply_palette(qapp, dark=False)
    assert qapp.palette().color(QPalette.ColorRole.Window).lightness() > 180


def test_remember_in_keychain_then_unlock_without_a_prompt(desk, closed_case, qtbot):
    from irdesk.keychain import Keychain
    from tests.test_keychain import MemoryBackend

    backend = MemoryBackend()
    desk.keychain = Keychain(backend)
    desk.start(closed_case)
    dialog = desk.unlock_dialog
    assert dialog.remember.isEnabled() and not dialog.keychain_reason.isVisible()
    dialog.remember.setChecked(True)
    _unlock(desk, qtbot, PASSPHRASE)
    qtbot.waitUntil(lambda: desk.window is not None)
    assert list(backend.store.values()) == [PASSPHRASE]
    assert len(desk.settings.keychain_ids()) == 1  # the salt-derived id only, never the passphrase
    desk.close_case()
    desk.start(closed_case)
    assert desk.window is not None and desk.unlock_dialog is None


def test_window_geometry_is_remembered(desk, closed_case, monkeypatch):
    monkeypatch.setenv("IRDESK_PASSPHRASE", PASSPHRASE)
    desk.start(closed_case)
    desk.window.resize(1000, 700)
    desk.close_case()
    assert desk.settings.geometry() is not None
    desk.start(closed_case)
    assert desk.window.height() == 700  # (the offscreen screen is too narrow to test width)


def test_quit_asks_before_losing_text_that_failed_to_save(desk, closed_case, qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from irdesk.casefile.errors import StorageError

    monkeypatch.setenv("IRDESK_PASSPHRASE", PASSPHRASE)
    desk.start(closed_case)
    case = desk.session.case

    def full_disk(*args, **kwargs):
        raise StorageError("The disk is full.")

    monkeypatch.setattr(case.records, "create", full_disk)
    editor = desk.window.phase_tabs[Phase.DETECTION].editor
    qtbot.keyClicks(editor.text, "Exfil to 203.0.113.9")
    editor.save()
    qtbot.waitUntil(lambda: editor.save_state is SaveState.FAILED)
    asked: list[str] = []

    def stay(*args, **kwargs):
        asked.append(args[2])
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", stay)
    assert desk.quit() is False
    assert desk.window is not None and "The disk is full." in asked[0]
    monkeypatch.undo()  # the disk has room again
    monkeypatch.setenv("IRDESK_PASSPHRASE", PASSPHRASE)
    assert desk.quit() is True
    from irdesk.casefile.store import CaseFile

    with CaseFile.open(closed_case, PASSPHRASE, actor="t", writable=False) as reopened:
        assert [n.body for n in reopened.notes.page()] == ["Exfil to 203.0.113.9"]


def test_locking_does_not_quit_but_closing_the_last_window_does(
    desk, closed_case, qtbot, monkeypatch
):
    monkeypatch.setenv("IRDESK_PASSPHRASE", PASSPHRASE)
    desk.start(closed_case)
    desk.lock()
    desk._last_window_closed()  # what Qt's event loop signals when the case window goes away
    qtbot.wait(50)
    assert desk.quits == [] and desk.unlock_dialog is not None
    desk.unlock_dialog.reject()  # cancel: back to the welcome window
    qtbot.waitUntil(lambda: desk.welcome is not None and desk.welcome.isVisible())
    assert desk.quits == []
    desk.welcome.close()
    desk._last_window_closed()
    qtbot.waitUntil(lambda: desk.quits == [True])


def _failing_note(desk, qtbot, monkeypatch, text: str):
    """Type a note while the disk is full: the editor holds text the case does not."""
    from irdesk.casefile.errors import StorageError

    def full_disk(*args, **kwargs):
        raise StorageError("The disk is full.")

    monkeypatch.setattr(desk.session.case.records, "create", full_disk)
    editor = desk.window.phase_tabs[Phase.DETECTION].editor
    qtbot.keyClicks(editor.text, text)
    editor.save()
    qtbot.waitUntil(lambda: editor.save_state is SaveState.FAILED)
    return editor


def test_lock_keeps_the_window_open_while_a_note_cannot_be_saved(
    desk, closed_case, qtbot, monkeypatch
):
    monkeypatch.setenv("IRDESK_PASSPHRASE", PASSPHRASE)
    desk.start(closed_case)
    window = desk.window
    editor = _failing_note(desk, qtbot, monkeypatch, "Exfil to 203.0.113.9")

    from PySide6.QtGui import QAction

    [lock] = [a for a in window.findChildren(QAction) if a.shortcut().toString() == "Ctrl+L"]
    lock.trigger()
    assert desk.window is window and not desk.session.case.closed and desk.unlock_dialog is None
    assert editor.text.toPlainText() == "Exfil to 203.0.113.9"
    message = window.statusBar().currentMessage()
    assert message.startswith("The case was not locked: a note could not be saved — ")
    assert "The disk is full" in message
    assert desk.not_locked_box is not None and desk.not_locked_box.isVisible()
    assert not desk.not_locked_box.isModal()

    monkeypatch.undo()  # the disk has room again: the next lock saves, then locks
    assert desk.lock() is True
    assert desk.window is None and desk.unlock_dialog is not None
    from irdesk.casefile.store import CaseFile

    with CaseFile.open(closed_case, PASSPHRASE, actor="t", writable=False) as reopened:
        assert [n.body for n in reopened.notes.page()] == ["Exfil to 203.0.113.9"]


def test_idle_lock_retries_the_failed_save_and_locks_only_if_it_succeeds(
    desk, closed_case, qtbot, clock, monkeypatch
):
    monkeypatch.setenv("IRDESK_PASSPHRASE", PASSPHRASE)
    desk.start(closed_case)
    window, session = desk.window, desk.session
    editor = _failing_note(desk, qtbot, monkeypatch, "Beacon every 60 s")
    attempts: list[str] = []
    failing_create = session.case.records.create

    def counted(*args, **kwargs):
        attempts.append(kwargs["body"])
        return failing_create(*args, **kwargs)

    monkeypatch.setattr(session.case.records, "create", counted)
    clock.advance(10 * 60 + 1)
    desk.idle.poll()  # idle: one more try, it fails again, so the case stays open
    assert attempts == ["Beacon every 60 s"]
    assert desk.window is window and desk.unlock_dialog is None
    assert editor.text.toPlainText() == "Beacon every 60 s"
    assert "not locked after 10 idle minutes" in window.statusBar().currentMessage()

    monkeypatch.undo()  # room again: the next idle lock saves the text, then locks
    monkeypatch.setenv("IRDESK_PASSPHRASE", PASSPHRASE)
    clock.advance(10 * 60 + 1)
    desk.idle.poll()
    assert desk.window is None and session.case.closed and desk.unlock_dialog is not None
    from irdesk.casefile.store import CaseFile

    with CaseFile.open(closed_case, PASSPHRASE, actor="t", writable=False) as reopened:
        assert [n.body for n in reopened.notes.page()] == ["Beacon every 60 s"]
