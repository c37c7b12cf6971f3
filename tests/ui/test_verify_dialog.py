"""File ▸ Verify report…: genuine, intact but untrusted (and trusting it), not genuine; by keyboard."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from irdesk.identity.keys import ephemeral_identity
from irdesk.identity.trust import trusted_fingerprints
from irdesk.report import signing
from irdesk.report.service import build_report, issue_report
from tests.report import fixtures, tampering

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
def reports(filled_case, identity, tmp_path):
    """Ana's report (issued from the case), a colleague's re-sign of it, and an altered copy."""
    built = build_report(filled_case, responder="Ana Responder", identity=identity)
    genuine = tmp_path / "genuine.pdf"
    issue_report(filled_case, built, str(genuine))
    colleague = ephemeral_identity("Bo Colleague")
    claims = signing.verify_pdf(built.pdf).claims
    theirs = tmp_path / "colleague.pdf"
    theirs.write_bytes(signing.sign_pdf(build_report(filled_case, responder="Bo").pdf, colleague, claims))
    altered = tmp_path / "altered.pdf"
    altered.write_bytes(tampering.padding_flipped(built.pdf))
    return {"genuine": genuine, "colleague": theirs, "altered": altered, "bo": colleague}


@pytest.fixture
def dialog(session, qtbot):
    from irdesk.ui.verify_dialog import VerifyDialog

    d = VerifyDialog(session)
    qtbot.addWidget(d)
    d.show()
    d.activateWindow()
    qtbot.waitActive(d)
    return d


def verify_by_keyboard(dialog, qtbot, path) -> None:
    dialog.path.setText(str(path))
    dialog.path.setFocus()
    qtbot.keyClick(dialog.path, Qt.Key.Key_Return)  # the default button: Verify
    qtbot.waitUntil(lambda: not dialog.busy and dialog.outcome is not None, timeout=10_000)


def test_verify_is_the_default_and_typing_starts_in_the_path(dialog):
    assert dialog.verify_button.isDefault()
    assert dialog.focusWidget() is dialog.path
    assert not dialog.trust_button.isVisible()
    assert not dialog.against_case.isChecked()


def test_a_genuine_report_says_so_in_words(dialog, qtbot, reports):
    verify_by_keyboard(dialog, qtbot, reports["genuine"])
    assert dialog.headline.text() == "Genuine"
    assert "Signed by Ana Responder" in dialog.details.text()
    assert "your own identity" in dialog.details.text()
    assert not dialog.trust_button.isVisible()


def test_checked_against_the_open_case(dialog, qtbot, reports):
    qtbot.keyClick(dialog.path, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)  # the mnemonic
    qtbot.waitUntil(dialog.against_case.isChecked)  # a mnemonic clicks after a short animation
    verify_by_keyboard(dialog, qtbot, reports["genuine"])
    assert dialog.headline.text() == "Genuine"
    assert "made from this case" in dialog.details.text()
    verify_by_keyboard(dialog, qtbot, reports["colleague"])  # the case recorded Ana, not Bo
    assert dialog.headline.text().startswith("Not genuine")
    assert "another signer" in dialog.details.text()


def test_an_untrusted_signer_shows_the_fingerprint_and_can_be_trusted(
    dialog, qtbot, reports, monkeypatch
):
    bo = reports["bo"].info.fingerprint
    verify_by_keyboard(dialog, qtbot, reports["colleague"])
    assert dialog.headline.text() == "Intact, but the signer is not one you trust"
    assert "Bo Colleague" in dialog.details.text()
    shown = dialog.fingerprint.text()
    assert shown.count("\n") == 1  # two lines of 16 bytes, to read aloud
    assert shown.replace("\n", ":") == ":".join(bo.upper()[i : i + 2] for i in range(0, 64, 2))
    assert dialog.trust_button.isVisible()

    asked = []

    def answer(reply):
        def question(parent, title, text, buttons, default):
            asked.append((text, default))
            return reply

        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    dialog.trust_button.click()
    assert bo not in trusted_fingerprints()
    assert asked[0][1] == QMessageBox.StandardButton.No  # saying no is the default
    assert dialog.fingerprint.text() in asked[0][0]  # the same fingerprint, asked about

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    dialog.trust_button.click()
    qtbot.waitUntil(lambda: dialog.headline.text() == "Genuine", timeout=10_000)
    assert bo in trusted_fingerprints()
    assert "trusted colleagues" in dialog.details.text()
    assert not dialog.trust_button.isVisible()


def test_an_altered_or_missing_report_is_not_genuine(dialog, qtbot, reports, tmp_path):
    verify_by_keyboard(dialog, qtbot, reports["altered"])
    assert dialog.headline.text() == "Not genuine: do not rely on this file"
    assert "did not write" in dialog.details.text() and dialog.fingerprint.text() == ""
    verify_by_keyboard(dialog, qtbot, tmp_path / "nowhere.pdf")
    assert dialog.headline.text() == "The report could not be checked"
    assert "cannot be read" in dialog.details.text()
    dialog.path.clear()
    assert dialog.headline.text() == ""  # a new path clears the old verdict


def test_choosing_a_file_verifies_it(dialog, qtbot, reports, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    chosen = str(reports["genuine"])
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (chosen, "PDF (*.pdf)"))
    qtbot.keyClick(dialog.path, Qt.Key.Key_H, Qt.KeyboardModifier.AltModifier)  # C&hoose…
    qtbot.waitUntil(lambda: dialog.headline.text() == "Genuine", timeout=10_000)
    assert dialog.path.text() == chosen


def test_escape_closes_it(dialog, qtbot):
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_the_file_menu_opens_it(session, qtbot, reports):
    from irdesk.ui.main_window import MainWindow
    from irdesk.ui.verify_dialog import VerifyDialog

    class Desk:
        def __getattr__(self, name):
            return lambda *a, **k: None

        def idle_minutes(self):
            return 10

    window = MainWindow(session, Desk())
    qtbot.addWidget(window)
    (action,) = [a for a in window.file_menu.actions() if a.text() == "&Verify report…"]
    action.trigger()
    (dialog,) = window.findChildren(VerifyDialog)
    verify_by_keyboard(dialog, qtbot, reports["genuine"])
    assert dialog.headline.text() == "Genuine"
    dialog.close()


def test_a_programme_report_is_checked_on_its_own_while_a_case_is_open(filled_case, identity, tmp_path):
    from irdesk.casefile.book_store import BookFile
    from irdesk.report.programme import Period, build_programme
    from irdesk.ui.verify_dialog import GENUINE, check_report
    from tests.conftest import PASSPHRASE

    with BookFile.create(str(tmp_path / "team.irbook"), PASSPHRASE, title="SOC", actor="Lead") as book:
        built = build_programme(book, responder="Ana", period=Period(None, None), identity=identity)
        issue_report(book, built, str(tmp_path / "programme.pdf"))
    outcome = check_report(str(tmp_path / "programme.pdf"), filled_case)
    assert outcome.verdict == GENUINE and outcome.verified is not None
    assert outcome.verified.claims.kind == "book"
    from irdesk.ui.verify_dialog import describe

    headline, details = describe(outcome)
    assert headline == "Genuine" and "programme report of a readiness book" in details
