"""A scripted desktop session for the leak test: unlock, type a marker note, copy, lock, quit.

Run as ``python -m tests.end2end.gui_session CASE MARKER`` with IRDESK_PASSPHRASE set and
QT_QPA_PLATFORM=offscreen; prints ``saved`` once the note is on disk and ``done`` at the end.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from irdesk.domain.enums import Phase
from irdesk.keychain import Keychain
from irdesk.ui.app import DeskApp
from irdesk.ui.notes.editor import SaveState
from irdesk.ui.palette import apply_palette
from irdesk.ui.settings import Settings


def main() -> int:
    path, marker = sys.argv[1:3]
    app = QApplication([])
    apply_palette(app)
    desk = DeskApp(app, Settings(), Keychain(), "Leak Tester")
    desk.start(path)
    window = desk.window
    assert window is not None, "the case did not open"
    tab = window.phase_tabs[Phase.DETECTION]
    window.tabs.setCurrentWidget(tab)
    tab.new_note()
    tab.editor.text.insertPlainText(f"Saw {marker} in the proxy log")
    tab.editor.save()
    deadline = [200]

    def poll() -> None:
        deadline[0] -= 1
        if tab.editor.save_state is SaveState.SAVED or deadline[0] <= 0:
            print("saved" if deadline[0] > 0 else "timeout", flush=True)
            desk.copy_secret(window.session.reader.fingerprint())
            desk.lock()  # closes the case and clears every widget
            desk.quit(force=True)
            app.quit()
        else:
            QTimer.singleShot(25, poll)

    QTimer.singleShot(25, poll)
    app.exec()
    print("done", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
