"""Windows that fit the screen they open on: a 1024×600 laptop as well as a 4K display.

``ScreenFit`` watches every top-level window of the application as it is shown: one larger
than the screen's available area is shrunk to it (its scroll areas take up the rest) and
moved inside, so every button stays reachable; a dialog is at least wide enough to show its
title, Tab goes through its buttons in the order they are drawn, and it takes the keyboard
(a dialog opened from the keyboard is typed into next, even where no window manager hands
it the focus). ``grow_to_fit`` lets a dialog grow when a message of several lines appears
in it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QWidget

TITLE_ROOM = 150  # the window manager's buttons and margins beside a title


def available(widget: QWidget) -> QRect:
    """The screen area a window may use (without panels and docks)."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def frame_margins(widget: QWidget) -> tuple[int, int]:
    """Width and height the window manager's frame adds (0 before the window was shown)."""
    frame, inner = widget.frameGeometry(), widget.geometry()
    return max(0, frame.width() - inner.width()), max(0, frame.height() - inner.height())


def fit_into_screen(widget: QWidget) -> None:
    """Shrink ``widget`` to the available area if it is larger, and move it inside."""
    area = available(widget)
    extra_w, extra_h = frame_margins(widget)
    width = min(widget.width(), area.width() - extra_w)
    height = min(widget.height(), area.height() - extra_h)
    if (width, height) != (widget.width(), widget.height()):
        widget.resize(max(width, 1), max(height, 1))
    frame = widget.frameGeometry()
    x = min(max(frame.x(), area.left()), area.right() + 1 - frame.width())
    y = min(max(frame.y(), area.top()), area.bottom() + 1 - frame.height())
    if (x, y) != (frame.x(), frame.y()):
        widget.move(max(x, area.left()), max(y, area.top()))


def title_width(widget: QWidget) -> int:
    """How wide a window must be for the window manager to show its whole title."""
    font = widget.font()
    font.setBold(True)
    from PySide6.QtGui import QFontMetrics

    title = widget.windowTitle()
    app_name = QGuiApplication.applicationDisplayName()
    if app_name and app_name not in title:
        title = f"{title} — {app_name}"
    return QFontMetrics(font).horizontalAdvance(title) + TITLE_ROOM


def grow_to_fit(dialog: QWidget) -> None:
    """Let the dialog's layout take the height its content now needs (within the screen)."""
    layout = dialog.layout()
    if layout is None:
        return
    layout.activate()
    needed = layout.totalHeightForWidth(dialog.width()) if layout.hasHeightForWidth() else layout.sizeHint().height()
    needed = max(needed, layout.totalMinimumSize().height())
    if needed > dialog.height():
        dialog.resize(dialog.width(), min(needed, available(dialog).height() - frame_margins(dialog)[1]))


class ScreenFit(QObject):
    """An application event filter: each window that is shown fits its screen."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Show and isinstance(watched, QWidget) and watched.isWindow():
            self.fit(watched)
        return False

    def fit(self, window: QWidget) -> None:
        if isinstance(window, QDialog):
            buttons_in_reading_order(window)
        if isinstance(window, QDialog) and window.windowTitle():
            wanted = min(title_width(window), available(window).width() - 40)
            if window.width() < wanted:
                window.resize(wanted, window.height())
            if window.minimumWidth() < wanted and window.minimumWidth() < available(window).width():
                window.setMinimumWidth(min(wanted, available(window).width() - 40))
        fit_into_screen(window)
        QTimer.singleShot(0, lambda: _refit(window, activate=isinstance(window, QDialog)))


def buttons_in_reading_order(dialog: QWidget) -> None:
    """Tab moves through a dialog's buttons left to right, as they are drawn: a button box
    lays them out by the platform's rules (OK before Cancel, or after), not in the order they
    were added, which is the order Qt tabs through them."""
    from PySide6.QtWidgets import QDialogButtonBox

    for box in dialog.findChildren(QDialogButtonBox):
        shown = sorted((b for b in box.buttons() if b.isVisibleTo(dialog)), key=lambda b: b.x())
        for before, after in zip(shown, shown[1:], strict=False):
            QWidget.setTabOrder(before, after)


def _refit(window: QWidget, *, activate: bool) -> None:
    """Once the window manager has framed it: fit again; a dialog takes the keyboard."""
    import shiboken6

    if shiboken6.isValid(window) and window.isVisible():
        fit_into_screen(window)
        if activate:
            window.raise_()
            window.activateWindow()
