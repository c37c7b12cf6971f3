"""When irdesk itself fails: one sentence, and the traceback behind a Details button.

Nothing is written to disk (a traceback can quote note text); ``IRDESK_DEBUG=1`` also
prints it on stderr. ``install_excepthook`` routes every uncaught exception on the GUI
thread here, and ``JobRunner`` sends the bugs of background work.
"""

from __future__ import annotations

import os
import sys
import traceback
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

from irdesk.domain.errors import KnownError

TITLE = "irdesk hit a bug"
_open: list[QMessageBox] = []  # the boxes on screen (non-modal; kept until closed)


def show_bug(message: str, details: str, *, known: bool = False) -> QMessageBox | None:
    """Show the bug; returns the box (None without a QApplication, e.g. after quitting).

    ``known``: not a bug but a failure nobody caught (a damaged case): its sentence only.
    """
    if os.environ.get("IRDESK_DEBUG"):
        print(f"irdesk: {message}\n{details}", file=sys.stderr)
    if QApplication.instance() is None:
        return None
    if known:
        box = QMessageBox(QMessageBox.Icon.Warning, "irdesk", message)
    else:
        box = QMessageBox(QMessageBox.Icon.Critical, TITLE,
                          f"{message}\n\nWhat you saved is safe. If it happens again, please report it "
                          "with the details below (they may quote case text: check before you share them).")
        box.setDetailedText(details)
    box.setModal(False)
    box.finished.connect(lambda _result, b=box: _open.remove(b) if b in _open else None)
    _open.append(box)
    box.show()
    return box


def open_reports() -> list[QMessageBox]:
    return list(_open)


def _hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if isinstance(exc, KnownError):  # an environment error nobody caught: still one sentence
        show_bug(exc.message, "", known=True)
        return
    if isinstance(exc, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    details = "".join(traceback.format_exception(kind, exc, tb))
    show_bug(f"irdesk hit a bug ({kind.__name__}: {exc}).", details)


def install_excepthook() -> None:
    """Uncaught exceptions in Qt's event loop become the bug dialog instead of a console line."""
    sys.excepthook = _hook
