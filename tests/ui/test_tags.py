"""Note tags in the editor: shown, edited through the note operations, completed from the case's
tags; found again in Search by ``#tag``."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from irdesk.casefile import operations as ops
from irdesk.domain.enums import Phase
from irdesk.domain.records import Note
from irdesk.ui.notes.tags import parse_tags
from tests.ui.conftest import FakeDesk, wait_saved


@pytest.fixture
def notes(case):
    first = ops.add_note(case, Phase.DETECTION, "Alert on fs01", tags=("edr", "fs01")).value
    other = ops.add_note(case, Phase.DETECTION, "Phishing mail reported", tags=("phishing",)).value
    return first, other


@pytest.fixture
def window(notes, session, qtbot):
    from irdesk.ui.main_window import MainWindow

    w = MainWindow(session, FakeDesk())
    qtbot.addWidget(w)
    w.show()
    return w


def test_tags_are_parsed_as_a_responder_types_them():
    assert parse_tags(" edr, #FS01,,fs01 , lateral   movement") == ("edr", "FS01", "lateral movement")
    assert parse_tags("") == ()


def test_the_editor_shows_and_saves_a_notes_tags(window, notes, session, qtbot):
    first, _other = notes
    editor = window.phase_tabs[Phase.DETECTION].editor
    window.show_note(first)
    assert editor.tags.text() == "edr, fs01"
    editor.tags.setFocus()
    editor.tags.selectAll()
    qtbot.keyClicks(editor.tags, "edr, ransomware")
    editor.tags.editingFinished.emit()
    wait_saved(qtbot, session)
    saved = session.reader.records.get(Note, first.id)
    assert saved.tags == ("edr", "ransomware") and saved.body == first.body
    assert session.reader.records.history(Note, first.id)[-1].record.tags == ("edr", "fs01")  # kept


def test_a_new_note_keeps_the_tags_typed_with_it(window, session, qtbot):
    editor = window.phase_tabs[Phase.CONTAINMENT].editor
    window.show_tab(2)
    editor.new_note()
    qtbot.keyClicks(editor.text, "Isolated fs01")
    editor.tags.setText("fs01, containment")
    editor.tags.textEdited.emit(editor.tags.text())
    editor.save()
    wait_saved(qtbot, session)
    assert session.reader.records.get(Note, editor.note_id).tags == ("fs01", "containment")


def test_completion_offers_the_cases_tags_for_the_tag_being_typed(window, session, qtbot):
    editor = window.phase_tabs[Phase.DETECTION].editor
    editor.new_note()
    field = editor.tags
    qtbot.keyClicks(field, "ph")  # the first keystroke reads the case's tags, off the GUI thread
    qtbot.waitUntil(lambda: field.known() == ["edr", "fs01", "phishing"], timeout=5000)
    field.setText("edr, ph")
    completer = field.tag_completer
    completer.setCompletionPrefix(field.text())
    assert completer.completionCount() == 1 and completer.currentIndex().data() == "phishing"
    assert completer.currentCompletion() == "edr, phishing, "  # the tags before it stay
    field.add_known(["zeek"])
    assert "zeek" in field.known()


def test_search_finds_a_note_by_its_tag(window, notes, qtbot):
    first, _other = notes
    window.search()
    dialog = window.search_dialog
    qtbot.keyClicks(dialog.query, "#fs01")
    dialog.run()
    assert dialog.results.count() == 1
    item = dialog.results.item(0)
    assert item.data(Qt.ItemDataRole.UserRole).id == first.id and "#edr #fs01" in item.text()
    dialog.close()


def test_attack_techniques_are_shown_beside_the_tags_named_in_the_tooltip(case, qtbot):
    from irdesk.ui.main_window import MainWindow
    from irdesk.ui.session import CaseSession

    note = ops.add_note(case, Phase.DETECTION, "Encrypted shares", tags=("ransomware",), attack=("T1486",)).value
    session = CaseSession(case)
    try:
        w = MainWindow(session, FakeDesk())
        qtbot.addWidget(w)
        w.show()
        editor = w.phase_tabs[Phase.DETECTION].editor
        w.show_note(note)
        assert editor.attack.ids() == ("T1486",) and editor.attack.line.text() == "T1486"
        assert "Data Encrypted for Impact · Impact" in editor.attack.line.toolTip()
        editor.new_note()
        assert editor.attack.ids() == () and editor.attack.line.toolTip() == ""
    finally:
        session.close()


def test_attack_ids_typed_in_the_editor_are_saved_with_the_note_and_a_wrong_one_holds_nothing_back(session, qtbot):
    """Typed ids are checked as --attack checks them; an unknown id is said beside the field
    and left unsaved, while the text of the note is saved all the same."""
    from irdesk.domain.records import Note
    from irdesk.ui.notes.editor import NoteEditor
    from tests.ui.conftest import wait_saved

    editor = NoteEditor(session, Phase.DETECTION)
    qtbot.addWidget(editor)
    editor.show()
    editor.new_note()
    qtbot.keyClicks(editor.text, "Shares encrypted on FS01")
    qtbot.keyClicks(editor.attack.line, "t1486, T9999")
    editor.save()
    wait_saved(qtbot, session)
    (note,) = session.reader.records.all(Note)
    assert note.body == "Shares encrypted on FS01" and note.attack == ()
    assert "T9999 is not a technique in ATT&CK Enterprise v18.1" in editor.attack.meaning.text()
    assert editor.attack.meaning.isVisible()
    editor.attack.line.setText("t1486, T1078.002")
    editor.attack.line.textEdited.emit(editor.attack.line.text())
    editor.save()
    wait_saved(qtbot, session)
    assert session.reader.records.get(Note, note.id).attack == ("T1486", "T1078.002")
    assert not editor.attack.meaning.isVisible()
