"""Small form pieces shared by the record panels and dialogs: an optional date-time with a
"Now" button, and the one-sentence refusal shown beside the field it concerns."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QDateTime, QEvent, QObject, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QWidget,
)

from irdesk.domain.moment import Moment
from irdesk.ui.moments import from_qdatetime, keep_in_bounds, to_qdatetime

ERROR_STYLE = "color: #c0392b; font-weight: bold"


def moment_edit(name: str) -> QDateTimeEdit:
    """A date-time in local time, typed or picked from a calendar, within the case file's range."""
    edit = QDateTimeEdit(QDateTime.currentDateTime())
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd HH:mm")
    keep_in_bounds(edit)  # the case file's range (irdesk.domain.timebounds)
    edit.setAccessibleName(name)
    return edit


class MomentField(QWidget):
    """A time that may be unknown: a checkbox says whether it is set; "Now" sets it in one click.

    Shown and typed in local time. A time the user leaves alone keeps the ``Moment`` it was
    loaded with, offset and seconds included: opening a form never rewrites a time.
    """

    changed = Signal()

    def __init__(self, name: str, parent: QWidget | None = None, *, required: bool = False) -> None:
        super().__init__(parent)
        self._original: Moment | None = None
        self._now: Moment | None = None  # what "Now" set, to the microsecond
        self._required = required
        self.known = QCheckBox()
        self.known.setAccessibleName(f"{name} is known")
        self.known.setToolTip(f"Tick when {name.lower()} is known")
        if required:  # always known: no box, but its room is kept so the times line up
            policy = self.known.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            self.known.setSizePolicy(policy)
            self.known.hide()
        self.edit = moment_edit(name)
        self.edit.setEnabled(required)
        if required:
            self.known.setChecked(True)
        self.now = QPushButton("Now")
        self.now.setAutoDefault(False)
        self.now.setAccessibleName(f"Set {name} to now")
        self.now.setToolTip(f"Set {name.lower()} to the current time")
        self.known.toggled.connect(self.edit.setEnabled)
        self.known.toggled.connect(lambda _: self.changed.emit())
        self.edit.dateTimeChanged.connect(lambda _: self.changed.emit())
        self.now.clicked.connect(self.set_now)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.known)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.now)
        self.setFocusProxy(self.edit)

    def set_now(self) -> None:
        """The present moment, exactly: a stage logged now is never "before" one stamped by the
        case file a few seconds ago in the same minute (the field shows minutes only)."""
        self._now = Moment.now()
        self.edit.setDateTime(to_qdatetime(self._now))
        self.known.setChecked(True)

    def value(self) -> Moment | None:
        if not self.known.isChecked():
            return None
        shown = self.edit.dateTime()
        for kept in (self._now, self._original):
            if kept is not None and shown == to_qdatetime(kept):
                return kept
        return from_qdatetime(shown)

    def set_value(self, moment: Moment | None) -> None:
        self.blockSignals(True)
        self._original, self._now = moment, None
        self.known.setChecked(moment is not None or self._required)
        self.edit.setDateTime(to_qdatetime(moment) if moment else QDateTime.currentDateTime())
        self.blockSignals(False)

    @property
    def edited(self) -> bool:
        """True once the value differs from the one it was loaded with."""
        value = self.value()
        if value is None or self._original is None:
            return value is not self._original
        return value.isoformat() != self._original.isoformat()


