"""Fixtures for widget tests: an open session, a fake clock, an isolated settings file."""

from __future__ import annotations

import pytest

from tests.conftest import PASSPHRASE


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class NoKeychainBackend:
    """Looks like keyring's fail backend: nothing can be stored."""

    __module__ = "keyring.backends.fail"
    priority = 0


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings(tmp_path):
    from irdesk.ui.settings import Settings

    return Settings(str(tmp_path / "config" / "irdesk.ini"))


@pytest.fixture
def session(case, qtbot):
    from irdesk.ui.session import CaseSession

    s = CaseSession(case)
    yield s
    s.close()


@pytest.fixture
def closed_case(case_path):
    """A case file on disk, not open, with the test passphrase."""
    from irdesk.casefile.store import CaseFile

    CaseFile.create(
        case_path, PASSPHRASE, title="Phishing at the front desk", actor="Test Responder"
    ).close()
    return case_path


@pytest.fixture
def desk(qapp, qtbot, settings, clock, monkeypatch):
    from irdesk.keychain import Keychain
    from irdesk.ui.app import DeskApp
    from irdesk.ui.clipboard import SecretClipboard
    from irdesk.ui.idle_lock import IdleLock

    monkeypatch.delenv("IRDESK_PASSPHRASE", raising=False)
    qapp.setQuitOnLastWindowClosed(False)
    quits: list[bool] = []
    monkeypatch.setattr(qapp, "quit", lambda: quits.append(True))
    d = DeskApp(
        qapp,
        settings,
        Keychain(NoKeychainBackend()),
        "Test Responder",
        clipboard=SecretClipboard(clock),
        idle=IdleLock(10, clock),
    )
    d.quits = quits
    yield d
    d.dispose()
    if d.unlock_dialog is not None:
        d.unlock_dialog.reject()
    if d.welcome is not None:
        d.welcome.close()


def wait_saved(qtbot, session) -> None:
    qtbot.waitUntil(lambda: session.pending == 0, timeout=5000)


@pytest.fixture(autouse=True)
def screen_fit(qapp):
    """As in the app: every window and dialog that is shown fits the screen."""
    from irdesk.ui.screen_fit import ScreenFit

    fit = ScreenFit()
    qapp.installEventFilter(fit)
    yield fit
    qapp.removeEventFilter(fit)


@pytest.fixture(autouse=True)
def message_boxes(monkeypatch):
    """A modal box would wait for a click that never comes: record its text instead.

    ``question`` answers with its default button, as pressing Enter would.
    """
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []

    def tell(_parent, _title, text, *_args, **_kwargs):
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    def ask(_parent, _title, text, buttons=None, default=QMessageBox.StandardButton.NoButton, *_a, **_k):
        shown.append(text)
        return default

    for name in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(tell))
    monkeypatch.setattr(QMessageBox, "question", staticmethod(ask))
    return shown


class FakeDesk:
    """What a window asks of the app, doing nothing (widget tests without a DeskApp)."""

    def __getattr__(self, name):
        return lambda *a, **k: None

    def idle_minutes(self):
        return 10

    def responder(self):
        return "Test Responder"


@pytest.fixture
def main_window(session, qtbot):
    from irdesk.ui.main_window import MainWindow

    w = MainWindow(session, FakeDesk())
    qtbot.addWidget(w)
    w.show()
    return w
