"""Deleting a note, an evidence item, a contact and an action item: confirm, tombstone, gone."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from irdesk.casefile import operations as ops
from irdesk.domain.enums import Phase
from irdesk.domain.records import ActionItem, Contact, Evidence, Note
from tests.ui.conftest import wait_saved


@pytest.fixture
def confirm(monkeypatch):
    """Answer the confirmation (Yes unless told otherwise) and keep what it said."""
    asked: list[str] = []
    answers: list[QMessageBox.StandardButton] = []

    def question(parent, title, text, *args, **kwargs):
        asked.append(text)
        return answers.pop(0) if answers else QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked, answers


def _press_delete(qtbot, widget: QWidget, view: QWidget) -> None:
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    qtbot.keyClick(view, Qt.Key.Key_Delete)


def test_delete_a_note_from_the_list(session, qtbot, confirm):
    from irdesk.ui.notes.tab import PhaseTab

    asked, answers = confirm
    keep = ops.add_note(session.case, Phase.DETECTION, "EDR alert on FS01").value
    doomed = ops.add_note(session.case, Phase.DETECTION, "Wrong host: typed FS10").value
    tab = PhaseTab(session, Phase.DETECTION)
    qtbot.addWidget(tab)
    assert not tab.delete_button.isEnabled()  # a fresh, empty note: nothing to delete
    tab.select_row(tab.model.row_of(doomed.id))
    assert tab.editor.note_id == doomed.id and tab.delete_button.isEnabled()

    answers.append(QMessageBox.StandardButton.Cancel)
    _press_delete(qtbot, tab, tab.list)
    wait_saved(qtbot, session)
    assert tab.model.total == 2  # cancelled: nothing happened

    _press_delete(qtbot, tab, tab.list)
    wait_saved(qtbot, session)
    assert "Wrong host: typed FS10" in asked[-1]
    assert "marked deleted; its text stays in the case's history and the audit chain" in asked[-1]
    assert tab.model.total == 1 and tab.model.note_at(0).id == keep.id
    assert tab.editor.note_id == keep.id  # the editor follows the list to the next note
    tombstone = session.reader.records.find(Note, doomed.id)
    assert tombstone.deleted and tombstone.body == "Wrong host: typed FS10"
    assert [n.id for n in session.reader.notes.page()] == [keep.id]


def test_delete_the_note_being_edited_keeps_the_last_edit_in_history(session, qtbot, confirm):
    from irdesk.ui.notes.tab import PhaseTab

    note = ops.add_note(session.case, Phase.CONTAINMENT, "Isolate FS01").value
    tab = PhaseTab(session, Phase.CONTAINMENT)
    qtbot.addWidget(tab)
    tab.select_row(0)
    qtbot.keyClicks(tab.editor.text, " and FS02")
    tab.delete_button.click()
    wait_saved(qtbot, session)
    assert tab.model.total == 0
    tombstone = session.reader.records.find(Note, note.id)
    assert tombstone.deleted and tombstone.body == "Isolate FS01 and FS02"  # the edit came first
    assert [r.record.body for r in session.reader.records.history(Note, note.id)] == [
        "Isolate FS01",
        "Isolate FS01 and FS02",
    ]
    assert tab.editor.note_id is None and tab.editor.text.toPlainText() == ""


def test_delete_an_evidence_item(session, qtbot, confirm):
    from irdesk.ui.evidence.panel import EvidencePanel

    asked, _ = confirm
    ops.add_evidence(session.case, label="Firewall logs")
    doomed = ops.add_evidence(session.case, label="Duplicate: firewall logs").value
    panel = EvidencePanel(session)
    qtbot.addWidget(panel)
    panel.select(doomed.id)
    _press_delete(qtbot, panel, panel.table)
    wait_saved(qtbot, session)
    assert "Delete the evidence item “Duplicate: firewall logs”?" in asked[0]
    assert [e.label for e in panel.model.records()] == ["Firewall logs"]
    assert panel.selected() is None and not panel.details.isEnabled()
    assert panel.label.text() == ""
    assert session.reader.records.find(Evidence, doomed.id).deleted


def test_delete_a_contact(session, qtbot, confirm):
    from irdesk.ui.contacts.panel import ContactsPanel
    from irdesk.ui.header import Header

    asked, _ = confirm
    doomed = ops.add_contact(session.case, name="Marta Kowalczyk").value
    needed = session.case.clock()
    ops.add_engagement(session.case, contact_id=doomed.id, purpose="vCenter access", needed_at=needed)
    panel, header = ContactsPanel(session), Header(session)
    qtbot.addWidget(panel)
    qtbot.addWidget(header)
    panel.select(doomed.id)
    _press_delete(qtbot, panel, panel.table)
    wait_saved(qtbot, session)
    assert "Marta Kowalczyk" in asked[0]
    assert panel.model.rowCount() == 0 and panel.empty.isVisibleTo(panel)
    assert panel.name.text() == "" and not panel.details.isEnabled()
    assert session.reader.records.all(Contact) == []
    assert "Marta Kowalczyk" in header.metrics.text()  # the wait happened: still named


def test_delete_an_action_item_with_the_button(session, qtbot, confirm):
    from irdesk.ui.post_incident.action_items import ActionItemsPanel

    asked, _ = confirm
    doomed = ops.add_action(session.case, title="Deploy EDR on file servers").value
    panel = ActionItemsPanel(session)
    qtbot.addWidget(panel)
    panel.select(doomed.id)
    [menu_entry] = panel.table.actions()  # the table's context menu
    assert menu_entry.text() == "Delete action item…"
    [button] = [
        b for b in panel.findChildren(QPushButton) if b.accessibleName() == "Delete action item"
    ]
    button.click()
    wait_saved(qtbot, session)
    assert "Deploy EDR on file servers" in asked[0]
    assert panel.model.rowCount() == 0
    assert "No action items yet" in panel.blockers.text()
    assert session.reader.records.find(ActionItem, doomed.id).deleted


def test_evidence_asked_of_a_deleted_contact_keeps_the_name(session, qtbot, confirm):
    from irdesk.ui.evidence.panel import EvidencePanel

    marta = ops.add_contact(session.case, name="Marta Kowalczyk").value
    item = ops.add_evidence(session.case, label="FS01 memory snapshot", requested_from=marta.id).value
    ops.delete(session.case, Contact, marta.id)
    panel = EvidencePanel(session)
    qtbot.addWidget(panel)
    panel.select(item.id)
    assert panel.requested_from.currentText() == "Marta Kowalczyk (deleted)"
    panel.holder.setText("A. Responder")
    panel.save_selected()  # saving something else keeps whom it was requested from
    wait_saved(qtbot, session)
    assert session.reader.records.get(Evidence, item.id).requested_from == marta.id
