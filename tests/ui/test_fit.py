"""It fits: the main window on a 1024×600 laptop, every dialog inside the screen with all its
buttons reachable, no clipped message, and titles that are not cut off."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QLabel

from irdesk.keychain import Keychain
from tests.ui.conftest import NoKeychainBackend


def settle(qtbot) -> None:
    qtbot.wait(50)
    QApplication.processEvents()


def fully_shown(label: QLabel) -> bool:
    needed = label.heightForWidth(label.width()) if label.wordWrap() else label.sizeHint().height()
    return label.isVisible() and label.height() >= needed


def test_the_wrong_passphrase_message_is_never_clipped(qtbot, closed_case):
    from irdesk.ui.unlock_dialog import WRONG, UnlockDialog

    dialog = UnlockDialog(closed_case, "T", Keychain(NoKeychainBackend()), "key-id")
    qtbot.addWidget(dialog)
    dialog.show()
    settle(qtbot)
    dialog.passphrase.setText("not it")
    dialog.unlock()
    qtbot.waitUntil(lambda: dialog.error.text() == WRONG, timeout=10000)
    settle(qtbot)
    assert fully_shown(dialog.error), (dialog.error.height(), dialog.error.heightForWidth(dialog.error.width()))


def test_the_main_window_fits_a_1024_by_600_laptop(main_window, qtbot):
    for index in range(main_window.tabs.count()):  # whichever tab is shown
        main_window.show_tab(index)
        settle(qtbot)
        hint = main_window.minimumSizeHint().expandedTo(main_window.minimumSize())
        assert hint.width() <= 1000 and hint.height() <= 560, (main_window.tabs.tabText(index), hint)
    main_window.resize(1000, 560)
    main_window.show_tab(0)
    settle(qtbot)
    assert main_window.width() <= 1000 and main_window.height() <= 560
    editor = main_window.current_phase_tab().editor
    assert _inside(editor.history_button, main_window)  # "Earlier versions…"
    assert _inside(main_window.statusBar(), main_window)


def _inside(widget, window) -> bool:
    """The whole widget is within the window's client area (not cut off at the edge)."""
    from PySide6.QtCore import QPoint, QRect

    top_left = widget.mapTo(window, QPoint(0, 0))
    return widget.isVisible() and window.rect().contains(QRect(top_left, widget.size()))


def test_dialogs_open_within_the_screen_with_every_button_reachable(main_window, session, qtbot):
    from PySide6.QtWidgets import QAbstractButton

    from irdesk.ui.report_dialog import show_report_dialog

    area = main_window.screen().availableGeometry()  # the offscreen test screen: 800×600
    dialog = show_report_dialog(main_window, session)
    settle(qtbot)
    assert area.contains(dialog.frameGeometry()), (area, dialog.frameGeometry())
    buttons = [b for b in dialog.findChildren(QAbstractButton) if b.isVisibleTo(dialog)]
    assert buttons and all(_inside(b, dialog) for b in buttons)
    dialog.reject()


def test_dialog_titles_are_not_cut_off(main_window, qtbot, tmp_path):
    from irdesk.ui.evidence.hashing import HashDialog
    from irdesk.ui.screen_fit import title_width

    path = tmp_path / "memory.raw"
    path.write_bytes(b"x" * 1024)
    dialog = HashDialog(str(path), main_window)
    dialog.show()
    settle(qtbot)
    assert dialog.width() >= title_width(dialog)
    dialog.reject()


def test_the_new_case_dialog_opens_within_the_screen(qtbot, tmp_path):
    """Every button of the new-case dialog is reachable on a short screen (the offscreen test
    screen; the real 1024×600 and 1366×768 screens are in tests/end2end/test_keyboard_e2e.py)."""
    from PySide6.QtWidgets import QAbstractButton

    from irdesk.ui.new_case_dialog import NewCaseDialog

    dialog = NewCaseDialog("Test Responder", folder=str(tmp_path))
    qtbot.addWidget(dialog)
    dialog.show()
    settle(qtbot)
    area = dialog.screen().availableGeometry()
    assert area.contains(dialog.frameGeometry()), (area, dialog.frameGeometry())
    buttons = [b for b in dialog.findChildren(QAbstractButton) if b.isVisibleTo(dialog)]
    assert buttons and all(_inside(b, dialog) for b in buttons)
    dialog.reject()
