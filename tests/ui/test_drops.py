"""Drag-and-drop with real QMimeData carrying file URLs: onto Evidence (hashed, embedded when
small), onto a note (attached and named in it), and a colleague's .ircase onto the window
(the merge dialog, already pointing at it)."""

from __future__ import annotations

import hashlib
import os

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from irdesk.casefile.handoff import write_handoff_copy
from irdesk.domain.enums import EvidenceStatus, Phase
from irdesk.domain.records import Attachment, Evidence, Note
from tests.ui.conftest import wait_saved

COLLEAGUE = "violet-anchor-93-meadow-x"


def _mime(*paths: str) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(p) for p in paths])
    return mime


def _drag(widget, mime: QMimeData, at: QPoint | None = None) -> bool:
    """Drag ``mime`` over ``widget``; True when something (it or a parent) accepts it."""
    point = at or QPoint(widget.width() // 2, widget.height() // 2)
    enter = QDragEnterEvent(point, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    return enter.isAccepted()


def _drop(widget, mime: QMimeData, at: QPoint | None = None) -> bool:
    point = QPointF(at or QPoint(widget.width() // 2, widget.height() // 2))
    drop = QDropEvent(point, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, drop)
    return drop.isAccepted()


def _bytes(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


@pytest.fixture
def files(tmp_path):
    small = tmp_path / "phish.eml"
    small.write_bytes(b"From: ceo@evil.example\r\n\r\nPay now\r\n")
    other = tmp_path / "proxy.log"
    other.write_bytes(os.urandom(70_000))
    return str(small), str(other)


def test_files_dropped_onto_evidence_are_hashed_and_added(main_window, session, qtbot, files):
    small, other = files
    panel = main_window.evidence
    main_window.show_tab(main_window.tabs.indexOf(panel))
    mime = _mime(small, other)
    assert _drag(panel.table.viewport(), mime)  # over the table: the panel takes it
    assert _drop(panel.table.viewport(), mime)
    qtbot.waitUntil(lambda: len(session.reader.records.all(Evidence)) == 2, timeout=10000)
    wait_saved(qtbot, session)
    items = {e.label: e for e in session.reader.records.all(Evidence)}
    for path in files:
        item = items[os.path.basename(path)]
        assert item.sha256 == hashlib.sha256(_bytes(path)).hexdigest()
        assert item.status is EvidenceStatus.COLLECTED and item.path == os.path.abspath(path)
        assert item.attachment_id  # small: embedded, as `evidence add --file --embed`
    assert session.reader.records.attachment_content(items["phish.eml"].attachment_id) == _bytes(small)


def test_cancel_stops_a_whole_drop(main_window, session, qtbot, files, monkeypatch):
    from irdesk.ui.evidence import hashing

    panel = main_window.evidence
    started = []
    real = hashing.HashDialog

    class Cancelled(real):
        def __init__(self, path, parent=None):
            super().__init__(path, parent)
            started.append(path)
            self.cancel()

    monkeypatch.setattr("irdesk.ui.evidence.panel.HashDialog", Cancelled)
    panel.add_files(list(files))
    qtbot.waitUntil(lambda: not panel._dropped, timeout=5000)
    wait_saved(qtbot, session)
    assert started == [files[0]]  # the second was never hashed
    assert not session.reader.records.all(Evidence)


def test_a_folder_or_case_file_is_not_evidence(main_window, session, qtbot, tmp_path):
    panel = main_window.evidence
    folder = tmp_path / "logs"
    folder.mkdir()
    panel.add_files([str(folder)])
    assert not panel._dropped
    assert "Folders are not added" in main_window.statusBar().currentMessage()


def test_a_file_dropped_onto_a_note_is_attached(main_window, session, qtbot, files):
    small, _ = files
    tab = main_window.phase_tabs[Phase.DETECTION]
    main_window.show_tab(1)
    qtbot.keyClicks(tab.editor.text, "Phishing mail as received:")
    viewport = tab.editor.text.viewport()
    mime = _mime(small)
    assert _drag(viewport, mime)
    assert _drop(viewport, mime, QPoint(viewport.width() - 5, viewport.height() - 5))  # after the text
    qtbot.waitUntil(lambda: "[Attached: phish.eml" in tab.editor.text.toPlainText(), timeout=5000)
    tab.editor.save()
    wait_saved(qtbot, session)
    [attachment] = session.reader.records.all(Attachment)
    assert attachment.name == "phish.eml" and attachment.media_type == "message/rfc822"
    assert session.reader.records.attachment_content(attachment.id) == _bytes(small)
    [note] = session.reader.records.all(Note)
    assert note.body.startswith("Phishing mail as received:\n[Attached: phish.eml · 35 bytes · SHA-256 ")
    assert f"id {attachment.id}]" in note.body


def test_a_file_too_big_for_a_note_is_sent_to_evidence(main_window, session, qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr("irdesk.ui.notes.attaching.ATTACHMENT_LIMIT", 10)
    big = tmp_path / "memory.raw"
    big.write_bytes(b"x" * 11)
    tab = main_window.phase_tabs[Phase.DETECTION]
    tab.editor.drops.attach([str(big)])
    assert "Drop it onto Evidence" in main_window.statusBar().currentMessage()
    assert not session.reader.records.all(Attachment)


def test_a_case_file_dropped_onto_the_window_offers_to_merge_it(main_window, session, qtbot, tmp_path):
    copy = str(tmp_path / "from-dana.ircase")
    write_handoff_copy(session.case, copy, COLLEAGUE)
    tab = main_window.phase_tabs[Phase.DETECTION]
    main_window.show_tab(1)
    viewport = tab.editor.text.viewport()  # onto a note's text: not attached, the window offers a merge
    mime = _mime(copy)
    assert _drag(viewport, mime)
    assert _drop(viewport, mime)  # delivered to the window, which took the drag
    dialog = main_window.merge_dialog
    assert dialog.isVisible() and dialog.other_path.text() == copy
    assert not session.reader.records.all(Attachment)
    dialog.reject()
    mime = _mime(session.path)
    assert _drag(main_window, mime)
    assert _drop(main_window, mime)  # this very case: said, not offered
    assert "That is this case itself" in main_window.statusBar().currentMessage()


def test_the_attached_file_is_saved_back_from_the_note(main_window, session, qtbot, files, tmp_path):
    from irdesk.ui.notes.attaching import referenced_id

    small, _ = files
    tab = main_window.phase_tabs[Phase.DETECTION]
    tab.editor.drops.attach([small])
    qtbot.waitUntil(lambda: "[Attached:" in tab.editor.text.toPlainText(), timeout=5000)
    line = tab.editor.text.toPlainText().splitlines()[0]
    [attachment] = session.reader.records.all(Attachment)
    assert referenced_id(line) == attachment.id and referenced_id("no file here") == ""
    folder = tmp_path / "out"
    folder.mkdir()
    tab.editor.drops.save(attachment.id, str(folder))
    qtbot.waitUntil(lambda: (folder / "phish.eml").exists(), timeout=5000)
    assert _bytes(str(folder / "phish.eml")) == _bytes(small)
