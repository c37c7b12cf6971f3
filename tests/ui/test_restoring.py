"""Undo what matters in the window: restore an earlier version of a note from its history, see
the difference between two versions, and bring a deleted record back from Deleted items."""

from __future__ import annotations

from PySide6.QtCore import Qt

from irdesk.casefile import operations as ops
from irdesk.domain.enums import Gap, IndicatorKind, Phase
from irdesk.domain.records import Contact, Engagement, Indicator, Note
from tests.ui.conftest import wait_saved


def _history(qtbot, session, note):
    from irdesk.ui.notes.history import HistoryDialog

    dialog = HistoryDialog(session.reader, session.reader.records.get(Note, note.id), session=session)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_the_difference_between_two_versions(session, qtbot):
    from irdesk.ui.notes.history import difference

    note = ops.add_note(session.case, Phase.DETECTION, "Host FS01\nBeacon to 10.0.0.9\nUser: jdoe").value
    ops.edit_note(session.case, note.id, body="Host FS01\nBeacon to 10.0.0.99\nUser: jdoe", gap=Gap.VISIBILITY)
    dialog = _history(qtbot, session, note)
    assert dialog.list.currentRow() == 1 and dialog.body.toPlainText().endswith("User: jdoe")
    dialog.show_changes.setChecked(True)  # from the current version (the default) to the earlier one
    assert dialog.body.toPlainText().splitlines() == [
        "Gap: Visibility → none", "", "  Host FS01", "- Beacon to 10.0.0.99", "+ Beacon to 10.0.0.9", "  User: jdoe"]
    dialog.compare.setCurrentIndex(1)  # a version against itself
    assert dialog.body.toPlainText() == "The text is the same."
    old, new = (v.note for v in reversed(dialog._versions))
    assert "+ Beacon to 10.0.0.99" in difference(old, new)


def test_restore_an_earlier_version_from_the_editor(main_window, session, qtbot):
    note = ops.add_note(session.case, Phase.DETECTION, "first wording").value
    ops.edit_note(session.case, note.id, body="second wording")
    tab = main_window.phase_tabs[Phase.DETECTION]
    tab.model.reload()
    tab.show_note(session.reader.records.get(Note, note.id))
    assert tab.editor.history_button.isEnabled()
    tab.editor.history_button.click()
    from irdesk.ui.notes.history import HistoryDialog

    dialog = tab.editor.findChild(HistoryDialog)
    assert dialog is not None and dialog.selected().note.body == "first wording"
    dialog.list.setCurrentRow(0)
    assert not dialog.restore_button.isEnabled()  # the current version is already current
    dialog.list.setCurrentRow(1)
    with qtbot.waitSignal(dialog.restored):
        dialog.restore_button.click()
    wait_saved(qtbot, session)
    current = session.reader.records.get(Note, note.id)
    assert current.body == "first wording"
    assert [r.record.body for r in session.reader.records.history(Note, note.id)] == ["first wording", "second wording"]
    assert tab.editor.text.toPlainText() == "first wording" and not tab.editor.dirty
    assert tab.model.note_at(tab.model.row_of(note.id)).body == "first wording"
    assert session.reader.db.scalar(
        "SELECT action FROM audit WHERE entity_id = ? ORDER BY seq DESC LIMIT 1", (note.id,)) == "restore"


