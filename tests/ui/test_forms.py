"""Form edits never vanish: every record form saves itself when the user moves on, and a refused
edit comes back with its reason beside the field instead of a modal box."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

from irdesk.casefile import operations as ops
from irdesk.domain.enums import ActionStatus
from irdesk.domain.moment import Moment
from irdesk.domain.records import ActionItem, Engagement, Evidence
from irdesk.ui.moments import to_qdatetime
from tests.ui.conftest import wait_saved


def click_row(qtbot, table, record_id, model) -> None:
    """Click the row of ``record_id`` with the mouse, as a user would."""
    index = table.model().mapFromSource(model.index(model.row_of(record_id), 0))
    table.scrollTo(index)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center())


@pytest.fixture
def actions(session, qtbot):
    from irdesk.ui.post_incident.action_items import ActionItemsPanel

    a = ops.add_action(session.case, "Deploy EDR on file servers").value
    b = ops.add_action(session.case, "Keep the on-call list current").value
    panel = ActionItemsPanel(session)
    qtbot.addWidget(panel)
    panel.resize(1000, 500)
    panel.show()
    return panel, a, b


def test_a_waived_reason_is_saved_when_another_row_is_clicked(actions, session, qtbot):
    panel, a, b = actions
    click_row(qtbot, panel.table, a.id, panel.model)
    panel.status.setCurrentText("waived")
    panel.reason.setFocus()
    qtbot.keyClicks(panel.reason, "Replaced by the new EDR contract")
    click_row(qtbot, panel.table, b.id, panel.model)
    wait_saved(qtbot, session)
    saved = session.reader.records.get(ActionItem, a.id)
    assert saved.status is ActionStatus.WAIVED and saved.waived_reason == "Replaced by the new EDR contract"
    assert panel.selected().id == b.id and panel.title.text() == b.title


def test_an_evidence_holder_change_is_saved_when_another_row_is_clicked(session, qtbot):
    from irdesk.ui.evidence.panel import EvidencePanel

    a = ops.add_evidence(session.case, "FS01 disk image").value
    b = ops.add_evidence(session.case, "Proxy logs").value
    panel = EvidencePanel(session)
    qtbot.addWidget(panel)
    panel.resize(1100, 600)
    panel.show()
    click_row(qtbot, panel.table, a.id, panel.model)
    panel.holder.setFocus()
    qtbot.keyClicks(panel.holder, "Ana at the lab")
    click_row(qtbot, panel.table, b.id, panel.model)
    wait_saved(qtbot, session)
    assert session.reader.records.get(Evidence, a.id).holder == "Ana at the lab"
    panel.location.setFocus()
    qtbot.keyClicks(panel.location, "Safe 2")
    panel.hide()  # leaving the tab
    wait_saved(qtbot, session)
    assert session.reader.records.get(Evidence, b.id).location == "Safe 2"


def test_a_contact_edit_is_saved_with_enter(session, qtbot):
    from irdesk.domain.records import Contact
    from irdesk.ui.contacts.panel import ContactsPanel

    contact = ops.add_contact(session.case, "Marta Kowalczyk").value
    panel = ContactsPanel(session)
    qtbot.addWidget(panel)
    panel.show()
    panel.select(contact.id)
    panel.phone.setFocus()
    qtbot.keyClicks(panel.phone, "+31 6 1234 5678")
    qtbot.keyClick(panel.phone, Qt.Key.Key_Return)
    wait_saved(qtbot, session)
    assert session.reader.records.get(Contact, contact.id).phone == "+31 6 1234 5678"


def test_a_refused_edit_comes_back_with_its_reason_beside_the_field(actions, session, qtbot, message_boxes):
    panel, a, b = actions
    click_row(qtbot, panel.table, a.id, panel.model)
    panel.status.setFocus()
    panel.status.setCurrentText("waived")
    panel.status.activated.emit(panel.status.currentIndex())  # chosen by the user
    click_row(qtbot, panel.table, b.id, panel.model)  # no reason: the case file refuses
    qtbot.waitUntil(lambda: panel.selected() is not None and panel.selected().id == a.id, timeout=5000)
    assert panel.status.currentText() == "waived"  # the edit is still there…
    refusal = panel.form.rows.refusals["status"]
    assert refusal.isVisibleTo(panel) and "without a reason" in refusal.text()  # …with why, beside it
    assert message_boxes == []
    assert session.reader.records.get(ActionItem, a.id).status is ActionStatus.PROPOSED
    panel.reason.setFocus()
    qtbot.keyClicks(panel.reason, "Out of scope")  # fixing it clears the sentence
    assert not refusal.isVisibleTo(panel)
    qtbot.keyClick(panel.reason, Qt.Key.Key_Return)
    wait_saved(qtbot, session)
    assert session.reader.records.get(ActionItem, a.id).waived_reason == "Out of scope"


def test_leaving_a_refused_edit_twice_lets_it_go_and_says_so(actions, session, qtbot):
    panel, a, b = actions
    click_row(qtbot, panel.table, a.id, panel.model)
    panel.title.setFocus()
    panel.title.selectAll()
    qtbot.keyClick(panel.title, Qt.Key.Key_Delete)  # an empty title is refused
    click_row(qtbot, panel.table, b.id, panel.model)
    qtbot.waitUntil(lambda: panel.selected().id == a.id and bool(panel.form.problem), timeout=5000)
    dropped: list[str] = []
    panel.form.dropped.connect(dropped.append)
    click_row(qtbot, panel.table, b.id, panel.model)
    assert panel.selected().id == b.id and dropped and a.title in dropped[0]
    assert session.reader.records.get(ActionItem, a.id).title == a.title


def test_a_save_landing_never_overwrites_what_is_being_typed(session, qtbot):
    from irdesk.ui.evidence.panel import EvidencePanel

    item = ops.add_evidence(session.case, "FS01 disk image").value
    panel = EvidencePanel(session)
    qtbot.addWidget(panel)
    panel.show()
    panel.select(item.id)
    panel.holder.setFocus()
    qtbot.keyClicks(panel.holder, "Ana")
    session.write(lambda c: ops.edit_evidence(c, item.id, location="Safe 2"))  # e.g. a merge lands
    wait_saved(qtbot, session)
    assert panel.holder.text() == "Ana"
    panel.save_selected()
    wait_saved(qtbot, session)
    saved = session.reader.records.get(Evidence, item.id)
    assert (saved.holder, saved.location) == ("Ana", "Safe 2")  # neither change undid the other


@pytest.fixture
def contacts(session, qtbot):
    from irdesk.ui.contacts.panel import ContactsPanel

    panel = ContactsPanel(session)
    qtbot.addWidget(panel)
    panel.resize(1100, 700)
    panel.show()
    return panel


def test_engagement_buttons_act_only_when_they_can(contacts, session, qtbot):
    log = contacts.log
    assert not log.need_button.isEnabled() and not log.details.isEnabled()  # nobody selected
    contacts.add_contact("Marta Kowalczyk")
    wait_saved(qtbot, session)
    assert log.need_button.isEnabled() and not log.details.isEnabled()  # no engagement yet
    log.new_purpose.setText("vCenter admin access")
    log.need_button.click()
    wait_saved(qtbot, session)
    assert log.details.isEnabled() and log.purpose.text() == "vCenter admin access"


def test_engagement_times_are_back_dated_edited_and_deleted(contacts, session, qtbot, monkeypatch):
    contact = ops.add_contact(session.case, "Marta Kowalczyk").value
    needed = Moment.parse("2026-11-28T08:00:00+01:00")
    engagement = ops.add_engagement(session.case, contact.id, "Hypervisor access", needed_at=needed).value
    contacts.reload()
    contacts.select(contact.id)
    log = contacts.log
    assert log.selected().id == engagement.id
    tried = Moment.now() + timedelta(hours=-2)
    log.stages["first_attempt_at"].known.setChecked(True)
    log.stages["first_attempt_at"].edit.setDateTime(to_qdatetime(tried))  # logged after the fact
    log.purpose.setFocus()
    log.purpose.selectAll()
    qtbot.keyClicks(log.purpose, "Hypervisor admin access")
    qtbot.keyClick(log.purpose, Qt.Key.Key_Return)
    wait_saved(qtbot, session)
    saved = session.reader.records.get(Engagement, engagement.id)
    assert saved.purpose == "Hypervisor admin access"
    assert abs((saved.first_attempt_at - tried).total_seconds()) < 60
    assert saved.needed_at.isoformat() == needed.isoformat()  # untouched: its offset stays
    log.stages["reached_at"].now.click()  # one click, saved at once
    wait_saved(qtbot, session)
    assert session.reader.records.get(Engagement, engagement.id).reached_at is not None
    log.delete_button.click()  # asks first; its default answer is Cancel
    wait_saved(qtbot, session)
    assert session.reader.records.get(Engagement, engagement.id).deleted is False
    monkeypatch.setattr("irdesk.ui.contacts.engagements.confirm_delete", lambda *a, **k: True)
    log.delete_button.click()
    wait_saved(qtbot, session)
    assert session.reader.records.get(Engagement, engagement.id).deleted
    assert log.model.rowCount() == 0 and not log.details.isEnabled()


def test_contact_notes_typed_are_saved_when_another_contact_is_picked(session, qtbot):
    from irdesk.domain.records import Contact
    from irdesk.ui.contacts.panel import ContactsPanel

    marta = ops.add_contact(session.case, "Marta Kowalczyk").value
    daniel = ops.add_contact(session.case, "Daniel Okafor").value
    panel = ContactsPanel(session)
    qtbot.addWidget(panel)
    panel.resize(1200, 700)
    panel.show()
    click_row(qtbot, panel.table, marta.id, panel.model)
    panel.notes.setFocus()
    qtbot.keyClicks(panel.notes, "Escalate via the duty phone")
    qtbot.keyClick(panel.notes, Qt.Key.Key_Return)  # a new line in the notes, not a save
    qtbot.keyClicks(panel.notes, "after 18:00")
    click_row(qtbot, panel.table, daniel.id, panel.model)
    wait_saved(qtbot, session)
    assert session.reader.records.get(Contact, marta.id).notes == "Escalate via the duty phone\nafter 18:00"
    assert panel.selected().id == daniel.id and panel.notes.toPlainText() == ""
