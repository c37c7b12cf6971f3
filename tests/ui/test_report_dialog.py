"""The export dialog: preview pages, save a signed report off the GUI thread, print."""

from __future__ import annotations

import pytest

from irdesk.report.service import verify_report
from tests.report import fixtures

# The report fixtures, shared without a tests/ui/conftest.py of our own.
filled_case = fixtures.filled_case
identity = fixtures.identity
identity_home = fixtures.identity_home


@pytest.fixture
def session(filled_case, qtbot):
    from irdesk.ui.session import CaseSession

    s = CaseSession(filled_case)
    yield s
    s.flush()
    s.reader.close()


@pytest.fixture
def dialog(session, identity, qtbot, monkeypatch):
    from irdesk.ui.report_dialog import ReportDialog

    monkeypatch.setenv("IRDESK_IDENTITY_PASSPHRASE", "identity-passphrase-1")
    d = ReportDialog(session)
    qtbot.addWidget(d)
    qtbot.waitUntil(lambda: d.page_count > 5, timeout=20_000)
    return d


def test_preview_shows_the_pages(dialog):
    assert "Preview of report IR-" in dialog._status.text()


def test_save_signs_off_the_gui_thread_and_records_the_issue(
    dialog, session, tmp_path, monkeypatch, qtbot, filled_case
):
    from PySide6.QtWidgets import QFileDialog

    target = tmp_path / "out.pdf"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF (*.pdf)")
    )
    assert dialog._sign.isChecked()
    dialog._save.click()
    qtbot.waitUntil(lambda: "Saved report" in dialog._status.text(), timeout=20_000)
    session.flush()
    verified = verify_report(target.read_bytes(), case=filled_case)
    assert verified.signer == "Ana Responder"
    assert verified.claims.report_id == dialog._preview.report_id


def test_a_wrong_passphrase_is_one_sentence(dialog, tmp_path, monkeypatch, qtbot):
    from PySide6.QtWidgets import QFileDialog

    target = tmp_path / "out.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    dialog._passphrase.setText("wrong")
    dialog._save.click()
    qtbot.waitUntil(lambda: "passphrase is wrong" in dialog._status.text(), timeout=20_000)
    assert not target.exists()


def test_print_renders_every_page(dialog, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    assert dialog.print_report(printer)
    from irdesk.report.preview import page_count

    assert page_count(out.read_bytes()) == dialog.page_count


def test_cancel_stops_the_build_and_writes_nothing(dialog, session, tmp_path, monkeypatch, qtbot):
    from PySide6.QtWidgets import QFileDialog

    target = tmp_path / "out.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    dialog._cancel.set()  # as if Cancel was clicked before the first page was laid out
    monkeypatch.setattr(dialog._cancel, "clear", lambda: None)
    dialog._save.click()
    qtbot.waitUntil(lambda: "cancelled" in dialog._status.text(), timeout=20_000)
    session.flush()
    assert not target.exists()


def test_show_report_dialog_opens_a_dialog(session, identity, qtbot):
    from irdesk.ui.report_dialog import show_report_dialog

    dialog = show_report_dialog(None, session)
    assert dialog.dispose_when_closed  # in the app it frees itself once closed and idle
    dialog.dispose_when_closed = False  # here qtbot closes it
    qtbot.addWidget(dialog)
    assert dialog.isVisible() and dialog.windowTitle() == "After-action report"
    qtbot.waitUntil(lambda: dialog.page_count > 0, timeout=20_000)
