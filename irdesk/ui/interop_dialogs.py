"""The Export… and Import… dialogs: pick a format and a file; the work runs off the GUI thread.

Exports read through their own read-only connection (``session.read``), so a large export
never blocks typing or saving. Imports read and check the file in the background first and
show what they found; the change itself is an operation (``session.write``) like every write.
"""

from __future__ import annotations

import html
import os
from typing import Any

from PySide6.QtCore import QTimer, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from irdesk.casefile.changes import Done
from irdesk.casefile.errors import OutputExists, OverCaseFile, PlaintextCaseName
from irdesk.casefile.outputs import check_destination
from irdesk.casefile.store import CaseFile
from irdesk.domain.paths import shown
from irdesk.interop.exporting import FORMATS, export_case
from irdesk.ui.jobs import JobRunner
from irdesk.ui.paths import path_from_text, path_text
from irdesk.ui.session import CaseSession

IMPORT_FORMATS = {"json": ("irdesk JSON export (merged by UUID)", "JSON files (*.json)"),
                  "vcard": ("vCard address book (2.1, 3.0, 4.0)", "vCard files (*.vcf *.vcard)"),
                  "misp": ("MISP event: its attributes as indicators", "MISP JSON (*.json)")}
_UNITS = {"json": "records", "markdown": "lines", "csv-timeline": "events",
          "stix": "indicators", "vcard": "contacts", "misp": "attributes",
          "thehive": "observables", "jsonl-timeline": "events",
          "veris": "incident records"}


