"""The export dialog: preview the after-action report, sign (or not) and save it, or print it.

Building and signing read the case in the background on their own connection
(``session.read``), so typing and saving go on meanwhile; writing the file and recording
the issue in the case's chain is then one short operation (``session.write``).

The preview fits the pages to the dialog's width and zooms (Ctrl+plus, Ctrl+minus, Ctrl+0);
pages are rendered once, sharp enough for the screen's pixel ratio, and again only when a
zoom needs more detail. The signing identity and the responder's name are read when the
report is made, so an identity created after the app started is the one that signs.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QRectF, Qt, QTimer
from PySide6.QtGui import QImage, QKeySequence, QPainter, QPalette, QPixmap, QShortcut, QShowEvent
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from irdesk.casefile.outputs import check_destination
from irdesk.casefile.store import CaseFile
from irdesk.domain.errors import KnownError
from irdesk.domain.paths import shown
from irdesk.identity.store import read_info
from irdesk.report.errors import Cancelled
from irdesk.ui.jobs import Job, JobRunner
from irdesk.ui.paths import path_from_text, path_text
from irdesk.ui.session import CaseSession

if TYPE_CHECKING:
    from irdesk.report.preview import PageImage
    from irdesk.report.service import BuiltReport

PRINT_DPI_LIMIT = 300
PAGE_INCHES = 8.27  # A4's width; a Letter page is a little wider and fits the same way
ZOOMS = (0.5, 0.67, 0.8, 1.0, 1.25, 1.5, 2.0, 3.0)  # × the width that fits
RENDER_DPI_LIMIT = 240


def _image(page: PageImage) -> QImage:
    return QImage(
        page.pixels, page.width, page.height, page.stride, QImage.Format.Format_ARGB32
    ).copy()


class ReportDialog(QDialog):
    def __init__(self, session: CaseSession, parent: QWidget | None = None,
                 responder: Callable[[], str] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("After-action report")
        screen = self.screen().availableGeometry()  # tall enough for a page, never off-screen
        self.resize(min(900, screen.width() - 40), min(1000, screen.height() - 60))
        self._session = session
        self._responder = responder or (lambda: session.case.actor)
        self._images: list[QImage] = []
        self._render_dpi = 0.0
        self._zoom = 1.0
        self._rendering = False
        self._jobs = JobRunner(self, threads=1)  # re-rendering pages for a zoom reads no case
        self._preview: BuiltReport | None = None  # the draft shown
        self._saved: BuiltReport | None = None  # the report last saved
        self._busy = False
        self._cancel = threading.Event()
        self.dispose_when_closed = False  # delete itself once closed and idle
        self._closed = False
        from irdesk.report.service import warm_up

        warm_up()  # imports on this thread: PySide's import hook is not thread-safe
        self._build_ui()
        self.refresh_preview()

    # ---------------------------------------------------------------- layout

    def _build_ui(self) -> None:
        self._pages = QWidget()
        self._pages_layout = QVBoxLayout(self._pages)
        self._pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self._pages_layout.setSpacing(12)
        scroll = QScrollArea()
        scroll.setWidget(self._pages)
        scroll.setWidgetResizable(True)
        scroll.setStyleSheet(
            "QScrollArea { background: #8a949e; } QWidget#pages { background: #8a949e; }"
        )
        self._pages.setObjectName("pages")
        self._scroll = scroll
        self._relayout = QTimer(self)  # the width changed: fit the pages again, once
        self._relayout.setSingleShot(True)
        self._relayout.setInterval(60)
        self._relayout.timeout.connect(self._show_pages)
        scroll.viewport().installEventFilter(self)

        self._zoom_out = QToolButton()
        self._zoom_out.setText("−")
        self._zoom_out.setToolTip("Zoom out (Ctrl+minus)")
        self._zoom_out.setAccessibleName("Zoom out")
        self._zoom_out.clicked.connect(lambda: self.zoom_by(-1))
        self._zoom_in = QToolButton()
        self._zoom_in.setText("+")
        self._zoom_in.setToolTip("Zoom in (Ctrl+plus)")
        self._zoom_in.setAccessibleName("Zoom in")
        self._zoom_in.clicked.connect(lambda: self.zoom_by(1))
        self._fit = QToolButton()
        self._fit.setText("Fit width")
        self._fit.setToolTip("Pages as wide as the window (Ctrl+0)")
        self._fit.clicked.connect(lambda: self.set_zoom(1.0))
        self._zoom_label = QLabel("100 %")
        self._zoom_label.setAccessibleName("Zoom")
        for keys, step in (("Ctrl++", 1), ("Ctrl+=", 1), ("Ctrl+-", -1)):
            QShortcut(QKeySequence(keys), self, lambda step=step: self.zoom_by(step))
        QShortcut(QKeySequence("Ctrl+0"), self, lambda: self.set_zoom(1.0))

        self._sign = QCheckBox("Sign with my identity")
        self._passphrase = QLineEdit()
        self._passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self._passphrase.setPlaceholderText("Identity passphrase")
        self._passphrase.setAccessibleName("Identity passphrase")
        self._passphrase.setText(os.environ.get("IRDESK_IDENTITY_PASSPHRASE", ""))
        self._passphrase.returnPressed.connect(self.save)
        self._who = QLabel()
        self._who.setTextFormat(Qt.TextFormat.PlainText)
        self._who.setWordWrap(True)
        self._who.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # muted, in light and dark
        self._sign.toggled.connect(self._passphrase.setEnabled)
        self._identity_seen: object = ()  # what the identity looked like when last shown
        self.refresh_identity()

        self._bar = QProgressBar()
        self._bar.setRange(0, 100)
        self._status = QLabel("")
        self._status.setTextFormat(Qt.TextFormat.PlainText)
        self._status.setWordWrap(True)
        self._save = QPushButton("Save…")
        self._save.setDefault(True)
        self._save.clicked.connect(self.save)
        self._print = QPushButton("Print…")
        self._print.clicked.connect(self.print_report)
        self._stop = QPushButton("Cancel")
        self._stop.clicked.connect(self._cancel.set)
        self._stop.setVisible(False)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)

        close.setAutoDefault(False)
        self._print.setAutoDefault(False)
        self._stop.setAutoDefault(False)
        zoom_row = QHBoxLayout()
        zoom_row.addWidget(QLabel("Zoom"))
        zoom_row.addWidget(self._zoom_out)
        zoom_row.addWidget(self._zoom_label)
        zoom_row.addWidget(self._zoom_in)
        zoom_row.addWidget(self._fit)
        zoom_row.addStretch(1)
        sign_row = QHBoxLayout()
        sign_row.addWidget(self._sign)
        sign_row.addWidget(self._passphrase, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self._bar, 1)
        buttons.addWidget(self._stop)
        buttons.addWidget(self._print)
        buttons.addWidget(self._save)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(zoom_row)
        layout.addWidget(scroll, 1)
        layout.addLayout(sign_row)
        layout.addWidget(self._who)
        unencrypted = QLabel("Not encrypted: the saved PDF can be read by anyone who gets the file. "
                             "Signing proves who made it; it does not hide it.")
        unencrypted.setWordWrap(True)
        unencrypted.setStyleSheet("color: #8a4b00;")
        layout.addWidget(unencrypted)
        layout.addWidget(self._status)
        layout.addLayout(buttons)

    # ---------------------------------------------------------------- identity

    def refresh_identity(self) -> None:
        """Read the signing identity now (one may have been created since the app started)."""
        info = read_info()
        seen = None if info is None else (info.name, info.fingerprint)
        if seen == self._identity_seen:
            return
        self._identity_seen = seen
        if info is None:
            self._sign.setChecked(False)
            self._sign.setEnabled(False)
            self._sign.setToolTip("No signing identity: create one with `irdesk identity new`.")
            self._who.setText("No signing identity yet: the report will be saved unsigned.")
        else:
            self._sign.setEnabled(True)
            self._sign.setToolTip("")
            self._sign.setChecked(True)
            self._who.setText(f"{info.name} · certificate {info.fingerprint[:16].upper()}…")
        self._passphrase.setEnabled(self._sign.isChecked())

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        self.refresh_identity()
        super().showEvent(event)

    # ---------------------------------------------------------------- zoom

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self._scroll.viewport() and event.type() == QEvent.Type.Resize:
            self._relayout.start()
        return False

    def fit_width(self) -> int:
        """The width, in screen pixels, at which a page fills the preview's width."""
        return max(200, self._scroll.viewport().width() - 32)

    def page_width(self) -> int:
        return int(self.fit_width() * self._zoom)

    def set_zoom(self, zoom: float) -> None:
        self._zoom = min(max(zoom, ZOOMS[0]), ZOOMS[-1])
        self._zoom_label.setText(f"{round(self._zoom * 100)} %")
        self._zoom_out.setEnabled(self._zoom > ZOOMS[0])
        self._zoom_in.setEnabled(self._zoom < ZOOMS[-1])
        self._show_pages()

    def zoom_by(self, steps: int) -> None:
        current = min(range(len(ZOOMS)), key=lambda i: abs(ZOOMS[i] - self._zoom))
        self.set_zoom(ZOOMS[min(max(current + steps, 0), len(ZOOMS) - 1)])

    def _dpi_for(self, width: int) -> float:
        return min(RENDER_DPI_LIMIT, max(48.0, width * self.devicePixelRatioF() / PAGE_INCHES))

    def _show_pages(self) -> None:
        """Lay the rendered pages out at the zoomed width; render again if they would blur."""
        if not self._images:
            return
        width = self.page_width()
        wanted = self._dpi_for(width)
        if wanted > self._render_dpi * 1.25 and self._render_dpi < RENDER_DPI_LIMIT:
            self._render_again(wanted)
        ratio = self.devicePixelRatioF()
        for index, image in enumerate(self._images):
            item = self._pages_layout.itemAt(index)
            label = item.widget() if item is not None else None
            if not isinstance(label, QLabel):
                continue
            pixmap = QPixmap.fromImage(image).scaledToWidth(
                max(1, int(width * ratio)), Qt.TransformationMode.SmoothTransformation)
            pixmap.setDevicePixelRatio(ratio)
            label.setPixmap(pixmap)

    def _render_again(self, dpi: float) -> None:
        built = self._preview
        if built is None or self._rendering:
            return
        self._rendering = True

        def render(_job: Job) -> tuple[float, tuple[QImage, ...]]:
            from irdesk.report.preview import render_pages

            return dpi, tuple(_image(p) for p in render_pages(built.pdf, dpi))

        def rendered(result: tuple[float, tuple[QImage, ...]]) -> None:
            self._rendering = False
            if built is self._preview:
                self._render_dpi, images = result
                self._images = list(images)
                self._show_pages()

        def failed(_message: str) -> None:
            self._rendering = False

        self._jobs.start(render, owner=self, on_done=rendered, on_error=failed)

    # ---------------------------------------------------------------- preview

    def refresh_preview(self) -> None:
        """Build an unsigned draft in the background and show its pages."""
        responder, cancel = self._responder(), self._cancel
        dpi = self._dpi_for(self.page_width())

        def build(reader: CaseFile, job: Job) -> tuple[BuiltReport, float, tuple[QImage, ...]]:
            from irdesk.report.preview import render_pages
            from irdesk.report.service import build_report

            built = build_report(reader, responder=responder, progress=lambda p: job.progress(p, 100),
                                 cancelled=cancel.is_set)
            return built, dpi, tuple(_image(p) for p in render_pages(built.pdf, dpi))

        self._start("Preparing the preview…")
        self._session.read(build, owner=self, on_done=self._preview_done, on_error=self._failed,
                           on_progress=self._on_progress)

    def _preview_done(self, outcome: tuple[BuiltReport, float, tuple[QImage, ...]]) -> None:
        self._finish()
        built, dpi, pages = outcome
        self._preview = built
        self._render_dpi, self._images = dpi, list(pages)
        while self._pages_layout.count():
            item = self._pages_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for number in range(1, len(pages) + 1):
            label = QLabel()
            label.setAccessibleName(f"Page {number}")
            label.setStyleSheet("background: white; border: 1px solid #52606d;")
            self._pages_layout.addWidget(label)
        self._show_pages()
        self._status.setText(f"Preview of report {built.report_id}: {len(pages)} pages.")

    @property
    def page_count(self) -> int:
        return self._pages_layout.count()

    # ---------------------------------------------------------------- save

    def save(self) -> None:
        if self._busy:
            return
        suggested = os.path.join(os.path.dirname(self._session.path), "after-action-report.pdf")
        path, _ = QFileDialog.getSaveFileName(self, "Save the report", path_text(suggested), "PDF (*.pdf)")
        if not path:
            return
        path = path_from_text(path)
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        # The file dialog asked before an existing file is replaced; a case file never is.
        try:
            check_destination(path, protect=(self._session.path,), replace=True)
        except KnownError as exc:
            self._status.setText(shown(exc.message))
            return
        self.refresh_identity()  # the identity as it is now, not as it was when the dialog opened
        signing = self._sign.isEnabled() and self._sign.isChecked()
        passphrase = self._passphrase.text() if signing else None
        if signing and not passphrase:
            self._status.setText("Type the identity passphrase to sign, or untick “Sign”.")
            self._passphrase.setFocus()
            return
        responder = self._responder()
        report_id = self._preview.report_id if self._preview is not None else None
        cancel = self._cancel

        def build(reader: CaseFile, job: Job) -> BuiltReport:
            from irdesk.report.service import build_report

            identity = None
            if passphrase is not None:
                from irdesk.identity.keys import load_identity

                identity = load_identity(passphrase)
            built = build_report(reader, responder=responder, identity=identity, report_id=report_id,
                                 progress=lambda p: job.progress(p, 100), cancelled=cancel.is_set)
            if cancel.is_set():
                raise Cancelled()
            return built

        def record(built: BuiltReport) -> None:
            from irdesk.report.service import issue_report

            self._session.write(lambda case: issue_report(case, built, path, replace=True), owner=self,
                                on_done=lambda _issue: self._saved_done(built, path), on_error=self._failed)

        self._start("Unlocking the identity and signing…" if signing else "Building the report…")
        self._session.read(build, owner=self, on_done=record, on_error=self._failed,
                           on_progress=self._on_progress)

    def _saved_done(self, built: BuiltReport, path: str) -> None:
        self._finish()
        self._saved = built
        state = "signed" if built.signed else "unsigned"
        self._status.setText(f"Saved report {built.report_id} ({state}) to {shown(path)}.")

    # ---------------------------------------------------------------- print

    def print_report(self, printer: QPrinter | None = None) -> bool:
        """Print the saved report (or, before saving, the draft) through the system dialog."""
        built = self._saved or self._preview
        if built is None or self._busy:
            return False
        if printer is None:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            dialog = QPrintDialog(printer, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
        from irdesk.report.preview import render_pages

        dpi = min(printer.resolution(), PRINT_DPI_LIMIT)
        painter = QPainter()
        if not painter.begin(printer):
            self._status.setText("The printer could not be started.")
            return False
        try:
            for index, page in enumerate(render_pages(built.pdf, dpi)):
                if index:
                    printer.newPage()
                image = _image(page)
                area = QRectF(painter.viewport())
                scale = min(area.width() / image.width(), area.height() / image.height())
                target = QRectF(0, 0, image.width() * scale, image.height() * scale)
                painter.drawImage(target, image)
        finally:
            painter.end()
        what = "the saved report" if self._saved is not None else "the unsaved draft"
        self._status.setText(f"Sent {what} {built.report_id} to the printer.")
        return True

    # ---------------------------------------------------------------- busy state

    def _start(self, message: str) -> None:
        self._busy = True
        self._cancel.clear()
        self._stop.setVisible(True)
        self._bar.setValue(0)
        self._status.setText(message)
        self._save.setEnabled(False)
        self._print.setEnabled(False)

    def done(self, result: int) -> None:
        """Closing cancels a build in progress; the dialog goes away once its job has ended."""
        self._closed = True
        if self._busy:
            self._cancel.set()
        super().done(result)
        if not self._busy and self.dispose_when_closed:
            self.deleteLater()

    def _finish(self) -> None:
        if self._closed and self.dispose_when_closed:
            self.deleteLater()
        self._busy = False
        self._stop.setVisible(False)
        self._bar.setValue(100)
        self._save.setEnabled(True)
        self._print.setEnabled(True)

    def _on_progress(self, percent: int, _total: int = 100) -> None:
        self._bar.setValue(percent)

    def _failed(self, message: str) -> None:
        self._finish()
        self._status.setText(message)


def show_report_dialog(parent: QWidget | None, session: CaseSession,
                       responder: Callable[[], str] | None = None) -> ReportDialog:
    """Open the export dialog for the session's case (modeless; returns the dialog)."""
    dialog = ReportDialog(session, parent, responder)
    dialog.dispose_when_closed = True
    dialog.show()
    return dialog
