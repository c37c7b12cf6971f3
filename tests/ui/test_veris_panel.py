"""The case's VERIS classification on the Summary tab: picked from VERIS's own lists by
keyboard, saved through ``edit_case`` at once, refused in one sentence when VERIS has no such
value (the case unchanged), and redrawn when a merge or ``case set`` changes it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from irdesk.casefile import operations as ops
from irdesk.domain import veris
from tests.ui.conftest import wait_saved


def summary_tab(session, qtbot):
    from irdesk.ui.post_incident.summary import SummaryPanel

    summary = SummaryPanel(session)
    qtbot.addWidget(summary)
    summary.show()
    return summary  # kept by the test: the VERIS panel lives inside it


def type_and_enter(qtbot, box, text: str) -> None:
    box.setFocus()
    box.line.clear()
    qtbot.keyClicks(box.line, text)
    QTest.keyClick(box.line, Qt.Key.Key_Return)


def test_the_pickers_offer_exactly_veris_values_and_complete_on_any_part(session, qtbot):
    summary = summary_tab(session, qtbot)
    panel = summary.veris
    actions = panel.lists["veris_actions"].box
    assert actions.count() == len(veris.choices("action")) and actions.findText("malware/Ransomware") >= 0
    # every value offered is one the operation accepts, as offered
    assert veris.check_actions(veris.choices("action")) == tuple(veris.choices("action"))
    assert veris.check_actors(veris.choices("actor")) == tuple(veris.choices("actor"))
    assert veris.check_assets(veris.choices("asset")) == tuple(veris.choices("asset"))
    assert all(veris.check_discovery(v) == v for v in veris.choices("discovery"))
    completer = actions.finder
    completer.setCompletionPrefix("ransom")  # matches inside the value, case-insensitively
    assert completer.currentCompletion() == "malware/Ransomware"
    assert panel.discovery.itemText(0) == "Not classified" and panel.discovery.findText("internal/Log review") > 0


def test_a_keyboard_pick_is_saved_and_delete_removes_it(session, qtbot):
    summary = summary_tab(session, qtbot)
    panel = summary.veris
    actors = panel.lists["veris_actors"]
    type_and_enter(qtbot, actors.box, "external/organized crime")  # any case: VERIS's spelling is kept
    wait_saved(qtbot, session)
    assert session.reader.case().veris_actors == ("external/Organized crime",)
    qtbot.waitUntil(lambda: actors.values() == ("external/Organized crime",))
    type_and_enter(qtbot, actors.box, "partner")
    wait_saved(qtbot, session)
    assert session.reader.case().veris_actors == ("external/Organized crime", "partner")
    actors.chosen.setFocus()
    actors.chosen.setCurrentRow(0)
    QTest.keyClick(actors.chosen, Qt.Key.Key_Delete)
    wait_saved(qtbot, session)
    assert session.reader.case().veris_actors == ("partner",)
    assert panel.status.text() == "Saved"


def test_a_value_veris_does_not_have_is_refused_in_one_sentence_and_the_case_is_unchanged(session, qtbot):
    summary = summary_tab(session, qtbot)
    panel = summary.veris
    before = session.reader.case()
    type_and_enter(qtbot, panel.lists["veris_assets"].box, "S - Toaster")
    wait_saved(qtbot, session)
    qtbot.waitUntil(lambda: panel.status.text().startswith("Not saved"))
    assert "is not a VERIS 1.4 asset variety" in panel.status.text() and "\n" not in panel.status.text()
    assert session.reader.case() == before
    assert panel.lists["veris_assets"].values() == ()


def test_the_discovery_method_is_chosen_and_cleared(session, qtbot):
    summary = summary_tab(session, qtbot)
    panel = summary.veris
    index = panel.discovery.findText("internal/Log review")
    panel.discovery.setCurrentIndex(index)
    panel.discovery.activated.emit(index)
    wait_saved(qtbot, session)
    assert session.reader.case().veris_discovery == "internal/Log review"
    panel.discovery.setCurrentIndex(0)
    panel.discovery.activated.emit(0)
    wait_saved(qtbot, session)
    assert session.reader.case().veris_discovery == ""


def test_a_change_from_elsewhere_is_shown(session, qtbot):
    summary = summary_tab(session, qtbot)
    panel = summary.veris
    done = ops.edit_case(session.case, veris_actions=["malware/Ransomware"], veris_discovery="external/Customer")
    session.changed.emit(done.changes)
    assert panel.lists["veris_actions"].values() == ("malware/Ransomware",)
    assert panel.discovery.currentText() == "external/Customer"
