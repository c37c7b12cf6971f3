"""Run under a real X server (1024×600): open the case, then the report dialog, and print what
does not fit. Prints ``fits`` when the main window's and the report dialog's frames lie within
the screen's available area and every one of their visible buttons lies within its window.

    python -m tests.end2end.fit_session CASE   (IRDESK_PASSPHRASE set, DISPLAY an X server)
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QPoint, QRect, QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from irdesk.keychain import Keychain
from irdesk.ui.app import DeskApp
from irdesk.ui.palette import apply_palette
from irdesk.ui.report_dialog import show_report_dialog
from irdesk.ui.settings import Settings


def problems(window: QWidget, name: str) -> list[str]:
    found = []
    area = window.screen().availableGeometry()
    if not area.contains(window.frameGeometry()):
        found.append(f"{name}: frame {window.frameGeometry()} is not within the screen {area}")
    inside = window.rect()
    for button in window.findChildren(QAbstractButton):
        if not button.isVisibleTo(window) or button.window() is not window:
            continue
        rect = QRect(button.mapTo(window, QPoint(0, 0)), button.size())
        if not inside.contains(rect):
            found.append(f"{name}: button {button.text()!r} at {rect} is outside {inside}")
    return found


def main() -> int:
    app = QApplication([sys.argv[0]])
    apply_palette(app)
    desk = DeskApp(app, Settings(), Keychain(), "Fit Tester")
    desk.start(sys.argv[1])
    window = desk.window
    assert window is not None, "the case did not open"
    found: list[str] = []

    def check_window() -> None:
        found.extend(problems(window, "main window"))
        dialog = show_report_dialog(window, window.session)
        QTimer.singleShot(1500, lambda: check_report(dialog))

    def check_report(dialog: QWidget) -> None:
        found.extend(problems(dialog, "report dialog"))
        print("\n".join(found) if found else "fits", flush=True)
        desk.quit(force=True)
        app.quit()

    QTimer.singleShot(1000, check_window)
    app.exec()
    return 0


if __name__ == "__main__":
    sys.exit(main())
