"""The Timeline tab: a windowed model that passes qtmodeltester, its filters, the strip's zoom,
and Enter opening the record in its own tab."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from irdesk.casefile import operations as ops
from irdesk.casefile.timeline import EntryKind, TimelineFilter
from irdesk.domain.enums import Phase
from irdesk.domain.moment import Moment
from irdesk.ui.timeline import model as timeline_model
from irdesk.ui.timeline.axis import ZOOMS
from irdesk.ui.timeline.model import KIND, WHAT, WRITTEN, TimelineModel
from tests.casefile.timeline_case import T0, fill
from tests.ui.conftest import FakeDesk, wait_saved


@pytest.fixture
def ids(case):
    return fill(case)


@pytest.fixture
def window(ids, session, qtbot):
    from irdesk.ui.main_window import MainWindow

    w = MainWindow(session, FakeDesk())
    qtbot.addWidget(w)
    w.show()
    return w


def test_the_model_is_valid_and_fetches_only_the_windows_it_shows(case, ids, qtmodeltester, monkeypatch):
    monkeypatch.setattr(timeline_model, "PAGE", 4)
    model = TimelineModel(case)
    assert model.rowCount() == 13
    qtmodeltester.check(model)
    model.reload()
    last = model.entry_at(12)
    assert last is not None and last.record.id == ids["late"]
    assert 3 in model._pages and not {1, 2} & set(model._pages)  # not every entry before it
    assert [model.entry_at(r).key for r in range(13)] == [e.key for e in case.timeline.page()]
    gap_row = next(r for r in range(13) if model.entry_at(r).record.id == ids["gap"])
    assert model.index(gap_row, KIND).data() == "Gap: Access · Detection"
    assert model.index(gap_row, KIND).data(Qt.ItemDataRole.AccessibleTextRole).startswith("Gap: Access")
    assert model.index(gap_row, KIND).data(Qt.ItemDataRole.DecorationRole) is not None
    assert model.index(gap_row, WHAT).data() == "No access to the firewall logs"


def test_written_at_is_shown_where_it_differs_from_occurred(case, ids, qtmodeltester):
    ops.add_note(case, Phase.DETECTION, "written as it happened", occurred=Moment.now())
    model = TimelineModel(case)
    qtmodeltester.check(model)
    rows = {model.entry_at(r).record.id if model.entry_at(r).kind is EntryKind.NOTE else None: r
            for r in range(model.rowCount())}
    old = rows[ids["first"]]  # occurred in November, written now
    assert model.index(old, WRITTEN).data() != ""
    assert "after it occurred" in model.index(old, WRITTEN).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(model.rowCount() - 1, WRITTEN).data() == ""


def test_filters_narrow_the_list(window, ids, qtbot):
    tab = window.timeline
    window.show_tab(window.tabs.indexOf(tab))
    assert tab.model.total == 13
    tab.gap.setCurrentIndex(tab.gap.findData("any"))
    assert tab.model.total == 1 and tab.current_entry().record.id == ids["gap"]
    tab.gap.setCurrentIndex(0)
    qtbot.keyClicks(tab.tag_edit, "fs")
    qtbot.waitUntil(lambda: [tab.tag.itemText(i) for i in range(3)] == ["edr", "fs01", "network"])
    assert tab.tag.itemText(3) == "ATT&CK tactic: Reconnaissance"  # then the tactics, in the matrix's order
    completer = tab.tag.completer()
    assert completer.completionCount() == 1 and completer.currentCompletion() == "fs01"
    tab.tag_edit.setText("#fs01")
    tab.tag_edit.editingFinished.emit()
    assert tab.model.total == 2
    tab.tag_edit.setText("")
    tab.tag_edit.editingFinished.emit()
    tab.indicator.setCurrentIndex(tab.indicator.findData(ids["indicator"]))
    assert tab.model.total == 2
    tab.indicator.setCurrentIndex(0)
    tab.kind_actions[EntryKind.NOTE].setChecked(False)
    assert tab.model.total == 8 and tab.kinds_button.text() == "Show: 5 of 6 kinds"
    tab.set_filter(TimelineFilter(phase=Phase.CONTAINMENT))
    assert tab.model.total == 2 and tab.kind_actions[EntryKind.NOTE].isChecked()
    assert "match the filter" in tab.total.text()


def test_enter_opens_the_record_in_its_tab(window, ids, qtbot):
    tab = window.timeline
    qtbot.keyClick(window, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is tab and QApplication.focusWidget() is tab.table
    assert tab.current_entry().record.id == ids["late"]  # opens at the latest entry
    tab.go_to_time(T0 + timedelta(minutes=20))
    assert tab.current_entry().record.id == ids["gap"]
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    detection = window.phase_tabs[Phase.DETECTION]
    assert window.tabs.currentWidget() is detection and detection.editor.note_id == ids["gap"]

    window.show_tab(window.tabs.indexOf(tab))
    qtbot.keyClick(tab.table, Qt.Key.Key_Down)  # 20 min gap → 21 min engagement needed
    assert tab.current_entry().kind is EntryKind.ENGAGEMENT
    qtbot.keyClick(tab.table, Qt.Key.Key_Enter)
    assert window.tabs.currentWidget() is window.contacts
    assert window.contacts.selected().id == ids["contact"]
    assert window.contacts.log.selected().id == ids["engagement"]

    window.show_tab(window.tabs.indexOf(tab))
    qtbot.keyClick(tab.table, Qt.Key.Key_Down)  # the evidence arrived
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    assert window.tabs.currentWidget() is window.evidence and window.evidence.selected().id == ids["evidence"]


def test_the_strip_zooms_and_moves_the_list(window, ids, qtbot):
    tab = window.timeline
    window.show_tab(window.tabs.indexOf(tab))
    tab.go_to_time(T0)
    axis = tab.axis
    axis.setFocus()
    qtbot.keyClick(axis, Qt.Key.Key_Minus)
    qtbot.keyClick(axis, Qt.Key.Key_Plus)
    qtbot.keyClick(axis, Qt.Key.Key_Plus)
    qtbot.keyClick(axis, Qt.Key.Key_Plus)
    assert axis.zoom.seconds == 300 and tab.zoom.currentText() == "5 minutes per bar"
    qtbot.waitUntil(lambda: sum(n for n, _ in axis.counts) == 13)  # counted on a pool thread
    edges, counts = axis.edges, axis.counts
    assert len(counts) == len(edges) - 1
    assert all(b - a == timedelta(minutes=5) for a, b in zip(edges, edges[1:], strict=False))
    chosen = axis.chosen
    assert edges[chosen] <= T0 < edges[chosen + 1] and counts[chosen] == (1, 0)
    for _ in range(4):  # 20 minutes later: the gap
        qtbot.keyClick(axis, Qt.Key.Key_Right)
    assert counts[axis.chosen][1] == 1 and "1 gap" in axis.accessibleDescription()
    qtbot.keyClick(axis, Qt.Key.Key_Return)
    assert tab.current_entry().record.id == ids["gap"]
    qtbot.keyClick(axis, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is tab.table
    tab.zoom.setCurrentIndex(len(ZOOMS) - 1)
    assert axis.zoom.label == "1 week" and axis.edges[1] - axis.edges[0] == timedelta(days=7)


def test_a_new_note_shows_on_the_timeline(window, session, qtbot):
    tab = window.timeline
    window.show_tab(window.tabs.indexOf(tab))
    session.write(lambda c: ops.add_note(c, Phase.CONTAINMENT, "Reset the service account"))
    wait_saved(qtbot, session)
    qtbot.waitUntil(lambda: tab.model.total == 14)
    window.show_tab(0)  # hidden: it only marks itself stale
    session.write(lambda c: ops.add_note(c, Phase.CONTAINMENT, "Blocked the address"))
    wait_saved(qtbot, session)
    assert tab.model.total == 14
    window.show_tab(window.tabs.indexOf(tab))
    assert tab.model.total == 15


def test_the_strips_counts_leave_a_typing_session_alone(session, ids, qtbot):
    epoch = session.output_epoch()
    got = []
    session.count(lambda reader: reader.timeline.count(), got.append)
    qtbot.waitUntil(lambda: got == [13])
    assert session.output_epoch() == epoch  # a note being typed keeps amending its revision


def test_the_hidden_tab_counts_ahead_and_a_change_voids_that_count(window, session, qtbot):
    tab = window.timeline
    assert window.tabs.currentWidget() is not tab and tab.model.total == 0  # nothing read yet
    qtbot.waitUntil(lambda: tab._precount == 13)
    session.write(lambda c: ops.add_note(c, Phase.CONTAINMENT, "Reset the service account"))
    wait_saved(qtbot, session)
    qtbot.waitUntil(lambda: tab._precount is None)
    window.show_tab(window.tabs.indexOf(tab))
    assert tab.model.total == 14


def test_enter_on_a_key_time_or_an_indicator(window, ids, qtbot):
    from irdesk.ui.key_times import KeyTimesDialog

    tab = window.timeline
    window.show_tab(window.tabs.indexOf(tab))
    tab.go_to_time(T0 + timedelta(minutes=5))
    assert tab.current_entry().step == "detected_at"
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, KeyTimesDialog))
    assert dialog.isVisible()
    dialog.reject()
    tab.go_to_time(T0 + timedelta(minutes=9))
    assert tab.current_entry().kind is EntryKind.INDICATOR
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    detection = window.phase_tabs[Phase.DETECTION]
    assert window.tabs.currentWidget() is detection and detection.editor.note_id == ids["second"]
    assert "203.0.113.7" in window.statusBar().currentMessage()


def test_the_tag_box_filters_by_attack_technique_or_tactic(window, session, qtbot):
    from irdesk.ui.timeline.tab import attack_text, tag_or_attack

    assert tag_or_attack("#fs01") == {"tag": "fs01"}
    assert tag_or_attack("t1078")["attack"][:2] == ("T1078", "T1078.001")  # with its sub-techniques
    impact = tag_or_attack("ATT&CK tactic: Impact")["attack"]
    assert "T1486" in impact and attack_text(impact) == "ATT&CK tactic: Impact"
    first = ops.add_note(session.case, Phase.CONTAINMENT, "Shares encrypted", attack=("T1486",))
    second = ops.add_note(session.case, Phase.DETECTION, "Domain admin used", attack=("T1078.002",))
    encrypted, accounts = first.value, second.value
    session.changed.emit(second.changes)  # as a merge or the CLI's notes would arrive
    tab = window.timeline
    window.show_tab(window.tabs.indexOf(tab))
    for text, expected in (("ATT&CK tactic: Impact", [encrypted.id]), ("T1078", [accounts.id]),
                           ("ATT&CK tactic: Persistence", [accounts.id]), ("T1490", [])):
        tab.tag_edit.setText(text)
        tab.tag_edit.editingFinished.emit()
        assert [tab.model.entry_at(r).record.id for r in range(tab.model.total)] == expected, text
