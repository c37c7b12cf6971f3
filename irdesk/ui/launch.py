"""Starting the desktop app: the QApplication, its icon and colours, one irdesk per case, the
desk, and SIGTERM; ``irdesk gui`` calls ``run_gui``."""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from irdesk.domain.errors import KnownError
from irdesk.keychain import Keychain
from irdesk.resources import resource_path
from irdesk.ui.app import DeskApp
from irdesk.ui.bug_report import install_excepthook
from irdesk.ui.palette import apply_theme
from irdesk.ui.settings import Settings
from irdesk.ui.sigterm import sigterm_quits


def window_icon() -> QIcon:
    """The app's icon at every size it ships (PNGs: no SVG plugin needed in the bundle)."""
    icon = QIcon()
    for size in (16, 24, 32, 48, 64, 128, 256):
        icon.addFile(resource_path("icons", f"irdesk-{size}.png"))
    return icon


def run_gui(path: str | None, author: str | Callable[[], str], book: str | None = None) -> int:
    """Start the desktop app, with the readiness ``book`` beside the case when one is named;
    returns the exit code (0 also after SIGTERM)."""
    if (
        QApplication.instance() is None
    ):  # fractional scaling (150 %) as the desktop asks, not rounded
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "irdesk"])
    assert isinstance(app, QApplication)
    app.setApplicationName("irdesk")
    app.setApplicationDisplayName("irdesk")
    app.setDesktopFileName("irdesk")
    app.setWindowIcon(window_icon())
    app.setQuitOnLastWindowClosed(False)
    settings = Settings()
    apply_theme(app, settings.theme())
    QGuiApplication.styleHints().colorSchemeChanged.connect(lambda _scheme: apply_theme(app, settings.theme()))
    install_excepthook()
    if path and _already_open(path):
        print(f"irdesk: {path} is open in irdesk already; its window was brought to the front.")
        return 0
    desk = DeskApp(app, settings, Keychain(), author)
    try:
        desk.start(path, book)
    except KnownError as exc:  # the case (or book) named on the command line cannot be opened
        print(f"irdesk: {exc.message}", file=sys.stderr)
        return exc.exit_code
    with sigterm_quits(lambda: desk.quit(force=True)):
        code = app.exec()
    desk.quit(force=True)
    return code


def _already_open(path: str) -> bool:
    """Ask a running irdesk holding ``path`` to show it (one instance per case)."""
    try:
        from irdesk.ui.single_instance import ask_running
    except ImportError:
        return False
    return ask_running(path)
