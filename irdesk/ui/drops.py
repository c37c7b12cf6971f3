"""Files dropped onto the window: which local files a drag carries, and one event filter that
accepts the ones a target wants (evidence, a note, the window for a colleague's ``.ircase``)."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QMimeData, QObject, QPoint
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QWidget

CASE_SUFFIX = ".ircase"


def local_files(mime: QMimeData | None) -> list[str]:
    """The local files (not folders, not web addresses) a drag carries, in order."""
    if mime is None or not mime.hasUrls():
        return []
    return [url.toLocalFile() for url in mime.urls() if url.isLocalFile() and url.toLocalFile()]


def is_case_file(path: str) -> bool:
    return path.lower().endswith(CASE_SUFFIX)


class FileDrops(QObject):
    """Lets ``target`` take drops of local files that ``wants`` (all of them, or the drag is left
    to the widgets below: a text drop still lands in the text); ``dropped(paths, position)``
    then gets them, the position in ``target``'s coordinates."""

    def __init__(self, target: QWidget, wants: Callable[[Sequence[str]], bool],
                 dropped: Callable[[list[str], QPoint], None]) -> None:
        super().__init__(target)
        self._wants, self._dropped = wants, dropped
        target.setAcceptDrops(True)
        target.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop):
            assert isinstance(event, QDragEnterEvent | QDragMoveEvent | QDropEvent)
            paths = local_files(event.mimeData())
            if not paths:
                return False
            if not self._wants(paths):
                event.ignore()  # a parent may want it (an .ircase dropped onto a note: the window)
                return True
            event.acceptProposedAction()
            if event.type() == QEvent.Type.Drop:
                self._dropped(paths, event.position().toPoint())
            return True
        return False


def plain_files(paths: Sequence[str]) -> bool:
    """Files to add or attach: no case file among them (that is a merge, offered by the window)."""
    return bool(paths) and not any(is_case_file(p) for p in paths)


def one_case_file(paths: Sequence[str]) -> bool:
    return len(paths) == 1 and is_case_file(paths[0]) and os.path.isfile(paths[0])
