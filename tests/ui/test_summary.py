"""The post-incident summary saves itself like a note: during continuous typing too, before
locking, and only the fields that were typed into (a merge's text in another field stays)."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from irdesk.casefile import operations as ops
from tests.conftest import PASSPHRASE
from tests.ui.conftest import wait_saved


def test_continuous_typing_in_the_summary_is_saved_within_a_second(session, qtbot):
    from irdesk.ui.post_incident.summary import SummaryPanel

    panel = SummaryPanel(session)
    qtbot.addWidget(panel)
    panel.show()
    edit = panel.edits["cause"]
    edit.setFocus()
    text = "A reused MSP password on the backup service account, no MFA on the jump host"
    started = time.monotonic()
    for char in text:  # 25 characters a second, never a pause long enough for the debounce
        QTest.keyClick(edit, char)
        qtbot.wait(40)
    typed_for = time.monotonic() - started
    assert typed_for > 1.5
    on_disk = session.reader.case().cause  # saved while the typing went on, not only after it
    assert on_disk and text.startswith(on_disk) and len(on_disk) >= len(text) - 30
    qtbot.waitUntil(lambda: session.reader.case().cause == text, timeout=3000)


def test_only_the_field_typed_into_is_saved(session, qtbot):
    from irdesk.ui.post_incident.summary import SummaryPanel

    panel = SummaryPanel(session)
    qtbot.addWidget(panel)
    panel.edits["effects"].setFocus()
    qtbot.keyClicks(panel.edits["effects"], "Two file servers encrypted")
    ops.edit_case(session.case, worked="The offline backup was intact")  # a merge lands meanwhile
    panel.save()
    wait_saved(qtbot, session)
    case = session.reader.case()
    assert case.effects == "Two file servers encrypted" and case.worked == "The offline backup was intact"


def test_the_summary_is_saved_before_locking(desk, closed_case, qtbot, monkeypatch):
    monkeypatch.setenv("IRDESK_PASSPHRASE", PASSPHRASE)
    desk.start(closed_case)
    window = desk.window
    edit = window.summary.edits["failed"]
    edit.setPlainText("Nobody could reach the hypervisor")  # no pause, no timer fired yet
    QTest.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: desk.window is None and desk.unlock_dialog is not None, timeout=5000)
    from irdesk.casefile.store import CaseFile

    with CaseFile.open(closed_case, PASSPHRASE, actor="t", writable=False) as case:
        assert case.case().failed == "Nobody could reach the hypervisor"
