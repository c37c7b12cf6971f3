"""File ▸ Merge a colleague's copy…: choose the copy, preview the changes, merge, settle conflicts.

Opening and verifying the other copy and planning run in the background on a read-only
connection (``session.read``); applying the plan is an operation on the writer thread
(``session.write``), ordered after every pending write. Progress and cancel go through
the job.
"""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from irdesk.casefile import operations as ops
from irdesk.casefile.changes import Done
from irdesk.casefile.conflicts import Conflict, Resolution, list_conflicts
from irdesk.casefile.merge import MergePlan, MergeResult, open_other, plan_merge
from irdesk.casefile.store import CaseFile
from irdesk.domain.paths import shown
from irdesk.ui.jobs import Job
from irdesk.ui.merge_models import ChangesModel, ConflictsModel, differing_fields
from irdesk.ui.paths import path_from_text
from irdesk.ui.session import CaseSession

ERROR_STYLE = "color: #c0392b; font-weight: bold"
CHOOSE, PREVIEW, CONFLICTS = range(3)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class MergeDialog(QDialog):
    def __init__(self, session: CaseSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.plan: MergePlan | None = None
        self.result_merge: MergeResult | None = None
        self._other: CaseFile | None = None  # used by one job at a time, never concurrently
        self._cancel = threading.Event()
        self.setWindowTitle("Merge a colleague's copy")
        self.resize(760, 520)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._choose_page())
        self.pages.addWidget(self._preview_page())
        self.pages.addWidget(self._conflicts_page())
        self.bar = QProgressBar()
        self.bar.setVisible(False)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.buttons = QDialogButtonBox()
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setAutoDefault(False)
        self.next_button = self.buttons.addButton("Preview", QDialogButtonBox.ButtonRole.ActionRole)
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self._next)
        self.cancel_button.clicked.connect(self._cancel_clicked)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.bar)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._busy = False

    # ---------------------------------------------------------------- pages

    def _choose_page(self) -> QWidget:
        page = QWidget()
        intro = QLabel(
            "Bring every note, record and attachment from a colleague's copy of this case into "
            "it. Nothing is lost: where you both edited the same record, both versions are kept "
            "and you choose afterwards. You see a preview before anything changes."
        )
        intro.setWordWrap(True)
        self.other_path = QLineEdit()
        self.other_path.setAccessibleName("The colleague's copy")
        choose = QPushButton("Choose…")
        choose.setAutoDefault(False)  # Enter in a field means "Preview", never "Choose…"
        choose.clicked.connect(self._choose)
        row = QHBoxLayout()
        row.addWidget(self.other_path, 1)
        row.addWidget(choose)
        self.other_passphrase = QLineEdit()
        self.other_passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.other_passphrase.setAccessibleName("Passphrase of the colleague's copy")
        self.other_passphrase.returnPressed.connect(self._next)
        self.other_path.returnPressed.connect(self.other_passphrase.setFocus)
        form = QFormLayout()
        form.addRow("Their copy", row)
        form.addRow("Its passphrase", self.other_passphrase)
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addStretch(1)
        return page

    def _preview_page(self) -> QWidget:
        page = QWidget()
        self.preview_text = QLabel()
        self.preview_text.setWordWrap(True)
        self.changes = ChangesModel()
        self.changes_view = _table(self.changes, 2)
        layout = QVBoxLayout(page)
        layout.addWidget(self.preview_text)
        layout.addWidget(self.changes_view, 1)
        return page

    def _conflicts_page(self) -> QWidget:
        page = QWidget()
        self.conflicts_text = QLabel()
        self.conflicts_text.setWordWrap(True)
        self.conflicts = ConflictsModel()
        self.conflicts_view = _table(self.conflicts, 1)
        self.conflicts_view.selectionModel().currentRowChanged.connect(self._show_conflict)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.detail.setAccessibleName("The two versions")
        self.keep_current = QPushButton("Keep current")
        self.take_other = QPushButton("Take other version")
        self.keep_both = QPushButton("Keep both")
        for button in (self.keep_current, self.take_other, self.keep_both):
            button.setAutoDefault(False)  # a choice is made by a deliberate click, not by Enter
        for button, how in (
            (self.keep_current, Resolution.KEEP_CURRENT),
            (self.take_other, Resolution.TAKE_OTHER),
            (self.keep_both, Resolution.KEEP_BOTH),
        ):
            button.clicked.connect(lambda _=False, how=how: self._resolve(how))
        choices = QHBoxLayout()
        choices.addStretch(1)
        for button in (self.keep_current, self.take_other, self.keep_both):
            choices.addWidget(button)
        layout = QVBoxLayout(page)
        layout.addWidget(self.conflicts_text)
        layout.addWidget(self.conflicts_view, 1)
        layout.addWidget(self.detail, 1)
        layout.addLayout(choices)
        return page

    # ---------------------------------------------------------------- flow

    def _choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "The colleague's copy", "", "Case files (*.ircase)"
        )
        if path:
            self.other_path.setText(path)

    def _next(self) -> None:
        page = self.pages.currentIndex()
        if page == CHOOSE:
            self.preview()
        elif page == PREVIEW:
            self.merge()
        else:
            self.accept()

    def preview(self) -> None:
        path, passphrase = path_from_text(self.other_path.text()), self.other_passphrase.text()
        if not path:
            self.error.setText("Choose the colleague's copy.")
            return
        self._start("Opening and checking the other copy…")
        self._close_other()
        cancel = self._cancel

        def plan(reader: CaseFile, job: Job) -> tuple[CaseFile, MergePlan]:
            """Unlock and verify the other copy, then plan (nothing is written)."""
            other = open_other(reader, path, passphrase)
            try:
                return other, plan_merge(reader, other, cancelled=cancel.is_set, progress=job.progress)
            except BaseException:
                other.close()
                raise

        self.session.read(plan, owner=self, on_done=self._previewed, on_error=self._failed,
                          on_progress=lambda d, t: self._moved(d, t, "Working out the changes…"))

    def _previewed(self, outcome: tuple[CaseFile, MergePlan]) -> None:
        self._other, plan = outcome
        self._stop()
        self.other_passphrase.clear()
        self.plan = plan
        self.changes.set_plan(plan)
        if plan.empty:
            text = (
                "Nothing to merge: this case already holds everything in the other copy "
                f"(fingerprint {plan.other_fingerprint})."
            )
        else:
            text = (
                f"Merging <b>{_escape(shown(plan.other_path))}</b> (fingerprint "
                f"<b>{plan.other_fingerprint}</b>) will <b>add {plan.added}</b>, "
                f"<b>update {plan.updated}</b> and leave <b>{len(plan.conflicts)} "
                "conflict(s)</b> with both versions kept for you to choose."
            )
        self.preview_text.setText(text)
        self.pages.setCurrentIndex(PREVIEW)
        self.next_button.setText("Close" if plan.empty else "Merge")

    def merge(self) -> None:
        plan = self.plan
        if plan is None or plan.empty:
            self.accept()
            return
        self._start("Merging…")
        other, self._other, cancel = self._other, None, self._cancel
        assert other is not None

        def merge(case: CaseFile, job: Job) -> Done[tuple[MergeResult, list[Conflict]]]:
            try:
                done = ops.merge(case, other, plan, cancelled=cancel.is_set, progress=job.progress)
            finally:
                other.close()
            return Done((done.value, list_conflicts(case)), done.changes)

        self.session.write_tracked(merge, on_done=self._merged, on_error=self._failed, owner=self,
                                   on_progress=lambda d, t: self._moved(d, t, "Merging…"))

    def _merged(self, outcome: tuple[MergeResult, list[Conflict]]) -> None:
        self._stop()
        result, conflicts = outcome
        self.result_merge = result
        self._show_conflicts(conflicts, result.summary())
        self.cancel_button.setVisible(False)
        self.next_button.setText("Done")
        self.pages.setCurrentIndex(CONFLICTS)

    def _show_conflicts(self, conflicts: list[Conflict], summary: str = "") -> None:
        self.conflicts.set_conflicts(conflicts)
        if conflicts:
            text = (
                f"{summary} Choose a version for each conflict below, or keep both as two "
                "records. Until you choose, the later edit is shown and the other is kept."
            )
            self.conflicts_view.selectRow(0)
        else:
            text = f"{summary} No conflicts are left."
            self.detail.setText("")
        self.conflicts_text.setText(text.strip())
        for button in (self.keep_current, self.take_other, self.keep_both):
            button.setEnabled(bool(conflicts))

    def _show_conflict(self, current: Any, _previous: Any = None) -> None:
        row = current.row()
        if not 0 <= row < len(self.conflicts.conflicts):
            return
        conflict = self.conflicts.conflicts[row]
        lines = [
            "<table cellpadding='4'><tr><th></th><th align='left'>Current</th>"
            "<th align='left'>Other version</th></tr>"
        ]
        for name, mine, theirs in differing_fields(conflict):
            lines.append(
                f"<tr><td><b>{_escape(name)}</b></td><td>{_html(mine)}</td>"
                f"<td>{_html(theirs)}</td></tr>"
            )
        lines.append(
            f"<tr><td></td><td><i>{_escape(conflict.current.author)}</i></td>"
            f"<td><i>{_escape(conflict.other.author)}</i></td></tr></table>"
        )
        self.detail.setText("".join(lines))
        self.keep_both.setEnabled(conflict.can_keep_both)

    def _resolve(self, how: Resolution) -> None:
        row = self.conflicts_view.currentIndex().row()
        if not 0 <= row < len(self.conflicts.conflicts):
            return
        conflict = self.conflicts.conflicts[row]

        def settle(case: CaseFile) -> Done[list[Conflict]]:
            done = ops.settle_conflict(case, conflict, how)
            return Done(list_conflicts(case), done.changes)

        self.session.write(settle, on_done=self._show_conflicts, on_error=self._failed, owner=self)

    # ---------------------------------------------------------------- busy, errors, cancel

    def _start(self, what: str) -> None:
        self._busy = True
        self._cancel.clear()
        self.error.setText("")
        self.status.setText(what)
        self.bar.setRange(0, 0)
        self.bar.setVisible(True)
        self.next_button.setEnabled(False)
        self._page_enabled(False)

    def _moved(self, done: int, total: int, what: str) -> None:
        if not self._busy:
            return
        self.status.setText(what)
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)

    def _page_enabled(self, enabled: bool) -> None:
        page = self.pages.currentWidget()
        if page is not None:
            page.setEnabled(enabled)

    def _stop(self) -> None:
        self._busy = False
        self.status.setText("")
        self.bar.setVisible(False)
        self.next_button.setEnabled(True)
        self._page_enabled(True)

    def _failed(self, message: str) -> None:
        self._stop()
        self.error.setText(message)
        if self.pages.currentIndex() == PREVIEW:  # the preview is stale; start again
            self.plan = None
            self.pages.setCurrentIndex(CHOOSE)
            self.next_button.setText("Preview")

    def _cancel_clicked(self) -> None:
        if self._busy:
            self._cancel.set()
            self.status.setText("Cancelling…")
        else:
            self.reject()

    def _close_other(self) -> None:
        if self._other is not None:
            self._other.close()
            self._other = None

    def done(self, code: int) -> None:
        self._close_other()
        super().done(code)


def _html(text: str) -> str:
    return _escape(text).replace("\n", "<br>")


def _table(model: Any, stretch_from: int) -> QTableView:
    """A read-only, row-selecting table; columns from ``stretch_from`` on share the width."""
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    header = view.horizontalHeader()
    for column in range(model.columnCount()):
        mode = (
            QHeaderView.ResizeMode.ResizeToContents
            if column < stretch_from
            else QHeaderView.ResizeMode.Stretch
        )
        header.setSectionResizeMode(column, mode)
    view.setWordWrap(False)
    return view


def show_merge_dialog(parent: QWidget | None, session: CaseSession, path: str = "") -> MergeDialog:
    """Open the merge dialog (window-modal, returns at once); the lead's menu calls this, and
    the window with ``path`` when a colleague's copy is dropped onto it (then only its
    passphrase is asked; nothing changes before the preview is accepted)."""
    dialog = MergeDialog(session, parent)
    if path:
        dialog.other_path.setText(path)
        dialog.other_passphrase.setFocus()
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
