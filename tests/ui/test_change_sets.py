"""Views refresh from the change sets: what a merge or an import brings shows at once.

In the running app (a ``DeskApp`` with its window), a colleague's copy is merged, and
separately a JSON export is imported, through their dialogs; the new notes, evidence and
contacts appear in their tabs without reopening the case.
"""

from __future__ import annotations

from irdesk.casefile import operations as ops
from irdesk.casefile.handoff import write_handoff_copy
from irdesk.casefile.store import CaseFile
from irdesk.domain.enums import Phase
from irdesk.interop.exporting import export_case
from tests.conftest import PASSPHRASE
from tests.ui.conftest import wait_saved

COLLEAGUE = "violet-anchor-93-meadow-x"


def _open(desk, closed_case, monkeypatch):
    monkeypatch.setenv("IRDESK_PASSPHRASE", PASSPHRASE)
    desk.start(closed_case)
    return desk.window


def _shown_notes(window, phase: Phase) -> list[str]:
    model = window.phase_tabs[phase].model
    return [model.note_at(row).body for row in range(model.rowCount())]


def _colleague_adds(path: str, passphrase: str, tag: str) -> None:
    with CaseFile.open(path, passphrase, actor="Ben") as copy:
        ops.add_note(copy, Phase.CONTAINMENT, f"{tag}: FS02 isolated at the switch")
        ops.add_note(copy, Phase.DETECTION, f"{tag}: beacon to 203.0.113.9 every 60 s")
        ops.add_evidence(copy, f"{tag}: FS02 memory image")
        ops.add_contact(copy, f"{tag}: Priya Raman")


def _assert_shown(window, tag: str) -> None:
    assert f"{tag}: FS02 isolated at the switch" in _shown_notes(window, Phase.CONTAINMENT)
    assert f"{tag}: beacon to 203.0.113.9 every 60 s" in _shown_notes(window, Phase.DETECTION)
    labels = [e.label for e in window.evidence.model.records()]
    names = [c.name for c in window.contacts.model.records()]
    assert f"{tag}: FS02 memory image" in labels and f"{tag}: Priya Raman" in names


def test_a_merge_in_the_running_app_shows_its_records_at_once(desk, closed_case, qtbot, monkeypatch, tmp_path):
    from irdesk.ui.merge_dialog import CONFLICTS, PREVIEW, MergeDialog

    window = _open(desk, closed_case, monkeypatch)
    copy_path = str(tmp_path / "copy.ircase")
    write_handoff_copy(desk.session.case, copy_path, COLLEAGUE)
    _colleague_adds(copy_path, COLLEAGUE, "Ben")
    assert _shown_notes(window, Phase.CONTAINMENT) == []

    dialog = MergeDialog(desk.session, window)
    dialog.other_path.setText(copy_path)
    dialog.other_passphrase.setText(COLLEAGUE)
    dialog.next_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == PREVIEW, timeout=10_000)
    dialog.next_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == CONFLICTS, timeout=10_000)
    _assert_shown(window, "Ben")


def test_an_import_in_the_running_app_shows_its_records_at_once(desk, closed_case, qtbot, monkeypatch, tmp_path):
    from irdesk.ui.interop_dialogs import ImportDialog

    window = _open(desk, closed_case, monkeypatch)
    copy_path = str(tmp_path / "copy.ircase")
    write_handoff_copy(desk.session.case, copy_path, COLLEAGUE)
    _colleague_adds(copy_path, COLLEAGUE, "Export")
    export = str(tmp_path / "copy.json")
    with CaseFile.open(copy_path, COLLEAGUE, writable=False) as copy:
        export_case(copy, "json", export)

    dialog = ImportDialog(window, desk.session)
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("json"))
    dialog.path_edit.setText(export)
    dialog.read_file()
    qtbot.waitUntil(lambda: dialog.parsed is not None, timeout=10_000)
    dialog.action_button.click()
    wait_saved(qtbot, desk.session)
    qtbot.waitUntil(lambda: "added" in dialog.status.text(), timeout=5000)
    _assert_shown(window, "Export")
