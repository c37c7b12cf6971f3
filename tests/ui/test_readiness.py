"""The readiness checklist: your own items can be removed (the standard ones stay), and ticking
"contacts verified" while the contact book is stale asks first and keeps a warning up."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from irdesk.casefile import operations as ops
from irdesk.domain.records import ChecklistItem, Contact
from irdesk.templates import readiness_items
from tests.ui.conftest import wait_saved


@pytest.fixture
def panel(session, qtbot):
    from irdesk.ui.readiness import ReadinessPanel

    ops.add_checklist_items(session.case, readiness_items())
    p = ReadinessPanel(session)
    qtbot.addWidget(p)
    p.show()
    qtbot.waitExposed(p)
    return p


@pytest.fixture
def answers(monkeypatch):
    asked: list[str] = []
    replies: list[QMessageBox.StandardButton] = []

    def question(_parent, _title, text, *args, **kwargs):
        asked.append(text)
        return replies.pop(0) if replies else QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked, replies


def _row_of(panel, text: str) -> int:
    return next(n for n, i in enumerate(panel.model.items()) if i.text == text)


def test_remove_your_own_item_not_a_standard_one(panel, session, qtbot, answers, qtmodeltester):
    asked, _ = answers
    qtbot.keyClicks(panel.new_item, "Out-of-band chat room tested")
    qtbot.keyClick(panel.new_item, Qt.Key.Key_Return)
    wait_saved(qtbot, session)
    qtmodeltester.check(panel.model)
    standard = panel.model.index(0)
    panel.list.setCurrentIndex(standard)
    assert not panel.remove_button.isEnabled()
    assert "cannot be removed" in standard.data(Qt.ItemDataRole.ToolTipRole)
    panel.list.setFocus()
    qtbot.keyClick(panel.list, Qt.Key.Key_Delete)  # refused without asking
    assert not asked and len(session.reader.records.all(ChecklistItem)) == 6
    own = panel.model.index(_row_of(panel, "Out-of-band chat room tested"))
    panel.list.setCurrentIndex(own)
    assert panel.remove_button.isEnabled()
    panel.activateWindow()
    panel.list.setFocus()
    qtbot.waitUntil(panel.list.hasFocus)
    qtbot.keyClick(panel.list, Qt.Key.Key_Delete)
    wait_saved(qtbot, session)
    assert "Out-of-band chat room tested" in asked[-1]
    assert [i.text for i in session.reader.records.all(ChecklistItem)] == readiness_items()
    assert panel.model.rowCount() == 5


def test_ticking_contacts_verified_over_stale_contacts_warns(panel, session, qtbot, answers):
    asked, replies = answers
    ops.add_contact(session.case, "Dana Pike", last_verified=date(2020, 1, 1))
    fresh = ops.add_contact(session.case, "Sam Ortiz", last_verified=date.today()).value
    panel.reload()
    row = _row_of(panel, "Contacts verified (names, numbers, out-of-band channels)")
    index = panel.model.index(row)
    replies.append(QMessageBox.StandardButton.No)
    assert not panel.model.setData(index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert "1 of 2 contacts are stale or never verified (Dana Pike)" in asked[-1]
    wait_saved(qtbot, session)
    assert not session.reader.records.all(ChecklistItem)[row].done and panel.warning.isHidden()

    assert panel.model.setData(index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)  # Yes
    wait_saved(qtbot, session)
    assert session.reader.records.all(ChecklistItem)[row].done
    assert panel.warning.isVisible() and "Dana Pike" in panel.warning.text()
    assert "stale" in panel.model.index(row).data(Qt.ItemDataRole.ToolTipRole)
    other = panel.model.index(_row_of(panel, "Baselines documented for critical systems"))
    count = len(asked)
    assert panel.model.setData(other, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert len(asked) == count  # an item not about contacts: no question

    # the contact verified on the Contacts tab: the warning goes at once
    [stale] = [c for c in session.reader.records.all(Contact) if c.id != fresh.id]
    session.write(lambda c: ops.edit_contact(c, stale.id, last_verified=date.today()))
    wait_saved(qtbot, session)
    assert panel.warning.isHidden()


def test_keyboard_only(main_window, session, qtbot, answers):
    """Ctrl+1, Ctrl+Tab to the checklist, arrows and Space tick, Delete removes your own item."""
    from PySide6.QtWidgets import QApplication

    ops.add_checklist_items(session.case, [*readiness_items(), "Vendor portal logins tested"])
    w = main_window
    w.readiness.reload()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.keyClick(w, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    view = w.readiness.list
    assert QApplication.focusWidget() is view
    view.setCurrentIndex(w.readiness.model.index(0))
    qtbot.keyClick(view, Qt.Key.Key_Down)
    qtbot.keyClick(view, Qt.Key.Key_Space)  # "Access for responders …": ticked
    wait_saved(qtbot, session)
    assert [i.done for i in session.reader.records.all(ChecklistItem)][:2] == [False, True]
    assert view.currentIndex().row() == 1  # the list reloaded, the keyboard kept its place
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert w.readiness.selected().text == "Vendor portal logins tested"
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    wait_saved(qtbot, session)
    assert [i.text for i in session.reader.records.all(ChecklistItem)] == readiness_items()
