"""Times as they happen: key times typed, back-dated or now, each keeping its own offset; a
refusal of the case file shown as one sentence beside the field, in the form."""

from __future__ import annotations

from datetime import timedelta

import pytest

from irdesk.casefile import operations as ops
from irdesk.casefile import rules
from irdesk.domain.enums import RecordKind
from irdesk.domain.moment import Moment
from irdesk.ui.moments import to_qdatetime
from tests.ui.conftest import wait_saved

AT = Moment.parse("2026-11-28T09:10:37.250000+05:30")  # entered on a laptop in another zone


def _detected_after_activity(case) -> str:  # stands in for the boundary's order rules
    if case.first_activity_at and case.detected_at and case.detected_at < case.first_activity_at:
        return (f"Detected ({case.detected_at.display()}) is before first activity "
                f"({case.first_activity_at.display()}).")
    return ""


@pytest.fixture
def order_rule(monkeypatch):
    rule = rules.Rule(RecordKind.CASE, ("first_activity_at", "detected_at"), _detected_after_activity)
    monkeypatch.setattr(rules, "RULES", (*rules.RULES, rule))


@pytest.fixture
def header(session, qtbot):
    from irdesk.ui.header import Header

    h = Header(session)
    qtbot.addWidget(h)
    return h


def test_saving_key_times_rewrites_none_that_was_not_changed(header, session, qtbot):
    ops.edit_case(session.case, first_activity_at=AT, detected_at=AT + timedelta(hours=2))
    header.refresh()
    dialog = header.edit_times()
    dialog.fields["contained_at"].set_now()
    dialog.save_button.click()
    wait_saved(qtbot, session)
    case = session.reader.case()
    assert case.first_activity_at.isoformat() == AT.isoformat()  # +05:30 and the seconds stay
    assert case.detected_at.isoformat() == (AT + timedelta(hours=2)).isoformat()
    assert case.contained_at is not None


def test_a_key_time_can_be_typed_back_dated_and_unset(header, session, qtbot):
    ops.edit_case(session.case, reported_at=AT)
    header.refresh()
    dialog = header.edit_times()
    earlier = Moment.now() + timedelta(days=-2)
    dialog.fields["detected_at"].known.setChecked(True)
    dialog.fields["detected_at"].edit.setDateTime(to_qdatetime(earlier))
    dialog.fields["reported_at"].known.setChecked(False)
    assert set(dialog.changes()) == {"detected_at", "reported_at"}
    dialog.save_button.click()
    wait_saved(qtbot, session)
    case = session.reader.case()
    assert abs((case.detected_at - earlier).total_seconds()) < 60 and case.reported_at is None


def test_a_refused_order_is_said_beside_the_field_and_the_dialog_stays(header, session, qtbot, order_rule,
                                                                       message_boxes):
    ops.edit_case(session.case, first_activity_at=AT)
    header.refresh()
    dialog = header.edit_times()
    detected = dialog.fields["detected_at"]
    detected.known.setChecked(True)
    detected.edit.setDateTime(to_qdatetime(AT + timedelta(days=-365)))
    dialog.save_button.click()
    refusal = dialog.refusals["detected_at"]
    qtbot.waitUntil(lambda: refusal.isVisibleTo(dialog), timeout=5000)
    assert "is before its first activity time" in refusal.text() and dialog.isVisible()
    assert session.reader.case().detected_at is None and message_boxes == []  # no modal box
    detected.edit.setDateTime(to_qdatetime(AT + timedelta(hours=1)))  # fixed: the sentence goes
    assert not refusal.isVisibleTo(dialog)
    dialog.save_button.click()
    wait_saved(qtbot, session)
    assert session.reader.case().detected_at is not None


def test_cancelling_changed_key_times_asks_first(header, session, qtbot, message_boxes):
    dialog = header.edit_times()
    dialog.fields["detected_at"].set_now()
    dialog.reject()  # Esc: the question's default answer is Save
    wait_saved(qtbot, session)
    assert "Save the times you changed?" in message_boxes[0]
    assert session.reader.case().detected_at is not None
