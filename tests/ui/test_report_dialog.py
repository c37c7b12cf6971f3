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


def test_the_preview_fits_the_width_and_zooms(dialog, qtbot):
    from PySide6.QtCore import Qt

    dialog.show()
    dialog.resize(700, 560)
    qtbot.wait(200)
    page = dialog._pages_layout.itemAt(0).widget()
    width = lambda: page.pixmap().deviceIndependentSize().width()  # noqa: E731
    assert abs(width() - dialog.fit_width()) <= 2  # as wide as the preview, not a fixed 56 dpi
    qtbot.keyClick(dialog, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert width() > dialog.fit_width() * 1.2 and dialog._zoom_label.text() == "125 %"
    qtbot.keyClick(dialog, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(dialog, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert width() < dialog.fit_width()
    qtbot.keyClick(dialog, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert abs(width() - dialog.fit_width()) <= 2
    dialog.resize(900, 560)  # a wider dialog: the pages follow
    qtbot.waitUntil(lambda: abs(width() - dialog.fit_width()) <= 2, timeout=3000)


def test_an_identity_created_after_the_app_started_signs_and_names_the_responder(
        session, identity_home, qtbot, tmp_path, monkeypatch, filled_case):
    from PySide6.QtWidgets import QFileDialog

    from irdesk.identity.keys import create_identity
    from irdesk.identity.store import configured_name
    from irdesk.ui.report_dialog import ReportDialog

    monkeypatch.delenv("IRDESK_AUTHOR", raising=False)
    d = ReportDialog(session, responder=lambda: configured_name() or "root")  # as the desk asks
    qtbot.addWidget(d)
    qtbot.waitUntil(lambda: d.page_count > 0, timeout=20_000)
    assert not d._sign.isEnabled() and "No signing identity" in d._who.text()
    create_identity("Dana Responder", "identity-passphrase-1")  # `irdesk identity new`, meanwhile
    d.show()  # shown again (or Save pressed): the identity is read now
    assert d._sign.isEnabled() and d._sign.isChecked() and "Dana Responder" in d._who.text()
    target = tmp_path / "out.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    d._passphrase.setText("identity-passphrase-1")
    d._save.click()
    qtbot.waitUntil(lambda: "Saved report" in d._status.text(), timeout=20_000)
    session.flush()
    assert d._saved.content.responder == "Dana Responder"
    assert verify_report(target.read_bytes(), case=filled_case).signer == "Dana Responder"
