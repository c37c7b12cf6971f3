"""Keyboard everywhere: Enter does what the dialog means, the gap menu takes one key, search
is driven from the keyboard, and each dialog's default button is the one a user means."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu

from irdesk.casefile import operations as ops
from irdesk.domain.enums import Gap, Phase
from tests.ui.conftest import wait_saved


def test_enter_in_the_merge_passphrase_previews_and_never_opens_the_file_chooser(
        session, qtbot, monkeypatch, tmp_path):
    from irdesk.ui.merge_dialog import MergeDialog

    chooser: list[bool] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: chooser.append(True) or ("", "")))
    dialog = MergeDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.other_path.setText(str(tmp_path / "missing.ircase"))
    dialog.other_passphrase.setFocus()
    qtbot.keyClicks(dialog.other_passphrase, "violet-anchor-93-meadow-x")
    qtbot.keyClick(dialog.other_passphrase, Qt.Key.Key_Return)
    assert chooser == []
    qtbot.waitUntil(lambda: bool(dialog.error.text()), timeout=10000)  # it tried to open the copy
    assert "missing.ircase" in dialog.error.text() or "exist" in dialog.error.text()


@pytest.mark.parametrize(("key", "gap"), [(Qt.Key.Key_1, Gap.COMMUNICATION), (Qt.Key.Key_2, Gap.ACCESS),
                                          (Qt.Key.Key_3, Gap.VISIBILITY), (Qt.Key.Key_5, Gap.AUTHORIZATION),
                                          (Qt.Key.Key_6, Gap.VENDOR), (Qt.Key.Key_8, Gap.OTHER)])
def test_the_gap_menu_marks_a_gap_in_one_key(main_window, session, qtbot, key, gap):
    tab = main_window.phase_tabs[Phase.DETECTION]
    main_window.show_tab(main_window.tabs.indexOf(tab))
    qtbot.keyClicks(tab.editor.text, "Vendor portal down, nobody could grant access")
    main_window.choose_gap()
    menu = next(m for m in main_window.findChildren(QMenu) if m.isVisible())
    qtbot.keyClick(menu, key)
    wait_saved(qtbot, session)
    assert session.reader.notes.page()[0].gap is gap


def test_gap_menu_access_keys_are_unique(main_window):
    main_window.choose_gap()
    menu = next(m for m in main_window.findChildren(QMenu) if m.isVisible())
    keys = [a.text().split("&", 1)[1][0].lower() for a in menu.actions() if "&" in a.text()]
    assert len(keys) == len(set(keys)) == len(Gap) + 1
    menu.close()


def test_search_from_the_keyboard(main_window, session, qtbot):
    ops.add_note(session.case, Phase.DETECTION, "Ransom note `README.txt` found on **fs01**")
    ops.add_note(session.case, Phase.CONTAINMENT, "fs01 isolated at the switch")
    main_window.search()
    dialog = main_window.search_dialog
    qtbot.keyClicks(dialog.query, "fs01")
    qtbot.waitUntil(lambda: dialog.results.count() == 2, timeout=3000)
    qtbot.keyClick(dialog.query, Qt.Key.Key_Down)  # Down reaches the results…
    assert QApplication.focusWidget() is dialog.results and dialog.results.currentRow() == 0
    qtbot.keyClick(dialog.results, Qt.Key.Key_Down)
    chosen = dialog.results.currentItem().data(Qt.ItemDataRole.UserRole)
    with qtbot.waitSignal(dialog.open_note):
        qtbot.keyClick(dialog.results, Qt.Key.Key_Return)  # …and Enter opens the one selected
    assert main_window.current_phase_tab().editor.note_id == chosen.id


def test_enter_in_the_search_field_opens_the_selected_hit_not_always_the_first(main_window, session, qtbot):
    ops.add_note(session.case, Phase.DETECTION, "beacon to 10.20.4.17")
    ops.add_note(session.case, Phase.CONTAINMENT, "beacon blocked at the proxy")
    main_window.search()
    dialog = main_window.search_dialog
    qtbot.keyClicks(dialog.query, "beacon")
    qtbot.waitUntil(lambda: dialog.results.count() == 2, timeout=3000)
    dialog.results.setCurrentRow(1)
    dialog.query.setFocus()
    chosen = dialog.results.item(1).data(Qt.ItemDataRole.UserRole)
    with qtbot.waitSignal(dialog.open_note) as opened:
        qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    assert opened.args[0].id == chosen.id


def test_search_previews_carry_no_markdown_marks_and_stay_readable_when_selected(main_window, session, qtbot):
    from PySide6.QtGui import QPalette

    from irdesk.ui.search import SearchDialog

    ops.add_note(session.case, Phase.DETECTION, "# Triage\n\n- **svc-backup** ran `psexec` on __fs01__")
    dialog = SearchDialog(session, main_window)
    qtbot.addWidget(dialog)
    dialog.query.setText("psexec")
    dialog.run()
    item = dialog.results.item(0)
    preview = item.data(Qt.ItemDataRole.DisplayRole)
    assert "`" not in preview and "**" not in preview and "__" not in preview and "#" not in preview
    assert "svc-backup" in preview and "psexec" in preview
    palette = dialog.results.palette()
    meta = dialog.results.itemDelegate().meta_colour(palette, selected=True)
    highlight = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight)
    assert _contrast(meta, highlight) >= 3.0  # the date line is readable on the selection colour


def _contrast(a, b) -> float:
    def luminance(c) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())

    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize("keys", [(Qt.Key.Key_F1, Qt.KeyboardModifier.NoModifier),
                                  (Qt.Key.Key_Slash, Qt.KeyboardModifier.ControlModifier)])
def test_f1_and_ctrl_slash_list_the_shortcuts(main_window, qtbot, keys):
    from irdesk.ui.shortcuts import ShortcutsDialog

    main_window.activateWindow()
    editor = main_window.current_phase_tab().editor.text
    editor.setFocus()
    qtbot.keyClick(editor, *keys)
    dialog = next(d for d in main_window.findChildren(ShortcutsDialog) if d.isVisible())
    assert "Ctrl+L" in dialog.table.text() and "Ctrl+G, then 1–8" in dialog.table.text()
    dialog.close()


def test_each_dialog_defaults_to_the_button_a_user_means(main_window, session, qtbot, tmp_path):
    from irdesk.ui.change_passphrase import ChangePassphraseDialog
    from irdesk.ui.evidence.custody_dialog import CustodyDialog
    from irdesk.ui.handoff_dialog import HandoffDialog
    from irdesk.ui.merge_dialog import MergeDialog

    evidence = ops.add_evidence(session.case, "FS01 disk image").value
    dialogs = {
        "Make copy": HandoffDialog(session, main_window),
        "Preview": MergeDialog(session, main_window),
        "Add event": CustodyDialog(session, evidence, main_window),
        "Change passphrase": ChangePassphraseDialog("t", session.case.salt, session.case.key, main_window),
        "Set to contained": main_window.header.change_status(),
        "Save": main_window.header.edit_times(),
    }
    from PySide6.QtWidgets import QPushButton

    for text, dialog in dialogs.items():
        dialog.show()
        defaults = [b.text().replace("&", "") for b in dialog.findChildren(QPushButton) if b.isDefault()]
        assert defaults == [text], (type(dialog).__name__, defaults)
        dialog.reject()


def test_tab_goes_through_a_dialogs_buttons_in_the_order_they_are_drawn(main_window, session, qtbot, tmp_path):
    """Tab went to Cancel before the default button drawn left of it (the box lays buttons out
    by the platform's rules; Qt tabs in the order they were added)."""
    from PySide6.QtWidgets import QDialogButtonBox

    from irdesk.ui.evidence.custody_dialog import CustodyDialog
    from irdesk.ui.handoff_dialog import HandoffDialog
    from irdesk.ui.interop_dialogs import show_export_dialog
    from irdesk.ui.merge_dialog import MergeDialog
    from irdesk.ui.new_case_dialog import NewCaseDialog

    evidence = ops.add_evidence(session.case, "FS01 disk image").value
    dialogs = [HandoffDialog(session, main_window), MergeDialog(session, main_window),
               CustodyDialog(session, evidence, main_window), main_window.header.change_status(),
               main_window.header.edit_times(), show_export_dialog(main_window, session),
               NewCaseDialog("T", main_window, folder=str(tmp_path))]
    for dialog in dialogs:
        dialog.show()
        qtbot.wait(10)
        for box in dialog.findChildren(QDialogButtonBox):
            drawn = sorted((b for b in box.buttons() if b.isVisible()), key=lambda b: b.x())
            for before, after in zip(drawn, drawn[1:], strict=False):
                assert before.nextInFocusChain() is after, (type(dialog).__name__, before.text(), after.text())
        dialog.reject()
