"""Notes in each phase tab: autosave off the GUI thread, exact text, gaps, revisions, search."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt

from irdesk.casefile import operations as ops
from irdesk.casefile.store import NoteFilter
from irdesk.domain.enums import Gap, Phase
from irdesk.domain.records import Note
from irdesk.ui.notes.editor import SaveState
from tests.ui.conftest import wait_saved


@pytest.fixture
def window(session, qtbot):
    from irdesk.ui.main_window import MainWindow

    class Desk:
        def __getattr__(self, name):
            return lambda *a, **k: None

        def idle_minutes(self):
            return 10

    w = MainWindow(session, Desk())
    qtbot.addWidget(w)
    w.show()
    return w


@pytest.mark.parametrize("phase", list(Phase))
def test_write_a_note_in_each_tab(window, session, qtbot, phase):
    tab = window.phase_tabs[phase]
    window.tabs.setCurrentWidget(tab)
    tab.new_note()
    qtbot.keyClicks(tab.editor.text, f"Isolated host in {phase.value}")
    qtbot.waitUntil(lambda: tab.editor.save_state is SaveState.SAVED, timeout=5000)
    notes = session.reader.notes.page(NoteFilter(phase=phase))
    assert [n.body for n in notes] == [f"Isolated host in {phase.value}"]
    assert tab.model.rowCount() == 1 and tab.model.note_at(0).id == notes[0].id
    assert tab.list.currentIndex().row() == 0  # the new note is selected in the list


def test_text_is_stored_exactly_as_typed(window, session, qtbot):
    tab = window.phase_tabs[Phase.DETECTION]
    tab.new_note()
    body = (
        "# Triage  \n\n- **svc-backup** logged on\u00a0at 02:14\n\tindented `code`\n"
        "<b>not html</b>\n\n"
    )
    tab.editor.text.insertPlainText(body)
    tab.editor.save()
    wait_saved(qtbot, session)
    assert session.reader.notes.page()[0].body == body


def test_typing_saves_once_after_a_pause_and_never_shows_saved_early(window, session, qtbot):
    tab = window.phase_tabs[Phase.CONTAINMENT]
    tab.new_note()
    qtbot.keyClicks(tab.editor.text, "Blocked")
    assert tab.editor.save_state is SaveState.EDITED  # nothing committed yet
    qtbot.keyClicks(tab.editor.text, " 10.20.4.17")
    qtbot.waitUntil(lambda: tab.editor.save_state is SaveState.SAVED, timeout=5000)
    assert session.reader.notes.count() == 1
    assert session.reader.notes.page()[0].body == "Blocked 10.20.4.17"


def test_editing_keeps_earlier_revisions(window, session, qtbot):
    from irdesk.ui.notes.history import HistoryDialog

    note = ops.add_note(session.case, Phase.DETECTION, "first wording").value
    tab = window.phase_tabs[Phase.DETECTION]
    tab.model.reload()
    tab.select_row(0)
    assert tab.editor.note_id == note.id
    tab.editor.text.selectAll()
    qtbot.keyClicks(tab.editor.text, "second wording")
    tab.editor.save()
    wait_saved(qtbot, session)
    assert session.reader.records.get(Note, note.id).body == "second wording"
    assert tab.editor.history_button.isEnabled()
    dialog = HistoryDialog(session.reader, session.reader.records.get(Note, note.id))
    qtbot.addWidget(dialog)
    assert dialog.body.toPlainText() == "first wording"


def test_switching_notes_saves_the_one_being_left(window, session, qtbot):
    a = ops.add_note(session.case, Phase.DETECTION, "alpha").value
    ops.add_note(session.case, Phase.DETECTION, "beta")
    tab = window.phase_tabs[Phase.DETECTION]
    tab.model.reload()
    tab.show_note(a)
    qtbot.keyClicks(tab.editor.text, " edited")
    tab.select_row(
        tab.model.row_of(next(n.id for n in session.reader.notes.page() if n.body == "beta"))
    )
    wait_saved(qtbot, session)
    assert session.reader.records.get(Note, a.id).body == "alpha edited"


def test_marking_a_gap_in_one_click(window, session, qtbot):
    tab = window.phase_tabs[Phase.DETECTION]
    tab.new_note()
    qtbot.keyClicks(tab.editor.text, "Nobody holds vCenter credentials")
    button = next(b for b in tab.editor.gap_buttons.buttons() if b.property("gap") == "access")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    wait_saved(qtbot, session)
    assert session.reader.notes.page()[0].gap == Gap.ACCESS
    assert "Access" in tab.model.index(0).data()
    window.gaps.refresh()
    assert window.gaps.model.rowCount() == 1
    tab.mark_gap(Gap.VENDOR)  # the Ctrl+G menu calls this
    wait_saved(qtbot, session)
    assert session.reader.notes.page()[0].gap == Gap.VENDOR
    assert not button.isChecked()


def test_shortcuts_switch_phase_and_start_a_note(window, session, qtbot):
    note = ops.add_note(session.case, Phase.CONTAINMENT, "Isolated FS01").value
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    tab = window.current_phase_tab()
    assert tab.phase == Phase.CONTAINMENT
    tab.model.reload()
    tab.select_row(0)
    assert tab.editor.note_id == note.id
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert tab.editor.note_id is None and tab.editor.text.toPlainText() == ""


def test_search_highlights_and_filters(window, session, qtbot):
    ops.add_note(session.case,
        Phase.DETECTION, "Ransom note README.txt found on fs01", gap=Gap.VISIBILITY
    )
    ops.add_note(session.case, Phase.CONTAINMENT, "fs01 isolated at the switch")
    window.search()
    dialog = window.search_dialog
    dialog.query.setText("fs01")
    dialog.run()
    assert dialog.results.count() == 2
    from irdesk.ui.search import SNIPPET_ROLE, highlighted

    label = highlighted(dialog.results.item(0).data(SNIPPET_ROLE))
    assert "<b style" in label and "fs01" in label
    dialog.phase.setCurrentIndex(dialog.phase.findData(Phase.CONTAINMENT.value))
    assert dialog.results.count() == 1
    dialog.phase.setCurrentIndex(0)
    dialog.gap.setCurrentIndex(dialog.gap.findData(Gap.VISIBILITY.value))
    assert dialog.results.count() == 1
    note = dialog.results.item(0).data(Qt.ItemDataRole.UserRole)
    with qtbot.waitSignal(dialog.open_note):
        dialog.results.itemActivated.emit(dialog.results.item(0))
    assert window.current_phase_tab().editor.note_id == note.id


def test_empty_state_then_first_note(window, session, qtbot):
    tab = window.phase_tabs[Phase.POST_INCIDENT]
    assert tab.list_stack.currentWidget() is tab.empty
    tab.new_note()
    qtbot.keyClicks(tab.editor.text, "Lessons: keep the on-call list current")
    tab.editor.save()
    wait_saved(qtbot, session)
    assert tab.list_stack.currentWidget() is tab.list
    assert tab.model.canFetchMore(QModelIndex()) is False


def test_a_new_note_occurs_when_typing_starts_unless_set_by_hand(window, session, qtbot):
    from PySide6.QtCore import QDate, QDateTime, QTime

    tab = window.phase_tabs[Phase.DETECTION]
    editor = tab.editor
    long_ago = QDateTime(QDate(2020, 1, 1), QTime(9, 0))
    editor._loading = True  # as if the tab had been opened long before the first keystroke
    editor.occurred.setDateTime(long_ago)
    editor._loading = False
    qtbot.keyClicks(editor.text, "Beacon seen")
    assert editor.occurred.dateTime().date().year() >= 2026

    tab.new_note()
    editor.occurred.setDateTime(long_ago)  # the responder sets it by hand
    qtbot.keyClicks(editor.text, "Phishing mail received")
    editor.save()
    wait_saved(qtbot, session)
    note = next(n for n in session.reader.notes.page() if n.body == "Phishing mail received")
    assert note.occurred.utc.year == 2020


def test_a_tab_opens_on_a_fresh_note_not_on_an_old_one(session, qtbot):
    from irdesk.ui.notes.tab import PhaseTab

    ops.add_note(session.case, Phase.DETECTION, "old note")
    tab = PhaseTab(session, Phase.DETECTION)
    qtbot.addWidget(tab)
    assert tab.model.rowCount() == 1 and tab.editor.note_id is None
    assert tab.editor.text.toPlainText() == ""


def test_ctrl_g_offers_every_gap(window, session, qtbot):
    from PySide6.QtWidgets import QMenu

    tab = window.phase_tabs[Phase.DETECTION]
    window.tabs.setCurrentWidget(tab)
    qtbot.keyClicks(tab.editor.text, "Vendor portal down")
    window.choose_gap()
    menu = next(m for m in window.findChildren(QMenu) if m.isVisible())
    labels = [a.text().replace("&", "").split(maxsplit=1)[1] for a in menu.actions() if a.text()]
    assert labels == [g.label for g in Gap] + ["No gap"]
    next(a for a in menu.actions() if a.text().endswith("Vendor")).trigger()
    wait_saved(qtbot, session)
    assert session.reader.notes.page()[0].gap == Gap.VENDOR
    menu.close()