class Refusal(QLabel):
    """Why the case file refused a change: one red sentence beside the field, gone once fixed."""

    def __init__(self, name: str = "Why it was not saved", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet(ERROR_STYLE)
        self.setAccessibleName(name)
        self.hide()

    def say(self, message: str) -> None:
        self.setText(message)
        self.setVisible(bool(message))

    def clear_message(self) -> None:
        self.say("")


class FieldRows(QObject):
    """A form's rows, each field with its ``Refusal`` under it, and which one was edited last.

    A refusal from the case file is one sentence for the whole change; it is shown under the
    field the user touched last, which is the one it concerns whenever a single edit broke a
    rule. ``edited(field)`` fires on every user edit (not on programmatic fills), after the
    refusals are cleared: a problem that may be fixed is never left on screen.
    """

    edited = Signal(str)

    def __init__(self, layout: QFormLayout | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.layout = layout or QFormLayout()
        self.layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # narrow: label above
        self.refusals: dict[str, Refusal] = {}
        self._owners: dict[QObject, str] = {}
        self.last = ""
        self.quiet = False  # True while the program fills the fields

    def add_row(self, label: str, field: str, widget: QWidget,
                on_enter: Callable[[], object] | None = None) -> None:
        """A labelled row for ``field`` with its refusal line under it (hidden until needed)."""
        refusal = Refusal(f"Why {label.lower() or field} was not saved")
        self.layout.addRow(label, widget)
        self.layout.addRow("", refusal)
        self.refusals[field] = refusal
        self.watch(widget, field, on_enter)
        self.last = self.last or field

    def watch(self, widget: QWidget, field: str, on_enter: Callable[[], object] | None = None) -> None:
        for part in (widget, *widget.findChildren(QWidget)):
            self._owners[part] = field
            part.installEventFilter(self)
            if isinstance(part, QLineEdit):
                if on_enter is not None:
                    part.returnPressed.connect(lambda: on_enter())
                part.textEdited.connect(lambda _text, f=field: self._edited(f))
            elif isinstance(part, QPlainTextEdit):  # several lines: Enter is a new line, not a save
                part.textChanged.connect(lambda f=field: self._edited(f))
            elif isinstance(part, QComboBox):
                part.activated.connect(lambda _index, f=field: self._edited(f))
            elif isinstance(part, QAbstractButton) and part.isCheckable():
                part.clicked.connect(lambda _checked=False, f=field: self._edited(f))
        if isinstance(widget, MomentField):
            widget.changed.connect(lambda f=field: self._edited(f))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.FocusIn and watched in self._owners:
            self.last = self._owners[watched]
        return False

    def show_starts(self) -> None:
        """Long values read from their beginning, not from where the cursor was left."""
        for part in self._owners:
            if isinstance(part, QLineEdit) and not part.hasFocus():
                part.setCursorPosition(0)

    def _edited(self, field: str) -> None:
        if self.quiet:
            return
        self.last = field
        self.clear()
        self.edited.emit(field)

    def clear(self) -> None:
        for refusal in self.refusals.values():
            refusal.clear_message()

    def say(self, message: str, field: str = "") -> None:
        """Show ``message`` under ``field`` (default: the one edited last), or under the field
        the case file's refusal concerns when it names others (see ``concerned``)."""
        self.clear()
        name = concerned(message, field or self.last, self.refusals)
        target = self.refusals.get(name) or next(iter(self.refusals.values()))
        target.say(message)


def concerned(message: str, edited: str, present: Iterable[str]) -> str:
    """The field a refusal belongs beside: the one edited, when the rule that refused looks at
    it; else the last of the rule's fields the form shows (the later of two times out of order,
    the recipient of a transfer, the reason of a waiver). The rules say which fields they
    look at (``KnownError.fields``); the form never works it out again."""
    fields = [name for name in getattr(message, "fields", ()) if name in set(present)]
    if not fields or edited in fields:
        return edited
    return fields[-1]


def scrolling(content: QWidget, *, min_width: int = 0) -> QScrollArea:
    """``content`` in a frameless scroll area that blends with the page: a short screen scrolls
    a form instead of clipping it."""
    scroll = QScrollArea()
    scroll.setWidget(content)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    scroll.viewport().setAutoFillBackground(False)
    content.setAutoFillBackground(False)
    if min_width:
        scroll.setMinimumWidth(min_width)
    return scroll


def show_status(widget: QWidget, message: str, ms: int = 15000) -> None:
    """Say ``message`` in the status bar of the window that holds ``widget`` (if it has one)."""
    from PySide6.QtWidgets import QMainWindow

    window = widget.window()
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(message, ms)
