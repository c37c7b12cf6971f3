"""The case file's rules (time order, a transfer's recipient) are the boundary's: the GUI shows
its refusal as one sentence beside the field it concerns, never a modal box, never its own
copy of the rule. The rule says which fields it looks at (``KnownError.fields``)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

from irdesk.casefile import operations as ops
from irdesk.casefile.errors import NotAllowed
from irdesk.casefile.rules import check
from irdesk.domain.enums import CustodyAction
from irdesk.domain.errors import Sentence
from irdesk.domain.moment import Moment
from irdesk.domain.records import CustodyEvent, Engagement, Evidence
from irdesk.ui.forms import concerned
from irdesk.ui.moments import to_qdatetime
from tests.ui.conftest import wait_saved


def test_a_refusal_names_the_fields_of_the_rule_that_refused(case):
    event = ops.add_evidence(case, "FS01 disk image").value
    custody = case.records.stamp_new(CustodyEvent, evidence_id=event.id, action=CustodyAction.TRANSFERRED,
                                     at=Moment.now(), by_whom="Ana")
    with pytest.raises(NotAllowed) as refused:
        check(custody)
    assert refused.value.fields == ("action", "to_whom")
    sentence = Sentence.of(refused.value)
    assert sentence == refused.value.message and sentence.fields == ("action", "to_whom")
    assert concerned(sentence, "by_whom", ["action", "by_whom", "to_whom"]) == "to_whom"
    assert concerned(sentence, "action", ["action", "by_whom", "to_whom"]) == "action"
    assert concerned("A plain sentence.", "by_whom", ["by_whom"]) == "by_whom"


def test_a_transfer_without_recipient_is_refused_beside_to_whom(session, qtbot, message_boxes):
    from irdesk.ui.evidence.panel import EvidencePanel

    item = ops.add_evidence(session.case, "Laptop of the CFO").value
    panel = EvidencePanel(session)
    qtbot.addWidget(panel)
    panel.show()
    panel.select(item.id)
    dialog = panel.add_custody()
    dialog.action.setCurrentText("transferred")
    dialog.by_whom.setFocus()
    qtbot.keyClicks(dialog.by_whom, "A. Responder")  # edited last: not what the rule is about
    qtbot.keyClick(dialog.by_whom, Qt.Key.Key_Return)
    refusal = dialog.rows.refusals["to_whom"]
    qtbot.waitUntil(lambda: refusal.isVisibleTo(dialog), timeout=5000)
    assert refusal.text() == "A custody transfer needs the person or place it went to."
    assert not dialog.rows.refusals["by_whom"].isVisibleTo(dialog)
    assert dialog.isVisible() and message_boxes == []
    assert session.reader.records.all(CustodyEvent) == []
    dialog.to_whom.setFocus()
    qtbot.keyClicks(dialog.to_whom, "Evidence locker")
    assert not refusal.isVisibleTo(dialog)  # fixed: the sentence goes
    qtbot.keyClick(dialog.to_whom, Qt.Key.Key_Return)
    wait_saved(qtbot, session)
    assert [e.to_whom for e in session.reader.records.all(CustodyEvent)] == ["Evidence locker"]


@pytest.fixture
def engagement_log(session, qtbot):
    from irdesk.ui.contacts.panel import ContactsPanel

    contact = ops.add_contact(session.case, "Marta Kowalczyk").value
    engagement = ops.add_engagement(session.case, contact.id, "vCenter admin access").value
    panel = ContactsPanel(session)
    qtbot.addWidget(panel)
    panel.resize(1200, 700)
    panel.show()
    panel.select(contact.id)
    return panel.log, engagement


def test_now_after_needed_now_is_never_before_it(engagement_log, session, qtbot):
    """ "Needed now" is stamped to the microsecond by the case file; "First attempt: Now" a
    moment later, in the same minute, used to be truncated to the second and refused."""
    log, engagement = engagement_log
    log.stages["first_attempt_at"].now.click()
    wait_saved(qtbot, session)
    log.stages["reached_at"].now.click()
    wait_saved(qtbot, session)
    saved = session.reader.records.get(Engagement, engagement.id)
    assert saved.needed_at <= saved.first_attempt_at <= saved.reached_at
    assert all(not r.isVisibleTo(log) for r in log.form.rows.refusals.values())


def test_an_engagement_out_of_order_is_refused_beside_the_later_time(engagement_log, session, qtbot,
                                                                     message_boxes):
    log, engagement = engagement_log
    log.stages["first_attempt_at"].now.click()
    wait_saved(qtbot, session)
    first = session.reader.records.get(Engagement, engagement.id).first_attempt_at
    reached = log.stages["reached_at"]
    reached.known.click()
    reached.edit.setDateTime(to_qdatetime(first + timedelta(hours=-2)))  # typed, back-dated too far
    log.outcome.setFocus()
    qtbot.keyClicks(log.outcome, "Granted")  # edited last: the rule is not about it
    qtbot.keyClick(log.outcome, Qt.Key.Key_Return)
    refusal = log.form.rows.refusals["reached_at"]
    qtbot.waitUntil(lambda: refusal.isVisibleTo(log), timeout=5000)
    assert refusal.text().startswith("The engagement's reached time") and "is before its" in refusal.text()
    assert "\n" not in refusal.text() and refusal.text().endswith("resolved.")  # one sentence
    assert not log.form.rows.refusals["outcome"].isVisibleTo(log) and message_boxes == []
    saved = session.reader.records.get(Engagement, engagement.id)
    assert saved.reached_at is None and saved.outcome == ""  # nothing of the change was written
    reached.edit.setDateTime(to_qdatetime(first + timedelta(minutes=5)))
    assert not refusal.isVisibleTo(log)
    log.save_button.click()
    wait_saved(qtbot, session)
    saved = session.reader.records.get(Engagement, engagement.id)
    assert saved.reached_at is not None and saved.outcome == "Granted"


def test_evidence_arriving_before_it_was_requested_is_refused_beside_arrived(session, qtbot, message_boxes):
    from irdesk.ui.evidence.panel import EvidencePanel

    item = ops.add_evidence(session.case, "Proxy logs").value
    panel = EvidencePanel(session)
    qtbot.addWidget(panel)
    panel.resize(1200, 700)
    panel.show()
    panel.select(item.id)
    now = Moment.now()
    panel.requested_at.known.click()
    panel.requested_at.edit.setDateTime(to_qdatetime(now))
    panel.collected_at.known.click()
    panel.collected_at.edit.setDateTime(to_qdatetime(now + timedelta(days=-1)))
    panel.holder.setFocus()
    qtbot.keyClicks(panel.holder, "Ana")
    qtbot.keyClick(panel.holder, Qt.Key.Key_Return)
    refusal = panel.form.rows.refusals["collected_at"]
    qtbot.waitUntil(lambda: refusal.isVisibleTo(panel), timeout=5000)
    assert "requested before it is collected" in refusal.text() and message_boxes == []
    assert session.reader.records.get(Evidence, item.id).collected_at is None
