"""The case window: header strip, the four phase tabs, evidence and contacts, and the menus."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol

from PySide6.QtCore import QPoint
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from irdesk.casefile.changes import Changes
from irdesk.domain.enums import CaseStatus, Gap, Phase, RecordKind
from irdesk.domain.records import Note
from irdesk.ui.contacts.panel import ContactsPanel
from irdesk.ui.drops import FileDrops, one_case_file
from irdesk.ui.evidence.panel import EvidencePanel
from irdesk.ui.header import Header
from irdesk.ui.indicators.panel import IndicatorsPanel
from irdesk.ui.moments import local_zone_label
from irdesk.ui.notes.editor import SaveState
from irdesk.ui.notes.tab import PhaseTab
from irdesk.ui.post_incident.action_items import ActionItemsPanel
from irdesk.ui.post_incident.gaps import GapsPanel
from irdesk.ui.post_incident.notifications import NotificationsPanel
from irdesk.ui.post_incident.summary import SummaryPanel
from irdesk.ui.readiness import ReadinessPanel
from irdesk.ui.session import CaseSession
from irdesk.ui.timeline.jump import open_entry
from irdesk.ui.timeline.tab import TimelineTab


class Desk(Protocol):
    """What the window asks of the application (see ``irdesk.ui.app``)."""

    def new_case(self) -> None: ...
    def open_case(self, path: str = "") -> None: ...
    def lock(self, *, idle: bool = False) -> bool: ...
    def quit(self, *, force: bool = False) -> bool: ...
    def change_passphrase(self) -> None: ...
    def open_book(self, path: str = "") -> None: ...
    def new_case_from_book(self) -> None: ...
    def file_into_book(self) -> None: ...
    def copy_secret(self, text: str) -> None: ...
    def set_idle_minutes(self, minutes: int) -> None: ...
    def idle_minutes(self) -> int: ...
    def theme(self) -> str: ...
    def set_theme(self, theme: str) -> None: ...
    def responder(self) -> str: ...


@dataclass
class Place:
    """Where the user was, to come back to after unlocking (ids only, never text)."""

    tab: int = 0
    notes: dict[str, str] = field(default_factory=dict)  # phase → selected note id
    sections: dict[str, int] = field(default_factory=dict)  # phase → section tab


class MainWindow(QMainWindow):
    def __init__(self, session: CaseSession, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.desk = session, desk
        self.setWindowTitle(f"{session.reader.case().title} — irdesk")
        self.header = Header(session)
        self.readiness = ReadinessPanel(session)
        self.summary = SummaryPanel(session)
        self.gaps = GapsPanel(session)
        self.actions_panel = ActionItemsPanel(session)
        self.notifications = NotificationsPanel(session)
        self.indicators = IndicatorsPanel(session)
        extras: dict[Phase, list[tuple[str, QWidget]]] = {
            Phase.PREPARATION: [("Readiness checklist", self.readiness)],
            Phase.DETECTION: [("Indicators", self.indicators)],
            Phase.POST_INCIDENT: [
                ("Summary", self.summary),
                ("Gaps", self.gaps),
                ("Action items", self.actions_panel),
                ("Notifications", self.notifications),
            ],
        }
        self.phase_tabs = {phase: PhaseTab(session, phase, extras.get(phase)) for phase in Phase}
        self.evidence = EvidencePanel(session)
        self.contacts = ContactsPanel(session)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Sections")
        for phase, tab in self.phase_tabs.items():
            self.tabs.addTab(tab, phase.label.replace("&", "&&"))
            self.tabs.setTabToolTip(self.tabs.count() - 1, f"CSF 2.0: {phase.csf}")
        self.tabs.addTab(self.evidence, "Evidence")
        self.tabs.addTab(self.contacts, "Contacts")
        self.timeline = TimelineTab(session)
        self.tabs.addTab(self.timeline, "Timeline")
        self.timeline.open_entry.connect(lambda entry: open_entry(self, entry))
        self.gaps.open_note.connect(self.show_note)
        self.indicators.open_note.connect(self.show_note)
        self.indicators.note_source = lambda: self.phase_tabs[Phase.DETECTION].editor.note
        self.header.deadline.open_requested.connect(self.show_notifications)
        self.damage = QLabel()
        self.damage.setWordWrap(True)
        self.damage.setAccessibleName("The case is damaged")
        self.damage.setStyleSheet(
            "QLabel { color: white; background: #a93226; font-weight: bold; padding: 6px 10px; }"
        )
        self.damage.hide()
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.damage)
        layout.addWidget(self.header)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.session.failed.connect(lambda message: self.statusBar().showMessage(message, 15000))
        self.build_file_menu()
        self.case_menu = self.build_case_menu()
        self.build_notes_menu()
        self.build_settings_menu()
        self.build_help_menu()
        self.session.damaged.connect(self.show_damage)
        if session.damage:  # found while the panels above read their first records
            self.show_damage(session.damage)
        self.tabs.currentChanged.connect(lambda _index: self.focus_work_area())
        for tab in self.phase_tabs.values():
            if tab.sections is not None:
                tab.sections.currentChanged.connect(lambda _index: self.focus_work_area())
        self.fingerprint = QLabel()
        self.fingerprint.setAccessibleName("Case fingerprint")
        self.fingerprint.setToolTip(
            "Read this to a colleague who receives a copy: the same fingerprint means the same case "
            "at the same version."
        )
        self._show_fingerprint()
        self.session.changed.connect(self._show_fingerprint)
        self._status = session.reader.case().status
        self.session.changed.connect(self._offer_filing)
        self.drops = FileDrops(self, one_case_file, lambda paths, _at: self.offer_merge(paths[0]))
        self.statusBar().addPermanentWidget(self.fingerprint)
        self.statusBar().addPermanentWidget(QLabel(f"Times in local time ({local_zone_label()})"))
        available = self.screen().availableGeometry()  # a 1024×600 laptop up to a 4K screen
        self.resize(min(max(1280, available.width() * 3 // 4), 1800, available.width()),
                    min(max(820, available.height() * 3 // 4), 1150, available.height()))

    def show_damage(self, message: str) -> None:
        """Say the case is damaged and make it read-only (the session refuses every write)."""
        self.damage.setText(
            f"This case is damaged and is now read-only. {message} Nothing more is saved to it; "
            "`irdesk salvage` makes a new case of what its audit chain still vouches for."
        )
        self.damage.show()
        for tab in self.phase_tabs.values():
            tab.set_read_only()
        self.header.set_read_only()
        for action in self.case_menu.actions():  # status and key times: read-only too
            action.setEnabled(False)
        self.statusBar().showMessage("The case is damaged: read-only.")

    # ------------------------------------------------------------ menus
    def _action(
        self,
        menu: QMenu,
        text: str,
        slot: Any,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    ) -> QAction:
        action = menu.addAction(text)
        action.triggered.connect(lambda _=False: slot())
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        return action

    def build_file_menu(self) -> QMenu:
        menu = self.menuBar().addMenu("&File")
        self._action(menu, "&New case…", self.desk.new_case, "Ctrl+Shift+N")
        self._action(menu, "New case from the &book…", self.desk.new_case_from_book)
        self._action(
            menu, "&Open case…", lambda: self.desk.open_case(""), QKeySequence.StandardKey.Open
        )
        menu.addSeparator()
        self._action(menu, "After-action &report…", self.show_report, QKeySequence.StandardKey.Print)
        self._action(menu, "&Verify report…", self.show_verify)
        self._action(menu, "&Export…", self.show_export, "Ctrl+E")
        self._action(menu, "&Import…", self.show_import, "Ctrl+I")
        menu.addSeparator()
        self._action(menu, "&Hand off to a colleague…", self.show_handoff)
        self._action(menu, "&Merge a colleague's copy…", lambda: self.show_merge())
        menu.addSeparator()
        self._action(menu, "Readiness &book…", lambda: self.desk.open_book(""), "Ctrl+B")
        self._action(menu, "&File this case into the book…", self.desk.file_into_book)
        menu.addSeparator()
        self._action(menu, "Change &passphrase…", self.desk.change_passphrase)
        self._action(
            menu,
            "Copy case &fingerprint",
            lambda: self.desk.copy_secret(self.session.reader.fingerprint()),
        )
        self._action(menu, "&Lock", self.desk.lock, "Ctrl+L")
        menu.addSeparator()
        self._action(menu, "&Quit", self.desk.quit, QKeySequence.StandardKey.Quit)
        self.file_menu = menu
        return menu

    # The dialogs load their services (reportlab, pyHanko…) only when first asked for.
    def show_report(self) -> None:
        from irdesk.ui.report_dialog import show_report_dialog

        show_report_dialog(self, self.session, self.desk.responder)

    def show_verify(self) -> None:
        from irdesk.ui.verify_dialog import show_verify_dialog

        show_verify_dialog(self, self.session)

    def show_export(self) -> None:
        from irdesk.ui.interop_dialogs import show_export_dialog

        show_export_dialog(self, self.session)

    def show_import(self) -> None:
        from irdesk.ui.interop_dialogs import show_import_dialog

        show_import_dialog(self, self.session)

    def show_handoff(self) -> None:
        from irdesk.ui.handoff_dialog import show_handoff_dialog

        show_handoff_dialog(self, self.session)

    def show_merge(self, path: str = "") -> None:
        from irdesk.ui.merge_dialog import show_merge_dialog

        self.merge_dialog = show_merge_dialog(self, self.session, path)

    def offer_merge(self, path: str) -> None:
        """A case file dropped onto the window: offer to merge it (this case itself: say so)."""
        if os.path.samefile(path, self.session.path):
            self.statusBar().showMessage("That is this case itself: drop a colleague's copy to merge it.", 8000)
            return
        self.show_merge(path)

    def _show_fingerprint(self, _changes: Changes | None = None) -> None:
        self.fingerprint.setText(f"Fingerprint {self.session.reader.fingerprint()}")

    def _offer_filing(self, changes: Changes) -> None:
        """When the case has just closed, offer to file it into the readiness book."""
        if not changes.touches(RecordKind.CASE):
            return
        before, self._status = self._status, self.session.reader.case().status
        if self._status is not CaseStatus.CLOSED or before is CaseStatus.CLOSED:
            return
        answer = QMessageBox.question(
            self, "The case is closed",
            "File its figures and action items into the team's readiness book now? (No note text is "
            "copied. You can do it later from the File menu.)",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self.desk.file_into_book()

    def build_case_menu(self) -> QMenu:
        """The deliberate acts on the case record: each one opens a dialog that asks first."""
        menu = self.menuBar().addMenu("&Case")
        self._action(menu, "Change &status…", self.header.change_status, "Ctrl+Shift+S")
        self._action(menu, "&Key times…", self.header.edit_times, "Ctrl+K")
        menu.addSeparator()
        self._action(menu, "&Deleted items…", self.show_deleted, "Ctrl+Shift+D")
        return menu

    def show_deleted(self) -> None:
        from irdesk.ui.deleted_items import DeletedItemsDialog

        self.deleted_dialog = DeletedItemsDialog(self.session, self)
        self.session.closing.connect(self.deleted_dialog.reject)
        self.deleted_dialog.open()

    def build_notes_menu(self) -> QMenu:
        menu = self.menuBar().addMenu("&Notes")
        self._action(menu, "&New note", self.new_note, "Ctrl+N")
        self._action(menu, "&Search notes…", self.search, QKeySequence.StandardKey.Find)
        self._action(menu, "Mark a &gap…", self.choose_gap, "Ctrl+G")
        menu.addSeparator()
        for number, phase in enumerate(Phase, start=1):
            self._action(menu, phase.label, lambda i=number - 1: self.show_tab(i), f"Ctrl+{number}")
        self._action(menu, "Evidence", lambda: self.show_tab(self.tabs.indexOf(self.evidence)), "Ctrl+5")
        self._action(menu, "Contacts", lambda: self.show_tab(self.tabs.indexOf(self.contacts)), "Ctrl+6")
        self._action(menu, "Timeline", lambda: self.show_tab(self.tabs.indexOf(self.timeline)), "Ctrl+7")
        return menu

    def show_tab(self, index: int) -> None:
        """Show a tab and put the keyboard where typing is safe (also when it was shown already)."""
        self.tabs.setCurrentIndex(index)
        self.focus_work_area()

    def build_settings_menu(self) -> QMenu:
        menu = self.menuBar().addMenu("&Settings")
        self._action(menu, "Auto-&lock after…", self.choose_idle_minutes)
        appearance = menu.addMenu("&Appearance")
        group = QActionGroup(appearance)
        for key, label in (("system", "Follow the &system"), ("light", "&Light"), ("dark", "&Dark")):
            action = appearance.addAction(label)
            action.setCheckable(True)
            action.setChecked(self.desk.theme() == key)
            action.triggered.connect(lambda _=False, key=key: self.desk.set_theme(key))
            group.addAction(action)
        return menu

    def build_help_menu(self) -> QMenu:
        from irdesk.ui.about import show_about

        menu = self.menuBar().addMenu("&Help")
        shortcuts = self._action(menu, "&Keyboard shortcuts", self.show_shortcuts, "F1")
        shortcuts.setShortcuts([QKeySequence("F1"), QKeySequence("Ctrl+/")])
        self._action(menu, "&About irdesk", lambda: show_about(self))
        return menu

    def show_shortcuts(self) -> None:
        from irdesk.ui.shortcuts import show_shortcuts

        show_shortcuts(self)

    # ------------------------------------------------------------ focus
    def focus_work_area(self) -> None:
        """Put the keyboard focus where typing is safe: the note editor of the phase shown
        (typing starts a note), else the tab's table; never a control that changes the case."""
        tab = self.current_phase_tab()
        if tab is not None and (tab.sections is None or tab.sections.currentIndex() == 0):
            tab.editor.text.setFocus()
            return
        widget = self.tabs.currentWidget()
        if tab is not None and tab.sections is not None:
            widget = tab.sections.currentWidget()
        target = getattr(widget, "focus_target", None)
        if callable(target):
            target().setFocus()
        elif widget is not None:
            widget.setFocus()

    # ------------------------------------------------------------ notes
    def current_phase_tab(self) -> PhaseTab | None:
        widget = self.tabs.currentWidget()
        return widget if isinstance(widget, PhaseTab) else None

    def new_note(self) -> None:
        tab = self.current_phase_tab()
        if tab is None:
            tab = self.phase_tabs[Phase.DETECTION]
            self.tabs.setCurrentWidget(tab)
        tab.new_note()

    def choose_gap(self) -> None:
        tab = self.current_phase_tab()
        if tab is None:
            self.statusBar().showMessage("Open a note in a phase tab to mark it as a gap.", 5000)
            return
        menu = QMenu(self)
        menu.setAccessibleName("Mark the note as a gap")
        for number, gap in enumerate(Gap, start=1):  # one key each: letters would collide
            menu.addAction(f"&{number}  {gap.label}", partial(tab.mark_gap, gap))
        menu.addSeparator()
        menu.addAction("&0  No gap", lambda: tab.mark_gap(None))
        editor = tab.editor.text
        menu.popup(editor.mapToGlobal(QPoint(editor.width() // 3, 20)))

    def search(self) -> None:
        from irdesk.ui.search import SearchDialog

        dialog = SearchDialog(self.session, self)
        dialog.open_note.connect(self.show_note)
        dialog.open_note.connect(lambda _: dialog.close())
        dialog.show()
        self.search_dialog = dialog

    def show_notifications(self) -> None:
        """The Notifications panel on the Post-incident tab (where the header's countdown leads)."""
        tab = self.phase_tabs[Phase.POST_INCIDENT]
        self.tabs.setCurrentWidget(tab)
        if tab.sections is not None:
            tab.sections.setCurrentWidget(self.notifications)
        deadline = self.header.deadline.deadline
        if deadline is not None:
            self.notifications.select(deadline.regime.id, deadline.stage.key)

    def show_note(self, note: Note) -> None:
        tab = self.phase_tabs[note.phase]
        self.tabs.setCurrentWidget(tab)
        tab.show_note(note)
        tab.editor.text.setFocus()

    def choose_idle_minutes(self) -> None:
        minutes, ok = QInputDialog.getInt(
            self,
            "Auto-lock",
            "Lock after this many idle minutes (0: never)",
            self.desk.idle_minutes(),
            0,
            480,
        )
        if ok:
            self.desk.set_idle_minutes(minutes)

    # ------------------------------------------------------------ lock / close
    def save_all(self) -> None:
        """Queue every unsaved edit: notes, the summary, and each record form."""
        for tab in self.phase_tabs.values():
            tab.editor.save()
        self.summary.save()
        for panel in (self.evidence, self.contacts, self.actions_panel):
            panel.save_pending()

    def refused_edits(self) -> list[str]:
        """Form edits the case file refused and that are still not fixed, one sentence each."""
        forms = (self.evidence.form, self.contacts.form, self.contacts.log.form, self.actions_panel.form)
        found = [form.problem for form in forms if form.problem]
        if self.summary.problem:
            found.append(f"The post-incident summary: {self.summary.problem}")
        return found

    def place(self) -> Place:
        place = Place(tab=self.tabs.currentIndex())
        for phase, tab in self.phase_tabs.items():
            if tab.editor.note_id:
                place.notes[phase.value] = tab.editor.note_id
            if tab.sections is not None:
                place.sections[phase.value] = tab.sections.currentIndex()
        return place

    def restore(self, place: Place) -> None:
        for phase, tab in self.phase_tabs.items():
            note = self.session.reader.records.find(Note, place.notes.get(phase.value, ""))
            if note is not None and not note.deleted:
                tab.show_note(note)
            if tab.sections is not None and phase.value in place.sections:
                tab.sections.setCurrentIndex(place.sections[phase.value])
        self.tabs.setCurrentIndex(place.tab)

    def clear(self) -> None:
        """Save, then drop every note's text from the widgets (before the case is closed)."""
        self.save_all()
        for tab in self.phase_tabs.values():
            tab.clear()
        self.gaps.model.clear()
        self.timeline.clear()
        for edit in self.summary.edits.values():
            edit.blockSignals(True)
            edit.clear()

    def unsaved(self) -> list[str]:
        """Why each editor still holds text that is not in the case (after a failed save)."""
        return [
            tab.editor.save_problem or "not saved"
            for tab in self.phase_tabs.values()
            if tab.editor.dirty and tab.editor.save_state is SaveState.FAILED
        ]

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.save_all()
        if self.desk.quit():
            event.accept()
        else:
            event.ignore()
