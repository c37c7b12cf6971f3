"""The Hand off… and Merge a colleague's copy… dialogs, driven like a user would."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from irdesk.casefile import operations as ops
from irdesk.casefile.handoff import write_handoff_copy
from irdesk.casefile.store import CaseFile
from irdesk.domain.enums import Phase
from irdesk.domain.records import Note
from irdesk.ui.handoff_dialog import show_handoff_dialog
from irdesk.ui.merge_dialog import CONFLICTS, PREVIEW, show_merge_dialog
from irdesk.ui.session import CaseSession
from tests.conftest import PASSPHRASE

THEIRS = "violet-anchor-93-meadow-x"
SHOTS = os.environ.get("IRDESK_SCREENSHOTS")  # a folder: save what the dialogs look like


def shot(widget, name: str) -> None:
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        widget.grab().save(os.path.join(SHOTS, f"{name}.png"))


@pytest.fixture
def session(case_path, qtbot):
    case = CaseFile.create(case_path, PASSPHRASE, title="Harbour Light", actor="Ana")
    ops.add_note(case, Phase.DETECTION, "Ransom note found on FS01")
    s = CaseSession(case)
    yield s
    s.close()


def test_hand_off_shows_the_fingerprint_the_receiver_sees(session, qtbot, tmp_path):
    dialog = show_handoff_dialog(None, session)
    assert dialog.testAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # in the app it frees itself
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)  # here qtbot closes it
    qtbot.addWidget(dialog)
    target = str(tmp_path / "copy.ircase")
    dialog.target.setText(target)
    dialog.passphrase.first.setText("short")
    dialog.passphrase.second.setText("short")
    dialog.make.click()
    assert "too short" in dialog.error.text() and not os.path.exists(target)

    dialog.passphrase.first.setText(THEIRS)
    dialog.passphrase.second.setText(THEIRS)
    shot(dialog, "handoff-ask")
    dialog.make.click()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1, timeout=10_000)
    shot(dialog, "handoff-fingerprint")
    with CaseFile.open(target, THEIRS, writable=False) as received:
        assert dialog.fingerprint.text() == received.fingerprint()
        assert received.notes.count() == 1
    assert dialog.fingerprint.font().pointSize() >= 24  # big enough to read aloud


@pytest.fixture
def colleague_copy(session, tmp_path):
    """A hand-off copy in which the colleague added a note and edited the same note as us."""
    path = str(tmp_path / "copy.ircase")
    session.flush()
    [note] = session.reader.notes.page()
    session.after_writes(lambda case: write_handoff_copy(case, path, THEIRS))
    session.flush()
    with CaseFile.open(path, THEIRS, actor="Ben") as copy:
        ops.add_note(copy, Phase.CONTAINMENT, "Ben: FS02 isolated at the switch")
        ops.edit_note(copy, note.id, body="Ransom note found on FS01 and FS02 (Ben)")
    session.write(lambda case: ops.edit_note(case, note.id, body="Ransom note found on FS01 (Ana)"))
    session.flush()
    return path, note.id


def test_merge_previews_merges_and_settles_the_conflict(
    session, qtbot, colleague_copy, qtmodeltester
):
    path, note_id = colleague_copy
    dialog = show_merge_dialog(None, session)
    assert dialog.testAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # in the app it frees itself
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)  # here qtbot closes it
    qtbot.addWidget(dialog)
    dialog.other_path.setText(path)
    dialog.other_passphrase.setText("wrong-wrong-wrong")
    dialog.next_button.click()
    qtbot.waitUntil(lambda: dialog.error.text() != "", timeout=10_000)
    assert "passphrase" in dialog.error.text() and dialog.pages.currentIndex() == 0

    dialog.other_passphrase.setText(THEIRS)
    shot(dialog, "merge-choose")
    dialog.next_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == PREVIEW, timeout=10_000)
    qtmodeltester.check(dialog.changes)
    assert dialog.changes.rowCount() == 2
    assert "add 1" in dialog.preview_text.text() and "1 conflict" in dialog.preview_text.text()
    assert session.reader.notes.count() == 1  # the preview wrote nothing
    shot(dialog, "merge-preview")

    with qtbot.waitSignal(session.changed, timeout=10_000):
        dialog.next_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == CONFLICTS, timeout=10_000)
    qtmodeltester.check(dialog.conflicts)
    assert dialog.conflicts.rowCount() == 1
    assert "(Ana)" in dialog.detail.text() and "(Ben)" in dialog.detail.text()
    shot(dialog, "merge-conflicts")

    dialog.keep_both.click()
    qtbot.waitUntil(lambda: dialog.conflicts.rowCount() == 0, timeout=10_000)
    session.reader.refresh_head()
    bodies = {n.body for n in session.reader.notes.page()}
    assert {
        "Ransom note found on FS01 (Ana)",
        "Ransom note found on FS01 and FS02 (Ben)",
        "Ben: FS02 isolated at the switch",
    } <= bodies
    assert session.reader.records.find(Note, note_id) is not None
    dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)  # hidden after the merge
    dialog.next_button.click()
    assert dialog.result() == dialog.DialogCode.Accepted