class _FileDialog(QDialog):
    """Shared layout: a format, a file, a status line, a busy bar and the buttons."""

    def __init__(self, parent: QWidget | None, title: str, formats: dict[str, tuple[str, str]],
                 action: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self.jobs = JobRunner(self)
        self.format_box = QComboBox()
        for key, (label, _) in formats.items():
            self.format_box.addItem(label, key)
        self.path_edit = QLineEdit()
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        form = QFormLayout()
        form.addRow("Format:", self.format_box)
        form.addRow("File:", row)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.action_button = self.buttons.addButton(action,
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.rejected.connect(self.reject)
        self.action_button.clicked.connect(self._act)
        self.rows = QVBoxLayout(self)
        self.rows.addLayout(form)
        self.rows.addWidget(self.status)
        self.rows.addWidget(self.busy)
        self.rows.addWidget(self.buttons)

    @property
    def fmt(self) -> str:
        return str(self.format_box.currentData())

    def _browse(self) -> None:  # pragma: no cover - a native dialog; overridden per dialog
        raise NotImplementedError

    def _act(self) -> None:  # pragma: no cover
        raise NotImplementedError

    def _working(self, text: str) -> None:
        self.status.setText(text)
        self.busy.show()
        self.action_button.setEnabled(False)

    def _finished(self, text: str, *, ok: bool) -> None:
        self.busy.hide()
        self.status.setText(text)
        self.status.setStyleSheet("" if ok else "color: #b00020;")
        self.action_button.setEnabled(True)


UNENCRYPTED = ("<b>Not encrypted.</b> {label} is plain text: anyone who gets the file can "
               "read the case in it. Keep it off shared folders and delete it when done.")


class ExportDialog(_FileDialog):
    """Export the open case in one of the export formats (read-only on the case).

    Every format is plaintext, and the dialog says so. It never writes over the open case or
    any other case file, and asks before replacing another existing file.
    """

    def __init__(self, parent: QWidget | None, session: CaseSession) -> None:
        formats = {k: (label, suffix) for k, (label, suffix) in FORMATS.items()}
        super().__init__(parent, "Export case", formats, "Export")
        self.session = session
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #8a4b00;")
        self.rows.insertWidget(1, self.warning)
        self.format_box.currentIndexChanged.connect(self._suggest_name)
        self.format_box.currentIndexChanged.connect(self._explain)
        self._suggest_name()
        self._explain()

    def _explain(self) -> None:
        self.warning.setText(UNENCRYPTED.format(label=html.escape(FORMATS[self.fmt][0].split(" (")[0])))

    def _suggest_name(self) -> None:
        folder = os.path.dirname(os.path.abspath(self.session.path))
        stem = os.path.splitext(os.path.basename(self.session.path))[0]
        current = self.target()
        if current:
            folder = os.path.dirname(current) or folder
        self.path_edit.setText(path_text(os.path.join(folder, stem + FORMATS[self.fmt][1])))

    def target(self) -> str:
        return path_from_text(self.path_edit.text())

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export to", self.path_edit.text(),
                                              options=QFileDialog.Option.DontConfirmOverwrite)
        if path:  # asked below, once, whichever way the name was given
            self.path_edit.setText(path)

    def confirm_replace(self, target: str) -> bool:
        """Ask before an existing file (never a case file) is replaced."""
        answer = QMessageBox.question(
            self, "Replace the file?",
            f"{shown(target)} already exists. Replace it with the export?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _act(self) -> None:
        target, fmt = self.target(), self.fmt
        if not target or os.path.isdir(target):
            self._finished("Choose a file name to export to.", ok=False)
            return
        if not os.path.isdir(os.path.dirname(os.path.abspath(target))):
            self._finished("That folder does not exist.", ok=False)
            return
        replace = False
        try:
            check_destination(target, protect=(self.session.path,), plaintext=True)
        except (OverCaseFile, PlaintextCaseName) as exc:
            self._finished(shown(exc.message), ok=False)
            return
        except OutputExists:
            if not self.confirm_replace(target):
                self._finished("Nothing was exported.", ok=False)
                return
            replace = True
        self.session.flush()  # what the window shows as saved is in the export
        self._working(f"Exporting to {shown(target)}…")
        notices: list[str] = []

        def done(count: int) -> None:
            said = "".join(f" {shown(n)}" for n in notices)
            self._finished(f"Exported {count} {_UNITS[fmt]} to {shown(target)}.{said}", ok=True)

        self.session.read(lambda reader, _job: export_case(reader, fmt, target, replace=replace,
                                                           notice=notices.append),
                          owner=self, on_done=done, on_error=lambda message: self._finished(message, ok=False))


class ImportDialog(_FileDialog):
    """Read a file, show what it holds, then merge it into the open case in one change."""

    def __init__(self, parent: QWidget | None, session: CaseSession) -> None:
        super().__init__(parent, "Import into this case", IMPORT_FORMATS, "Import")
        self.session = session
        self.parsed: Any = None
        self.action_button.setEnabled(False)
        self._typed = QTimer(self)  # read the file as soon as the path names one, not on leaving
        self._typed.setSingleShot(True)
        self._typed.setInterval(300)
        self._typed.timeout.connect(self._path_typed)
        self.path_edit.textChanged.connect(lambda _text: self._typed.start())
        self.path_edit.returnPressed.connect(self.read_file)
        self.format_box.currentIndexChanged.connect(self.read_file)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import from", self.path_edit.text(),
                                              IMPORT_FORMATS[self.fmt][1] + ";;All files (*)")
        if path:
            self.path_edit.setText(path)
            self.read_file()

    def _path_typed(self) -> None:
        path = self.path_edit.text().strip()
        self.parsed = None
        self.action_button.setEnabled(False)
        if os.path.isfile(path):
            self.read_file()
        else:
            self.status.setStyleSheet("")
            self.status.setText("Type or choose the file to import." if path else "")

    @Slot()
    def read_file(self) -> None:
        """Read and check the chosen file on a pool thread; nothing is written yet."""
        self._typed.stop()
        path, fmt = self.path_edit.text().strip(), self.fmt
        self.parsed = None
        if not path:
            return
        self._working(f"Reading {os.path.basename(path)}…")
        self.jobs.start(lambda _job: _read(fmt, path), owner=self,
                        on_done=lambda result: self._preview(fmt, path, result), on_error=self._refused)

    def _refused(self, message: str) -> None:
        self._finished(message + " Nothing was imported.", ok=False)
        self.action_button.setEnabled(False)

    def _preview(self, fmt: str, path: str, result: Any) -> None:
        if (fmt, path) != (self.fmt, self.path_edit.text().strip()):
            return  # the user picked something else meanwhile
        self.parsed = (fmt, path, result)
        if fmt == "vcard":
            names = ", ".join(c.fields["name"] for c in result[:5])
            more = f" and {len(result) - 5} more" if len(result) > 5 else ""
            text = f"{len(result)} card(s): {names}{more}."
        elif fmt == "misp":
            skipped = f", {result.skipped_count} attribute(s) with no indicator kind" if result.skipped else ""
            text = f"MISP event {result.info!r}: {len(result.indicators)} indicator(s){skipped}."
        else:
            other = "" if result.case_id == self.session.case.case_id else \
                f" It is of another case ({result.case.title!r}): its records are merged, " \
                "this case's own title and key times stay."
            text = f"An export with {len(result.records)} record(s).{other}"
        self._finished(text, ok=True)

    def _act(self) -> None:
        if self.parsed is None:
            return
        fmt, path, result = self.parsed
        name = os.path.basename(path)
        if fmt == "vcard":
            from irdesk.interop.vcard import import_vcards

            def work(case: CaseFile) -> Done[Any]:
                return import_vcards(case, result, source=f"vcard {name}")
        elif fmt == "misp":
            from irdesk.interop.misp import import_misp

            def work(case: CaseFile) -> Done[Any]:
                return import_misp(case, result, source=f"misp {name}")
        else:
            from irdesk.interop.jsonimport import merge_export, source_label

            source = source_label(path, result)

            def work(case: CaseFile) -> Done[Any]:
                return merge_export(case, result, source=source)
        self._working("Importing…")
        self.session.write(work, on_done=self._imported, on_error=self._refused, owner=self)

    def _imported(self, summary: Any) -> None:
        self.parsed = None
        self._finished(summary.sentence(), ok=True)
        self.action_button.setEnabled(False)


def _read(fmt: str, path: str) -> Any:
    with open(path, "rb") as handle:
        if fmt == "vcard":
            from irdesk.interop.vcard import read_vcards

            return read_vcards(handle.read())
        if fmt == "misp":
            from irdesk.interop.misp import read_misp

            return read_misp(handle.read())
        from irdesk.interop.jsonimport import load_export

        return load_export(handle)


def show_export_dialog(parent: QWidget | None, session: CaseSession) -> ExportDialog:
    dialog = ExportDialog(parent, session)
    dialog.show()
    return dialog


def show_import_dialog(parent: QWidget | None, session: CaseSession) -> ImportDialog:
    dialog = ImportDialog(parent, session)
    dialog.show()
    return dialog
