"""The export dialog: preview the after-action report, sign (or not) and save it, or print it.

Building and signing read the case in the background on their own connection
(``session.read``), so typing and saving go on meanwhile; writing the file and recording
the issue in the case's chain is then one short operation (``session.write``).
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPainter, QPixmap
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
    QVBoxLayout,
    QWidget,
)

from irdesk.casefile.outputs import check_destination
from irdesk.casefile.store import CaseFile
from irdesk.domain.errors import KnownError
from irdesk.domain.paths import shown
from irdesk.identity.store import read_info
from irdesk.report.errors import Cancelled
from irdesk.ui.jobs import Job
from irdesk.ui.paths import path_from_text, path_text
from irdesk.ui.session import CaseSession

if TYPE_CHECKING:
    from irdesk.report.preview import PageImage
    from irdesk.report.service import BuiltReport

PREVIEW_DPI = 56
PRINT_DPI_LIMIT = 300


def _image(page: PageImage) -> QImage:
    return QImage(
        page.pixels, page.width, page.height, page.stride, QImage.Format.Format_ARGB32
    ).copy()


class ReportDialog(QDialog):
    def __init__(self, session: CaseSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("After-action report")
        room = self.screen().availableGeometry()  # a 1024×600 netbook shows the buttons too
        self.resize(min(820, room.width() - 40), min(760, room.height() - 40))
        self._session = session
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

        info = read_info()
        self._sign = QCheckBox("Sign with my identity")
        self._passphrase = QLineEdit()
        self._passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self._passphrase.setPlaceholderText("Identity passphrase")
        self._passphrase.setText(os.environ.get("IRDESK_IDENTITY_PASSPHRASE", ""))
        if info is None:
            self._sign.setEnabled(False)
            self._sign.setToolTip("No signing identity: create one with `irdesk identity new`.")
            who = "No signing identity yet: the report will be saved unsigned."
        else:
            self._sign.setChecked(True)
            who = f"{info.name} · certificate {info.fingerprint[:16].upper()}…"
        self._who = QLabel(who)
        self._who.setTextFormat(Qt.TextFormat.PlainText)
        self._who.setStyleSheet("color: #52606d;")
        self._sign.toggled.connect(self._passphrase.setEnabled)
        self._passphrase.setEnabled(self._sign.isChecked())

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

    # ---------------------------------------------------------------- preview

    def refresh_preview(self) -> None:
        """Build an unsigned draft in the background and show its pages."""
        responder, cancel = self._session.case.actor, self._cancel

        def build(reader: CaseFile, job: Job) -> tuple[BuiltReport, tuple[QImage, ...]]:
            from irdesk.report.preview import render_pages
            from irdesk.report.service import build_report

            built = build_report(reader, responder=responder, progress=lambda p: job.progress(p, 100),
                                 cancelled=cancel.is_set)
            return built, tuple(_image(p) for p in render_pages(built.pdf, PREVIEW_DPI))

        self._start("Preparing the preview…")
        self._session.read(build, owner=self, on_done=self._preview_done, on_error=self._failed,
                           on_progress=self._on_progress)

    def _preview_done(self, outcome: tuple[BuiltReport, tuple[QImage, ...]]) -> None:
        self._finish()
        built, pages = outcome
        self._preview = built
        while self._pages_layout.count():
            item = self._pages_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for image in pages:
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            label.setStyleSheet("background: white; border: 1px solid #52606d;")
            self._pages_layout.addWidget(label)
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
        signing = self._sign.isEnabled() and self._sign.isChecked()
        passphrase = self._passphrase.text() if signing else None
        if signing and not passphrase:
            self._status.setText("Type the identity passphrase to sign, or untick “Sign”.")
            return
        responder = self._session.case.actor
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


def show_report_dialog(parent: QWidget | None, session: CaseSession) -> ReportDialog:
    """Open the export dialog for the session's case (modeless; returns the dialog)."""
    dialog = ReportDialog(session, parent)
    dialog.dispose_when_closed = True
    dialog.show()
    return dialog
