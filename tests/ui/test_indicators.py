"""The indicators table: add, edit and delete through the operations, values checked per kind
as the CLI checks them, the jump to the note one came from, and extraction after a preview."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from irdesk.casefile import operations as ops
from irdesk.domain.enums import IndicatorKind, Phase
from irdesk.domain.records import Indicator
from tests.ui.conftest import wait_saved


@pytest.fixture
def panel(session, qtbot):
    from irdesk.ui.indicators.panel import IndicatorsPanel

    p = IndicatorsPanel(session)
    qtbot.addWidget(p)
    p.show()
    return p


def _focus(qtbot, window, widget) -> None:
    qtbot.waitExposed(window)
    window.activateWindow()
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)


def _ok(dialog):
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def test_the_model_passes_the_model_tester(panel, session, qtmodeltester):
    ops.add_indicator(session.case, IndicatorKind.DOMAIN, "Evil.Example.")
    panel.reload()
    qtmodeltester.check(panel.model)
    assert panel.model.rowCount() == 1 and not panel.empty.isVisibleTo(panel)


def test_add_checks_the_value_per_kind_and_saves_it_normalised(panel, session, qtbot):
    dialog = panel.add_indicator()
    dialog.kind.setCurrentIndex(dialog.kind.findData(IndicatorKind.IPV4))
    qtbot.keyClicks(dialog.value, "10.0.0.300")
    assert not _ok(dialog).isEnabled() and "is not an ipv4 address" in dialog.problem.text()
    dialog.value.setText("10.0.0.30")
    assert _ok(dialog).isEnabled() and dialog.problem.text() == ""
    dialog.kind.setCurrentIndex(dialog.kind.findData(IndicatorKind.SHA256))
    assert not _ok(dialog).isEnabled() and "64 hexadecimal digits" in dialog.problem.text()
    dialog.kind.setCurrentIndex(dialog.kind.findData(IndicatorKind.DOMAIN))
    dialog.value.setText("C2.Evil.Example")
    dialog.description.setText("beacon")
    _ok(dialog).click()
    wait_saved(qtbot, session)
    [item] = session.reader.records.all(Indicator)
    assert (item.kind, item.value, item.description) == (IndicatorKind.DOMAIN, "c2.evil.example", "beacon")
    assert panel.selected().id == item.id


def test_edit_and_delete(panel, session, qtbot, monkeypatch):
    item = ops.add_indicator(session.case, IndicatorKind.IPV4, "10.0.0.9").value
    panel.reload()
    panel.select(item.id)
    dialog = panel.edit_selected()
    assert dialog.value.text() == "10.0.0.9"
    dialog.value.setText("10.0.0.10")
    _ok(dialog).click()
    wait_saved(qtbot, session)
    assert session.reader.records.get(Indicator, item.id).value == "10.0.0.10"
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    panel.select(item.id)
    _focus(qtbot, panel, panel.table)
    qtbot.keyClick(panel.table, Qt.Key.Key_Delete)
    wait_saved(qtbot, session)
    assert session.reader.records.get(Indicator, item.id).deleted
    assert panel.model.rowCount() == 0


def test_the_operation_refuses_a_bad_value_and_the_panel_says_so(panel, session, qtbot, monkeypatch):
    item = ops.add_indicator(session.case, IndicatorKind.MD5, "d41d8cd98f00b204e9800998ecf8427e").value
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: said.append(text))
    session.write(lambda c: ops.edit_indicator(c, item.id, value="xyz"), on_error=panel._refused)
    wait_saved(qtbot, session)
    assert said == ["A md5 hash is 32 hexadecimal digits."]


def test_extract_previews_and_adds_only_the_ticked(main_window, session, qtbot):
    note = ops.add_note(session.case, Phase.DETECTION,
                        "Beacon from 10.20.4.17 to https://c2.evil.example/x and 10.20.4.18").value
    ops.add_indicator(session.case, IndicatorKind.IPV4, "10.20.4.18")  # known already: not offered
    panel = main_window.indicators
    panel.reload()
    panel.extract_button.click()
    qtbot.waitUntil(lambda: getattr(panel, "extract_dialog", None) is not None)
    dialog = panel.extract_dialog
    assert dialog.list.topLevelItemCount() == 2
    assert [dialog.list.topLevelItem(r).text(1) for r in range(2)] == ["https://c2.evil.example/x", "10.20.4.17"]
    assert not session.reader.records.all(Indicator)[1:]  # nothing added by looking
    dialog.list.topLevelItem(0).setCheckState(0, Qt.CheckState.Unchecked)
    assert dialog.add_button.text() == "&Add 1"
    dialog.add_button.click()
    wait_saved(qtbot, session)
    values = {i.value: i for i in session.reader.records.all(Indicator)}
    assert set(values) == {"10.20.4.17", "10.20.4.18"}
    found = values["10.20.4.17"]
    assert found.source_note_id == note.id and found.first_seen == note.occurred
    # Enter on the row jumps to the note it came from
    main_window.show_tab(1)
    tab = main_window.phase_tabs[Phase.DETECTION]
    tab.sections.setCurrentWidget(panel)
    panel.select(found.id)
    assert panel.model.record_at(panel.model.row_of(found.id)) == found
    assert panel.note_button.isEnabled()
    _focus(qtbot, main_window, panel.table)
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert tab.sections.currentIndex() == 0 and tab.editor.note_id == note.id


def test_keyboard_only(main_window, session, qtbot):
    """Ctrl+2, Ctrl+Tab to Indicators, Alt+A, type, Enter: recorded, without the mouse."""
    from PySide6.QtWidgets import QApplication

    from irdesk.ui.indicators.dialogs import IndicatorDialog

    w = main_window
    _focus(qtbot, w, w.phase_tabs[Phase.DETECTION].editor.text)
    qtbot.keyClick(w, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is w.indicators.table
    qtbot.keyClick(w.indicators.table, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: w.indicators.findChild(IndicatorDialog) is not None)  # a mnemonic clicks after 100 ms
    dialog = w.indicators.findChild(IndicatorDialog)
    assert dialog.isVisible()
    qtbot.waitUntil(dialog.value.hasFocus)
    qtbot.keyClicks(dialog.value, "10.9.8.7")
    qtbot.keyClick(dialog.value, Qt.Key.Key_Return)
    wait_saved(qtbot, session)
    assert [i.value for i in session.reader.records.all(Indicator)] == ["10.9.8.7"]
    qtbot.waitUntil(lambda: w.indicators.selected() is not None)


def test_the_note_column_follows_its_note_and_nothing_else(panel, session, qtbot):
    note = ops.add_note(session.case, Phase.DETECTION, "Beacon to 10.1.1.1").value
    other = ops.add_note(session.case, Phase.DETECTION, "Unrelated").value
    ops.add_indicator(session.case, IndicatorKind.IPV4, "10.1.1.1", source_note_id=note.id)
    panel.reload()
    resets = []
    panel.model.modelReset.connect(lambda: resets.append(True))
    session.write(lambda c: ops.edit_note(c, other.id, body="Unrelated, typed on"))
    wait_saved(qtbot, session)
    assert not resets  # typing in another note does not reload the table
    session.write(lambda c: ops.edit_note(c, note.id, body="Beacon seen at 10.1.1.1 again"))
    wait_saved(qtbot, session)
    assert resets and panel.model.index(0, 3).data() == "Beacon seen at 10.1.1.1 again"


def test_an_indicator_added_by_hand_can_come_from_the_note_being_read(main_window, session, qtbot):
    note = ops.add_note(session.case, Phase.DETECTION, "Jump host 10.20.4.17 logged on to FS01").value
    tab = main_window.phase_tabs[Phase.DETECTION]
    tab.model.reload()
    tab.show_note(note)
    dialog = main_window.indicators.add_indicator()
    assert dialog.from_note.isVisibleTo(dialog) and dialog.from_note.isChecked()
    assert "Jump host 10.20.4.17" in dialog.from_note.text()
    dialog.value.setText("10.20.4.17")
    _ok(dialog).click()
    wait_saved(qtbot, session)
    [item] = session.reader.records.all(Indicator)
    assert item.source_note_id == note.id and item.first_seen == note.occurred
    dialog = main_window.indicators.add_indicator()
    dialog.from_note.setChecked(False)  # unticked: not linked
    dialog.value.setText("10.20.4.18")
    _ok(dialog).click()
    wait_saved(qtbot, session)
    assert {i.value: i.source_note_id for i in session.reader.records.all(Indicator)}["10.20.4.18"] is None


def test_attack_techniques_are_checked_and_saved(panel, session, qtbot):
    dialog = panel.add_indicator()
    dialog.kind.setCurrentIndex(dialog.kind.findData(IndicatorKind.DOMAIN))
    dialog.value.setText("c2.evil.example")
    dialog.attack.setText("T9999")
    assert not _ok(dialog).isEnabled() and "T9999 is not a technique" in dialog.problem.text()
    dialog.attack.setText("t1071.001, T1486")
    assert _ok(dialog).isEnabled()
    _ok(dialog).click()
    wait_saved(qtbot, session)
    [item] = session.reader.records.all(Indicator)
    assert item.attack == ("T1071.001", "T1486")
    assert panel.model.index(0, 4).data() == "T1071.001, T1486"
    dialog = panel.edit_selected()
    assert dialog.attack.text() == "T1071.001, T1486"


def test_the_attack_field_completes_techniques_by_name(qtbot):
    from irdesk.ui.indicators.dialogs import IndicatorDialog

    dialog = IndicatorDialog()
    qtbot.addWidget(dialog)
    dialog.attack.setText("T1071.001, encrypted for")
    completer = dialog.attack.completer()
    completer.setCompletionPrefix(completer.splitPath(dialog.attack.text())[0])
    assert completer.completionCount() == 1 and completer.setCurrentRow(0)
    dialog.attack.setText(completer.pathFromIndex(completer.currentIndex()))
    assert dialog.techniques() == ["T1071.001", "T1486"]
