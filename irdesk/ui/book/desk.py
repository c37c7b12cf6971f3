"""The app's readiness book: opening it beside the case, its window, and filing the open case.

``BookDesk`` belongs to the ``DeskApp``. The book's passphrase comes from IRDESK_BOOK_PASSPHRASE
when it is set (so tests can drive it), else from a prompt. Filing runs on the book's writer
thread with a read-only connection to the case; a case marked stricter than the book, and
contacts the directory does not have yet, are asked about first, as ``--accept-tlp`` and
``--add-contacts`` are on the command line. Locking the case closes the book too.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

from irdesk.casefile.book_store import BookFile
from irdesk.casefile.changes import Done
from irdesk.casefile.errors import CaseFileError, WrongPassphrase
from irdesk.casefile.filing import Filing, file_case
from irdesk.casefile.store import CaseFile
from irdesk.ui.book.session import BookSession
from irdesk.ui.book.window import BookWindow

Ask = Callable[[QWidget | None, str, str], bool]  # (parent, title, question) -> yes


def ask_yes_no(parent: QWidget | None, title: str, question: str) -> bool:
    answer = QMessageBox.question(parent, title, question,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


class BookDesk(QObject):
    def __init__(self, author: str | Callable[[], str], parent: QObject | None = None,
                 ask: Ask = ask_yes_no, show_case: Callable[[CaseFile], None] | None = None) -> None:
        super().__init__(parent)
        self._author, self.ask = author, ask
        self.show_case = show_case  # the app's: a drill made in the Book window opens in the main window
        self.session: BookSession | None = None
        self.window: BookWindow | None = None
        self.last_filing: Filing | None = None
        self.message = ""  # the last sentence said about the book (also in a status bar)

    @property
    def author(self) -> str:
        """Who is writing, asked anew each time (as ``DeskApp.author``)."""
        return self._author() if callable(self._author) else self._author

    # ------------------------------------------------------------ opening
    def open(self, path: str = "", parent: QWidget | None = None) -> bool:
        """Open (or raise) the book; True when it is open. Errors are said in one sentence."""
        if self.session is not None and (not path or os.path.abspath(path) == os.path.abspath(self.session.path)):
            self.show()
            return True
        if not path:
            path, _ = QFileDialog.getOpenFileName(parent, "Open the readiness book", "",
                                                  "Readiness books (*.irbook);;All files (*)")
            if not path:
                return False
        book = self._unlock(path, parent)
        if book is None:
            return False
        self.close()
        self.session = BookSession(book, self)
        self.window = BookWindow(self.session, open_drill=self._open_drill, ask=lambda *a: self.ask(*a))
        self.window.destroyed.connect(self._window_gone)
        self.show()
        return True

    def _unlock(self, path: str, parent: QWidget | None) -> BookFile | None:
        passphrase = os.environ.get("IRDESK_BOOK_PASSPHRASE")
        for _attempt in range(3):
            if passphrase is None:
                passphrase, ok = QInputDialog.getText(parent, "Readiness book",
                                                      f"Passphrase of {os.path.basename(path)}:",
                                                      QLineEdit.EchoMode.Password)
                if not ok:
                    return None
            try:
                return BookFile.open(path, passphrase, actor=self.author)
            except WrongPassphrase:
                passphrase = None
                self._say(parent, "The book's passphrase is wrong. Type it again.")
                if os.environ.get("IRDESK_BOOK_PASSPHRASE") is not None:
                    return None  # driven by the environment: never a prompt loop
            except CaseFileError as exc:
                self._say(parent, exc.message)
                return None
        return None

    def _open_drill(self, case: CaseFile) -> None:
        if self.show_case is None:
            case.close()
            return
        self.show_case(case)

    def show(self) -> None:
        if self.window is not None:
            self.window.show()
            self.window.raise_()

    def _window_gone(self) -> None:
        self.window = None

    def close(self) -> None:
        if self.window is not None:
            window, self.window = self.window, None
            window.close()
            window.deleteLater()
        if self.session is not None and not self.session.closed:
            self.session.close()
        self.session = None

    # ------------------------------------------------------------ filing
    def file_case(self, case: CaseFile, case_tlp_rank: int, parent: QWidget | None,
                  done: Callable[[Filing], None] | None = None) -> None:
        """File the open case into the book (opened first if need be); ``case`` is only read, on a
        connection of its own."""
        if self.session is None and not self.open("", parent):
            return
        assert self.session is not None
        session = self.session
        book = session.reader.book()
        accept_tlp = False
        if case_tlp_rank > book.tlp.rank:
            accept_tlp = self.ask(parent, "File into the book",
                                  f"This case is marked more strictly than the book ({book.tlp.label}). File it "
                                  "anyway? Its entry keeps the case's own marking.")
            if not accept_tlp:
                return
        self._file(case, session, accept_tlp, False, parent, done)

    def _file(self, case: CaseFile, session: BookSession, accept_tlp: bool, add_contacts: bool,
              parent: QWidget | None, done: Callable[[Filing], None] | None) -> None:
        def work(book: BookFile) -> Done[Filing]:
            reader = case.reader()  # a connection of its own; never a second descriptor by name (POSIX locks)
            try:
                return file_case(book, reader, accept_tlp=accept_tlp, add_contacts=add_contacts)
            finally:
                reader.close()

        def filed(filing: Filing) -> None:
            self.last_filing = filing
            self._say(None, filing.sentence())
            if filing.not_in_book and not add_contacts:
                names = ", ".join(c.name for c in filing.not_in_book[:5])
                more = "…" if len(filing.not_in_book) > 5 else ""
                if self.ask(parent, "File into the book",
                            f"{len(filing.not_in_book)} of the case's contacts are not in the book's directory "
                            f"({names}{more}). Add them?"):
                    self._file(case, session, accept_tlp, True, parent, done)
                    return
            if done is not None:
                done(filing)

        session.write(work, on_done=filed, on_error=lambda message: self._say(parent, message))

    def _say(self, parent: QWidget | None, message: str) -> None:
        self.message = message
        if self.window is not None:
            self.window.statusBar().showMessage(message, 15000)
        if parent is not None and hasattr(parent, "statusBar"):
            parent.statusBar().showMessage(message, 15000)
