"""Composition of the desktop app: QApplication, palette, the open case, locking, SIGTERM.

One ``DeskApp`` owns the settings, the keychain, the clipboard guard and idle lock, and at
most one open case (a ``CaseSession`` and its ``MainWindow``). Locking closes the database
and destroys every widget that showed note text; unlocking builds them again and returns
the user to the same place.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QMessageBox,
    QWidget,
)

from irdesk.casefile import operations as ops
from irdesk.casefile.connection import read_salt
from irdesk.casefile.errors import CaseFileError, WrongPassphrase
from irdesk.casefile.store import CaseFile
from irdesk.domain.errors import KnownError
from irdesk.domain.paths import shown
from irdesk.keychain import Keychain, key_id_for
from irdesk.ui.clipboard import SecretClipboard
from irdesk.ui.idle_lock import IdleLock
from irdesk.ui.lock_key import LockKey, clear_text
from irdesk.ui.main_window import MainWindow, Place
from irdesk.ui.palette import apply_theme
from irdesk.ui.screen_fit import ScreenFit
from irdesk.ui.session import CaseSession
from irdesk.ui.settings import Settings

if TYPE_CHECKING:
    from irdesk.ui.single_instance import InstanceServers


class DeskApp(QObject):
    def __init__(
        self,
        app: QApplication,
        settings: Settings,
        keychain: Keychain,
        author: str | Callable[[], str],
        clipboard: SecretClipboard | None = None,
        idle: IdleLock | None = None,
    ) -> None:
        super().__init__()
        self.app, self.settings, self.keychain = app, settings, keychain
        self._author = author
        self.clipboard = clipboard or SecretClipboard(parent=self)
        self.idle = idle or IdleLock(settings.idle_minutes(), parent=self)
        self.idle.idle.connect(self._lock_when_idle)
        app.installEventFilter(self.idle)
        self.lock_key = LockKey(self)
        self.lock_key.pressed.connect(lambda: QTimer.singleShot(0, self._lock_by_key))
        app.installEventFilter(self.lock_key)
        self.screen_fit = ScreenFit(self)  # every window and dialog opens within the screen
        app.installEventFilter(self.screen_fit)
        app.lastWindowClosed.connect(self._last_window_closed)
        self.session: CaseSession | None = None
        self.window: MainWindow | None = None
        self.welcome: QWidget | None = None
        self.unlock_dialog: QDialog | None = None
        self.locked: tuple[str, Place] | None = None
        self.not_locked_box: QMessageBox | None = None
        self._quitting = False
        self._unlocking: str | None = None  # the case whose unlock dialog is open
        self.instances = _instance_servers(self)
        if self.instances is not None:
            self.instances.raise_requested.connect(lambda _path: self.bring_to_front())
        from irdesk.ui.book.desk import BookDesk

        self.books = BookDesk(lambda: self.author, self, show_case=self.show_case)

    @property
    def author(self) -> str:
        """Who is writing, asked anew each time (a signing identity made meanwhile counts)."""
        return self._author() if callable(self._author) else self._author

    def responder(self) -> str:
        """The responder a report names, read when the report is made."""
        return self.author

    # ------------------------------------------------------------ start
    def start(self, path: str | None, book: str | None = None) -> None:
        """Open ``path`` (IRDESK_PASSPHRASE, the keychain, else a prompt), or show the welcome;
        and ``book``, the readiness book, beside it."""
        if book:
            read_salt(book)  # a KnownError here: run_gui prints it and exits with its code
        self._start_case(path)
        if book:
            self.books.open(book, self.window)  # beside the case, in front of it

    def _start_case(self, path: str | None) -> None:
        if not path:
            self.show_welcome()
            return
        salt = read_salt(path)  # a KnownError here: launch.run_gui prints it and exits with its code
        message = ""
        for passphrase in self._known_passphrases(key_id_for(salt)):
            try:
                case = CaseFile.open(path, passphrase, actor=self.author, repair_search=False)
            except WrongPassphrase:
                message = (
                    "Wrong passphrase (from IRDESK_PASSPHRASE or the keychain). Type it instead."
                )
                continue
            self.show_case(case)  # a KnownError (a forged case record): run_gui says it, exit 4
            return
        self.ask_passphrase(path, message)

    def _known_passphrases(self, key_id: str) -> Iterator[str]:
        env = os.environ.get("IRDESK_PASSPHRASE")
        if env is not None:
            yield env
        if key_id in self.settings.keychain_ids():
            remembered = self.keychain.recall(key_id)
            if remembered is not None:
                yield remembered

    def show_welcome(self) -> None:
        from irdesk.ui.welcome import WelcomeWindow

        if self.welcome is None:
            welcome = WelcomeWindow(self.settings)
            welcome.new_case.connect(self.new_case)
            welcome.open_case.connect(self.open_case)
            self.welcome = welcome
        self.welcome.refresh()  # type: ignore[attr-defined]
        self.welcome.show()
        self.welcome.raise_()

    def ask_passphrase(
        self,
        path: str,
        message: str = "",
        place: Place | None = None,
        on_cancel: Callable[[], None] | None = None,
    ) -> None:
        """Show the unlock dialog; on success open the case (and return to ``place``)."""
        from irdesk.ui.unlock_dialog import UnlockDialog

        try:
            key_id = key_id_for(read_salt(path))
        except CaseFileError as exc:
            self._warn(exc.message)
            return
        dialog = UnlockDialog(path, self.author, self.keychain, key_id, message=message)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.unlock_dialog = dialog
        self._unlocking = path
        self._serve()

        def finished(result: int) -> None:
            self.unlock_dialog = None
            self._unlocking = None
            if result == QDialog.DialogCode.Accepted and dialog.case is not None:
                if dialog.remembered:
                    self.settings.set_keychain_id(key_id, True)
                try:
                    self.show_case(dialog.case, place)
                except KnownError as exc:  # the case record is not what the chain vouches for
                    self._warn(exc.message)
                    if self.window is None:
                        self.show_welcome()
            elif on_cancel is not None:
                on_cancel()
            elif self.window is None:
                self.show_welcome()
            self._serve()

        dialog.finished.connect(finished)
        dialog.open()

    # ------------------------------------------------------------ the open case
    def show_case(self, case: CaseFile, place: Place | None = None) -> None:
        """Show an unlocked case; then check all of it against its chain in the background.

        Raises:
            KnownError: the case record itself is not what the chain vouches for (the case
                is closed again: nothing of it is shown).
        """
        self.close_case()
        session = CaseSession(case)
        try:
            window = MainWindow(session, self)
        except KnownError:
            session.close()
            raise
        self.session, self.window = session, window
        geometry = self.settings.geometry()
        if geometry is not None:
            self.window.restoreGeometry(geometry)
        self.settings.add_recent(case.path)
        self.window.show()
        if place is not None:
            self.window.restore(place)
        self.window.raise_()
        self.window.activateWindow()
        self.window.focus_work_area()  # typing at once starts a note; it never changes the case
        if self.welcome is not None:
            self.welcome.hide()
        self.locked = None
        self.lock_key.enabled = True
        self.idle.touch()
        self._serve()
        QTimer.singleShot(0, session.verify_in_background)  # after the first paint

    def close_case(self) -> Place | None:
        """Save, close the database, and destroy the window with every note text in it."""
        if self.window is None or self.session is None:
            return None
        window, session = self.window, self.session
        self.lock_key.enabled = False
        window.save_all()
        session.settle()  # a new note gets its id before we note where the user was
        place = window.place()
        self.settings.set_geometry(window.saveGeometry())
        dialogs = [  # dialogs that may show case data (some close themselves on `closing`)
            widget for widget in self.app.topLevelWidgets()
            if isinstance(widget, QDialog) and widget is not self.unlock_dialog and widget.isVisible()
        ]
        window.clear()
        session.close()
        self.window = self.session = None
        for dialog in dialogs:
            if shiboken6.isValid(dialog):
                clear_text(dialog)
                if dialog.isVisible():
                    dialog.reject()
        self.not_locked_box = None
        window.desk = _Closed()  # type: ignore[assignment]
        window.close()
        window.deleteLater()
        self.clipboard.clear()
        self._serve()
        return place

    # ------------------------------------------------------------ one irdesk per case
    def _serve(self) -> None:
        """Answer a second launch for the case that is open, or waiting for its passphrase."""
        if self.instances is None or self._quitting:
            return
        held = {p for p in (self.session.path if self.session else None, self._unlocking) if p}
        self.instances.serve_only(held)

    def bring_to_front(self) -> None:
        """A second ``irdesk CASE`` asked for this case: show its window (or its unlock)."""
        target: QWidget | None = self.window if self.window is not None else self.unlock_dialog
        if target is None:
            return
        if target.isMinimized():
            target.showNormal()
        target.show()
        target.raise_()
        target.activateWindow()
        QApplication.alert(target)

    def lock(self, *, idle: bool = False) -> bool:
        """Close the case behind the unlock dialog; False (and a warning) if text would be lost.

        Pending writes are settled first, and a note whose save failed (full disk, unplugged
        stick) is tried once more: locking destroys the editors, so their text must be in the
        case before the window goes.
        """
        if self.window is None or self.session is None:
            return False
        dropped = self._save_open_dialogs()
        unsaved = self._unsaved_after_saving()
        if unsaved:
            self._warn_not_locked(unsaved, idle)
            return False
        dropped += self.window.refused_edits()
        path = self.session.path
        place = self.close_case()
        self.books.close()  # the directory's details are locked away with the case
        assert place is not None
        self.locked = (path, place)
        message = "The case was locked. Type the passphrase to go on."
        if dropped:
            message += " Not saved, because the case file refused it: " + " ".join(
                d if d.endswith(".") else d + "." for d in dropped)
        self.ask_passphrase(path, message, place, on_cancel=self.show_welcome)
        return True

    def _lock_when_idle(self) -> None:
        self.lock(idle=True)

    def _lock_by_key(self) -> None:
        if self.window is not None:
            self.lock()

    def _save_open_dialogs(self) -> list[str]:
        """Dialogs holding an edit (key times, a custody event) save it if they can; returns what
        they could not save, one sentence each."""
        refused: list[str] = []
        for widget in self.app.topLevelWidgets():
            save = getattr(widget, "save_before_lock", None)
            if isinstance(widget, QDialog) and widget.isVisible() and callable(save):
                save(refused.append)
        return refused

    def _unsaved_after_saving(self) -> list[str]:
        """Save every editor, wait for the writes, and say why any text is still not saved."""
        assert self.window is not None and self.session is not None
        self.window.save_all()
        self.session.settle()
        return self.window.unsaved()

    def _warn_not_locked(self, unsaved: list[str], idle: bool) -> None:
        assert self.window is not None
        when = f" after {self.idle.minutes} idle minutes" if idle else ""
        short = f"The case was not locked{when}: a note could not be saved — {unsaved[0]}"
        text = (
            f"{short}\n\nThe text is still in the editor. Free space or reconnect the drive, "
            "then lock again (Ctrl+L)."
        )
        self.window.statusBar().showMessage(short)
        if self.not_locked_box is None:
            box = QMessageBox(
                QMessageBox.Icon.Warning, "Not locked", text, QMessageBox.StandardButton.Ok,
                self.window,
            )
            box.setModal(False)
            box.finished.connect(self._forget_not_locked_box)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.not_locked_box = box
        self.not_locked_box.setText(text)
        self.not_locked_box.show()

    def _forget_not_locked_box(self, _result: int = 0) -> None:
        self.not_locked_box = None

    # ------------------------------------------------------------ menu actions
    def new_case(self) -> None:
        from irdesk.ui.new_case_dialog import NewCaseDialog

        folder = os.path.dirname(self.session.path) if self.session else ""
        book = self.books.session.book.reader() if self.books.session is not None else None
        try:
            dialog = NewCaseDialog(self.author, self.window or self.welcome, folder, book=book)
            created = dialog.exec() and dialog.case is not None
        finally:
            if book is not None:
                book.close()
        if created and dialog.case is not None:
            self.show_case(dialog.case)

    def new_case_from_book(self) -> None:
        """New case ▸ From book…: open the book (if it is not open yet), then a new case from it."""
        if self.books.open("", self.window or self.welcome):
            self.new_case()

    def open_case(self, path: str = "") -> None:
        if not path:
            path, _ = QFileDialog.getOpenFileName(
                self.window or self.welcome, "Open case", "", "Case files (*.ircase);;All files (*)"
            )
            if not path:
                return
        if self.session is not None and os.path.abspath(path) == os.path.abspath(self.session.path):
            return
        self.ask_passphrase(path)

    def open_book(self, path: str = "") -> None:
        self.books.open(path, self.window)

    def file_into_book(self) -> None:
        """File the open case into the readiness book (opening the book first if need be)."""
        if self.session is None or self.window is None:
            return
        self.window.save_all()
        self.session.settle()  # every saved note is in the file the book reads
        self.books.file_case(self.session.case, self.session.reader.case().tlp.rank, self.window)

    def change_passphrase(self) -> None:
        from irdesk.ui.change_passphrase import ChangePassphraseDialog

        if self.session is None or self.window is None:
            return
        session = self.session
        dialog = ChangePassphraseDialog(session.reader.case().title, session.case.salt, session.case.key,
                                        self.window)
        if not dialog.exec() or self.session is not session:  # cancelled, or locked meanwhile
            return
        passphrase = dialog.passphrase()
        session, window = self.session, self.window
        key_id, path = key_id_for(session.case.salt), session.path
        window.save_all()  # nothing may be queued behind the re-key
        window.setEnabled(False)  # the reader still holds the old key until the window is rebuilt
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)

        def done(_: object) -> None:
            QGuiApplication.restoreOverrideCursor()
            if key_id in self.settings.keychain_ids():
                try:
                    self.keychain.remember(key_id, passphrase)
                except Exception:  # noqa: BLE001 - a stale keychain entry only means a prompt
                    self.keychain.forget(key_id)
            key = session.case.key
            place = self.close_case()
            self.show_case(CaseFile.open(path, key=key, actor=self.author, repair_search=False), place)
            if self.window is not None:
                self.window.statusBar().showMessage("The passphrase was changed.", 10000)

        def failed(message: str) -> None:
            QGuiApplication.restoreOverrideCursor()
            window.setEnabled(True)
            self._warn(f"The passphrase was not changed: {message}")

        session.write(lambda case: ops.change_passphrase(case, passphrase), on_done=done, on_error=failed)

    def copy_secret(self, text: str) -> None:
        self.clipboard.copy_secret(text)
        if self.window is not None:
            self.window.statusBar().showMessage(
                "Copied; the clipboard is cleared in 10 seconds.", 10000
            )

    def idle_minutes(self) -> int:
        return self.idle.minutes

    def theme(self) -> str:
        return self.settings.theme()

    def set_theme(self, theme: str) -> None:
        """Follow the system's colour scheme, or stay light or dark (a night shift)."""
        self.settings.set_theme(theme)
        apply_theme(self.app, theme)

    def set_idle_minutes(self, minutes: int) -> None:
        self.settings.set_idle_minutes(minutes)
        self.idle.set_minutes(minutes)

    def quit(self, *, force: bool = False) -> bool:
        """Close everything and leave; False if the user chose to stay (unsaved text)."""
        if self._quitting:
            return True
        if not force and not self._may_quit():
            return False
        self._quitting = True
        self.close_case()
        self.books.close()
        if self.instances is not None:
            self.instances.close()
        self.clipboard.clear()
        self.settings.sync()
        self.app.quit()
        return True

    def _may_quit(self) -> bool:
        """Ask before leaving text that failed to save (full disk, unplugged stick)."""
        if self.window is None or self.session is None:
            return True
        refused = self._save_open_dialogs()
        unsaved = self._unsaved_after_saving()
        refused += self.window.refused_edits()
        if not unsaved and not refused:
            return True
        lines = []
        if unsaved:
            lines.append(f"{len(unsaved)} note(s) could not be saved ({unsaved[0]}).")
        lines += [r if r.endswith(".") else r + "." for r in refused]
        answer = QMessageBox.question(
            self.window,
            "Not saved",
            "\n".join(lines) + "\n\nQuit anyway and lose that?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    def _last_window_closed(self) -> None:
        # Locking closes the window just before the unlock dialog opens: look again once the
        # event loop is back, and leave only when nothing of irdesk is on screen any more.
        QTimer.singleShot(0, self._quit_if_nothing_open)

    def _quit_if_nothing_open(self) -> None:
        if self._quitting or self.window is not None or self.unlock_dialog is not None:
            return
        if any(w.isVisible() for w in self.app.topLevelWidgets()):
            return
        self.quit(force=True)

    def dispose(self) -> None:
        """Detach from the QApplication (tests build several desks in one process)."""
        self.close_case()
        self.books.close()
        if self.instances is not None:
            self.instances.close()
        self.app.removeEventFilter(self.idle)
        self.app.removeEventFilter(self.lock_key)
        self.app.removeEventFilter(self.screen_fit)
        self.app.lastWindowClosed.disconnect(self._last_window_closed)

    def _warn(self, message: str) -> None:
        QMessageBox.warning(self.window or self.welcome, "irdesk", shown(message))


def _instance_servers(parent: QObject) -> InstanceServers | None:
    try:
        from irdesk.ui.single_instance import InstanceServers
    except ImportError:  # a bundle without QtNetwork: every launch simply opens its own window
        return None
    return InstanceServers(parent)


class _Closed:
    """Stands in for the desk once a window's case is closed, so its closeEvent is harmless."""

    def quit(self, *, force: bool = False) -> bool:
        return True


__all__ = ["DeskApp"]