def test_deleted_items_restores_a_tombstoned_record(main_window, session, qtbot, qtmodeltester):
    note = ops.add_note(session.case, Phase.CONTAINMENT, "Isolate FS01").value
    contact = ops.add_contact(session.case, "Dana Pike").value
    engagement = ops.add_engagement(session.case, contact.id, "Firewall logs").value
    indicator = ops.add_indicator(session.case, IndicatorKind.IPV4, "10.0.0.9").value
    for cls, record in ((Note, note), (Engagement, engagement), (Contact, contact), (Indicator, indicator)):
        ops.delete(session.case, cls, record.id)
    qtbot.keyClick(main_window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = main_window.deleted_dialog
    qtbot.waitUntil(lambda: dialog.loaded)
    qtbot.waitUntil(dialog.table.hasFocus)  # keyboard-only: arrows pick, Enter restores
    assert {r.id for r in dialog.model.records()} == {note.id, contact.id, engagement.id, indicator.id}
    qtmodeltester.check(dialog.model)
    assert dialog.table.model().index(0, 1).data() == "ipv4 10.0.0.9"  # the latest deleted first

    def pick(record_id: str) -> None:
        from irdesk.ui.tables import select_record

        assert select_record(dialog.table, dialog.model, record_id)

    pick(engagement.id)  # its contact is deleted too: refused, with the way out
    dialog.restore_button.click()
    wait_saved(qtbot, session)
    qtbot.waitUntil(lambda: "Restore the contact “Dana Pike” first" in dialog.state.text())
    assert session.reader.records.get(Engagement, engagement.id).deleted

    pick(note.id)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)  # Enter restores the selected one
    wait_saved(qtbot, session)
    qtbot.waitUntil(lambda: dialog.model.row_of(note.id) < 0)
    assert "Restored the note “Isolate FS01”" in dialog.state.text()
    assert not session.reader.records.get(Note, note.id).deleted
    tab = main_window.phase_tabs[Phase.CONTAINMENT]
    qtbot.waitUntil(lambda: tab.model.row_of(note.id) >= 0)  # back in its list at once
    assert session.reader.db.scalar(
        "SELECT action FROM audit WHERE entity_id = ? ORDER BY seq DESC LIMIT 1", (note.id,)) == "restore"


def test_ctrl_l_with_the_history_or_deleted_items_open(desk, closed_case, qtbot, monkeypatch):
    import shiboken6
    from PySide6.QtWidgets import QPlainTextEdit

    from irdesk.ui.notes.history import HistoryDialog
    from tests.ui.test_lock_anywhere import locked, open_case, press_ctrl_l

    window = open_case(desk, closed_case, monkeypatch)
    note = ops.add_note(desk.session.case, Phase.DETECTION, "secret wording").value
    ops.edit_note(desk.session.case, note.id, body="other secret wording")
    ops.delete(desk.session.case, Note, ops.add_note(desk.session.case, Phase.DETECTION, "gone").value.id)
    window.show_deleted()
    deleted = window.deleted_dialog
    qtbot.waitUntil(lambda: deleted.loaded)
    history = HistoryDialog(desk.session.reader, desk.session.reader.records.get(Note, note.id), window,
                            session=desk.session)
    desk.session.closing.connect(history.reject)
    history.show()
    texts = history.findChildren(QPlainTextEdit)
    press_ctrl_l(history.list)
    qtbot.waitUntil(lambda: locked(desk), timeout=5000)
    for dialog in (history, deleted):
        assert not shiboken6.isValid(dialog) or not dialog.isVisible()
    assert all(not shiboken6.isValid(t) or t.toPlainText() == "" for t in texts)  # its text went with it


def test_history_keyboard_only(session, qtbot):
    """Arrows pick a version, Alt+H shows its changes, Alt+R restores it."""
    note = ops.add_note(session.case, Phase.DETECTION, "one").value
    ops.edit_note(session.case, note.id, body="two")
    ops.edit_note(session.case, note.id, body="three")
    dialog = _history(qtbot, session, note)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.list.hasFocus)
    qtbot.keyClick(dialog.list, Qt.Key.Key_Down)  # the oldest: "one"
    qtbot.keyClick(dialog.list, Qt.Key.Key_H, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(dialog.show_changes.isChecked)
    assert dialog.body.toPlainText().splitlines() == ["- three", "+ one"]
    with qtbot.waitSignal(dialog.restored):
        qtbot.keyClick(dialog.list, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    wait_saved(qtbot, session)
    assert session.reader.records.get(Note, note.id).body == "one"
