"""The window never shows a record the audit chain does not vouch for.

A record forged with plain sqlcipher3 is left out of every model as it is fetched; the
background pass after the first paint finds it wherever it is. Either way the window says the
case is damaged and turns read-only, the forged text is on no widget, and the case file is
not changed by one byte. A forged case record (shown in the title at once) is refused at open.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QLabel, QLineEdit, QPlainTextEdit, QTextEdit, QWidget

from irdesk.casefile import operations as ops
from irdesk.casefile.errors import TamperedCase
from irdesk.casefile.store import CaseFile
from irdesk.domain.enums import Phase
from tests.casefile.tamper import FORGED, FORGED_KINDS, every_kind, forge
from tests.conftest import PASSPHRASE


def every_text(window: QWidget) -> str:
    """Everything the window shows: widget texts and every cell of every item view."""
    texts = [window.windowTitle()]
    for widget in window.findChildren(QWidget):
        if isinstance(widget, QLabel | QLineEdit):
            texts.append(widget.text())
        elif isinstance(widget, QPlainTextEdit | QTextEdit):
            texts.append(widget.toPlainText())
        elif isinstance(widget, QComboBox):
            texts += [widget.itemText(i) for i in range(widget.count())]
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model, root = widget.model(), QModelIndex()
            try:
                columns = model.columnCount(root)
            except TypeError:  # a list model
                columns = 1
            for row in range(model.rowCount(root)):
                for column in range(columns):
                    texts.append(str(model.data(model.index(row, column), Qt.ItemDataRole.DisplayRole)))
    return "\n".join(texts)


@pytest.mark.parametrize("kind", FORGED_KINDS)
def test_the_window_shows_no_forged_record_and_turns_read_only(kind, desk, qtbot, tmp_path, monkeypatch):
    path = str(tmp_path / "case.ircase")
    ids = every_kind(path, PASSPHRASE)
    with CaseFile.open(path, PASSPHRASE, writable=False) as case:
        raw = case.raw_key()
    forge(path, raw, kind, ids[kind])
    before = Path(path).read_bytes()
    monkeypatch.setenv("IRDESK_PASSPHRASE", PASSPHRASE)
    if kind == "case":
        with pytest.raises(TamperedCase, match=ids["case"]):
            desk.start(path)
        assert desk.window is None
    else:
        desk.start(path)
        window, session = desk.window, desk.session
        assert window is not None and session is not None
        qtbot.waitUntil(lambda: bool(session.damage), timeout=15000)
        assert window.damage.isVisible() and ids[kind] in window.damage.text()
        for tab in range(window.tabs.count()):
            window.tabs.setCurrentIndex(tab)
            assert FORGED not in every_text(window)
        failures: list[str] = []
        session.write(lambda c: ops.add_note(c, Phase.DETECTION, "after the damage"), on_error=failures.append)
        qtbot.waitUntil(lambda: bool(failures), timeout=5000)
        assert "read-only" in failures[0]
        assert window.phase_tabs[Phase.DETECTION].editor.text.isReadOnly()
        desk.close_case()
    assert Path(path).read_bytes() == before


def test_a_genuine_case_opens_without_a_damage_notice(desk, qtbot, tmp_path, monkeypatch):
    path = str(tmp_path / "case.ircase")
    every_kind(path, PASSPHRASE)
    monkeypatch.setenv("IRDESK_PASSPHRASE", PASSPHRASE)
    desk.start(path)
    done: list[bool] = []
    desk.session.verify_in_background(lambda: done.append(True))
    qtbot.waitUntil(lambda: bool(done), timeout=15000)
    assert not desk.session.damage and not desk.window.damage.isVisible()


def test_the_window_rebuilds_a_search_index_that_disagrees_after_the_first_paint(desk, qtbot, tmp_path,
                                                                                 monkeypatch):
    from tests.casefile.test_splices import root_pages, splice

    path = str(tmp_path / "case.ircase")
    with CaseFile.create(path, PASSPHRASE, title="Index", actor="Ana") as case:
        ops.add_note(case, Phase.DETECTION, "first")
        raw = case.raw_key()
    older = Path(path).read_bytes()
    with CaseFile.open(path, PASSPHRASE, actor="Ana") as case:
        ops.add_note(case, Phase.DETECTION, "the quokka was seen")
    splice(path, older, root_pages(path, raw, "notes_fts_data", "notes_fts_idx", "notes_fts_docsize"))
    monkeypatch.setenv("IRDESK_PASSPHRASE", PASSPHRASE)
    desk.start(path)
    session = desk.session
    assert session.reader.notes.search("quokka") == []  # the window opened without waiting for it
    qtbot.waitUntil(lambda: bool(session.reader.notes.search("quokka")), timeout=15000)
    assert not session.damage
    assert list(session.case.chain.entries())[-1].action == "reindex"
