"""A file dropped onto a note's text is attached: stored encrypted in the case (``ops.attach``,
as ``irdesk attachment list`` shows it) and named in the note where it was dropped, so the
note says what is attached and ``irdesk attachment save ID`` gets it back."""

from __future__ import annotations

import mimetypes
import os
import re
from collections.abc import Sequence

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPlainTextEdit, QWidget

from irdesk.casefile import operations as ops
from irdesk.casefile.changes import Done
from irdesk.casefile.store import ATTACHMENT_LIMIT, CaseFile
from irdesk.domain.records import Attachment
from irdesk.domain.sizes import format_size
from irdesk.ui.drops import FileDrops, plain_files
from irdesk.ui.forms import show_status
from irdesk.ui.session import CaseSession

_REFERENCE = re.compile(r"\[Attached: .*? · id ([0-9a-f-]{36})\]")


def referenced_id(line: str) -> str:
    """The attachment id a note's line names (see ``reference``), or ""."""
    found = _REFERENCE.search(line)
    return found.group(1) if found else ""


def reference(attachment: Attachment) -> str:
    """How a note names an attachment: what it is, and the id to save it by."""
    return (f"[Attached: {attachment.name} · {format_size(attachment.size)} · "
            f"SHA-256 {attachment.sha256[:16]}… · id {attachment.id}]")


class NoteDrops:
    """Attaches files dropped onto ``text`` (the note editor) and names each one in the text."""

    def __init__(self, session: CaseSession, text: QPlainTextEdit, owner: QWidget) -> None:
        self.session, self.text, self.owner = session, text, owner
        self.filter = FileDrops(text.viewport(), plain_files, self.attach)
        text.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        text.customContextMenuRequested.connect(self._menu)

    def _menu(self, at: QPoint) -> None:
        """The text's own menu, plus "Save the attached file…" on a line that names one."""
        menu = self.text.createStandardContextMenu(at)
        line = self.text.cursorForPosition(at).block().text()
        attachment_id = referenced_id(line)
        if attachment_id:
            menu.addSeparator()
            menu.addAction("Save the attached file to a folder…", lambda: self.save(attachment_id))
        menu.popup(self.text.viewport().mapToGlobal(at))
        self.menu = menu

    def save(self, attachment_id: str, folder: str | None = None) -> None:
        """Save an attached file into a folder the user picks (inside it, under a safe name)."""
        from irdesk.casefile.attachments import save_attachment

        if folder is None:
            folder = QFileDialog.getExistingDirectory(self.owner, "Save the attached file into…")
            if not folder:
                return
        chosen = folder
        self.session.read(lambda c, _job: save_attachment(c, attachment_id, chosen), owner=self.owner,
                          on_done=lambda path: show_status(self.owner, f"Saved {path}", 10000),
                          on_error=self._not_saved)

    def _not_saved(self, message: str) -> None:
        QMessageBox.warning(self.owner, "Save the attached file", message)

    def attach(self, paths: Sequence[str], at: QPoint | None = None) -> None:
        if self.text.isReadOnly():
            show_status(self.owner, "This case is read-only: nothing can be attached.")
            return
        cursor = self.text.cursorForPosition(at) if at is not None else self.text.textCursor()
        self.text.setTextCursor(cursor)  # each reference goes where the file was dropped
        for path in paths:
            problem = _unattachable(path, self.session.path)
            if problem:
                show_status(self.owner, problem, 10000)
                continue
            name = os.path.basename(path)
            media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"

            def write(case: CaseFile, path: str = path, name: str = name, media_type: str = media_type
                      ) -> Done[Attachment]:
                with open(path, "rb") as handle:
                    data = handle.read(ATTACHMENT_LIMIT + 1)
                return ops.attach(case, name, data, media_type=media_type)

            self.session.write(write, on_done=self._attached, owner=self.owner,
                               on_error=lambda message: show_status(self.owner, message, 10000))

    def _attached(self, attachment: Attachment) -> None:
        cursor = self.text.textCursor()
        if cursor.positionInBlock() > 0:
            cursor.insertText("\n")
        cursor.insertText(reference(attachment) + "\n")  # typed into the note: it saves as any edit
        self.text.setTextCursor(cursor)
        show_status(self.owner, f"Attached {attachment.name} to the note, encrypted in the case.", 8000)


def _unattachable(path: str, case_path: str) -> str:
    """Why a dropped path cannot be attached to a note ("" when it can)."""
    if os.path.isdir(path):
        return f"{os.path.basename(path)} is a folder: drop the files in it."
    try:
        size = os.stat(path).st_size
    except OSError:
        return f"{os.path.basename(path)} cannot be read."
    if os.path.samefile(path, case_path):
        return "That is the case file itself."
    if size > ATTACHMENT_LIMIT:
        return (f"{os.path.basename(path)} is {format_size(size)}: files over {format_size(ATTACHMENT_LIMIT)} are "
                "not attached to a note. Drop it onto Evidence: it is hashed and referenced by path.")
    return ""
