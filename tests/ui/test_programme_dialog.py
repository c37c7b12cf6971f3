"""Book ▸ Programme report…: written, signed and recorded from the open book; a bad period or a
book as the output is one sentence and writes nothing (offscreen)."""

from __future__ import annotations

import pytest

from irdesk.casefile.book_store import BookFile
from irdesk.domain.records import ReportIssue
from irdesk.report.service import RECORDED_BY_BOOK, verify_report
from tests.conftest import PASSPHRASE
from tests.report import fixtures

identity = fixtures.identity
identity_home = fixtures.identity_home


@pytest.fixture
def window(tmp_path, qtbot):
    from irdesk.ui.book.session import BookSession
    from irdesk.ui.book.window import BookWindow

    path = str(tmp_path / "team.irbook")
    BookFile.create(path, PASSPHRASE, title="SOC readiness", actor="Lead").close()
    w = BookWindow(BookSession(BookFile.open(path, PASSPHRASE, actor="Lead")))
    qtbot.addWidget(w)
    yield w
    w.close()


def test_the_book_menu_writes_a_signed_programme_report_the_book_recorded(window, qtbot, identity, tmp_path):
    from PySide6.QtCore import Qt

    action = next(a for a in window.menuBar().actions()[0].menu().actions() if "Programme" in a.text())
    action.trigger()
    dialog = window.programme_dialog
    assert dialog is not None and "not encrypted" in dialog.status.text()
    dialog.path.setText(str(tmp_path / "programme"))
    dialog.sign.setChecked(True)
    dialog.passphrase.setText("identity-passphrase-1")
    qtbot.mouseClick(dialog.write_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60_000)
    assert "Saved programme report" in dialog.status.text() and "(signed;" in dialog.status.text()
    pdf = (tmp_path / "programme.pdf").read_bytes()
    reader = window.session.reader
    reader.refresh_head()
    assert RECORDED_BY_BOOK in verify_report(pdf, book=reader).trusted_as
    assert [r.signed for r in reader.records.all(ReportIssue)] == [True]


def test_a_bad_period_or_the_book_as_output_writes_nothing(window, tmp_path):
    from PySide6.QtCore import QDate

    window.programme_report()
    dialog = window.programme_dialog
    dialog.use_start.setChecked(True)
    dialog.use_end.setChecked(True)
    dialog.start.setDate(QDate(2026, 7, 1))
    dialog.end.setDate(QDate(2026, 6, 30))
    dialog.write()
    assert "before it starts" in dialog.status.text() and not dialog.busy
    dialog.use_start.setChecked(False)
    disguised = tmp_path / "disguised.pdf"  # another book under a PDF's name (never reopen the open one)
    BookFile.create(str(tmp_path / "other.irbook"), PASSPHRASE, title="Other", actor="Lead").close()
    kept = (tmp_path / "other.irbook").read_bytes()
    disguised.write_bytes(kept)
    dialog.path.setText(str(disguised))
    dialog.write()
    assert "never writes over one" in dialog.status.text() and not dialog.busy
    assert disguised.read_bytes() == kept
    assert not (tmp_path / "programme.pdf").exists()
