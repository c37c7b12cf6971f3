"""The Book window: the directory ranked by staleness and reachability, recurring gaps, trend
charts per quarter, action items across all incidents and drills, the register, systems and
vendors; Book ▸ New drill…, Book ▸ Programme report…. It holds no note text: the book has none."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QListWidget, QMainWindow, QTableView, QTabWidget, QVBoxLayout, QWidget

from irdesk.casefile.book_view import BookView, read_book_view
from irdesk.casefile.changes import Changes, Done
from irdesk.casefile.operations.book import add_book_contact, add_system, add_vendor
from irdesk.casefile.store import CaseFile
from irdesk.domain.book import RegisterEntry, Vendor
from irdesk.domain.metrics import between
from irdesk.domain.moment import format_duration
from irdesk.domain.paths import shown
from irdesk.domain.readiness import ContactStanding, OpenAction
from irdesk.domain.records import System
from irdesk.ui.book.dialogs import BookEntryDialog
from irdesk.ui.book.drill_dialog import DrillDialog
from irdesk.ui.book.models import SORT_ROLE, Col, RowsModel
from irdesk.ui.book.session import BookSession
from irdesk.ui.book.trend_charts import TrendCharts
from irdesk.ui.tables import fit_columns, record_table

if TYPE_CHECKING:
    from irdesk.ui.book.programme_dialog import ProgrammeDialog


def _minutes(value: int | None) -> str:
    return "—" if value is None else format_duration(timedelta(minutes=value))


def _day(entry: RegisterEntry) -> str:
    when = entry.detected_at or entry.first_activity_at or entry.filed_at
    return when.local.date().isoformat()


def _reach(s: ContactStanding) -> str:
    return s.incidents.sentence()


OpenDrill = Callable[[CaseFile], None]  # the app shows a case (the drill just made) in its main window
Ask = Callable[[QWidget | None, str, str], bool]  # (parent, title, question) -> yes


class BookWindow(QMainWindow):
    """``open_drill`` and ``ask``: when given, a drill just made is offered for opening at once."""

    def __init__(self, session: BookSession, parent: QWidget | None = None, *, open_drill: OpenDrill | None = None,
                 ask: Ask | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.open_drill, self.ask = open_drill, ask
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setAccessibleName("Book")
        self.heading.setStyleSheet("QLabel { font-size: 15pt; font-weight: 600; }")
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        self.counts.setTextFormat(Qt.TextFormat.PlainText)
        self.contacts = RowsModel[ContactStanding]([
            Col("Contact", lambda s: s.contact.name, lambda s: s.contact.name.casefold()),
            Col("Team", lambda s: s.contact.team or s.contact.organisation),
            Col("Phone", lambda s: s.contact.phone),
            Col("Verified", lambda s: s.staleness(), lambda s: -(s.days_unverified or 10**6), lambda s: s.stale),
            Col("Incidents", _reach, lambda s: (s.incidents.median_to_reach or timedelta()).total_seconds(),
                lambda s: bool(s.incidents.unreached_cases)),
            Col("Drills", lambda s: s.drills.sentence("drills") if s.drills.cases else ""),
            Col("Escalation", lambda s: s.contact.escalation),
            Col("On call", lambda s: s.contact.on_call),
        ], self)
        self.action_items = RowsModel[OpenAction]([
            Col("Status", lambda a: a.item.status.value),
            Col("Action item", lambda a: a.item.title),
            Col("Owner", lambda a: a.item.owner),
            Col("Due", lambda a: a.item.due.isoformat() if a.item.due else "", warn=lambda a: a.overdue),
            Col("Case", lambda a: a.entry.title + (" (drill)" if a.entry.drill else "")),
            Col("Verification", lambda a: a.item.verification),
        ], self)
        self.register = RowsModel[RegisterEntry]([
            Col("Detected", _day),
            Col("Case", lambda e: e.title),
            Col("Marking", lambda e: e.tlp.label + (" · drill" if e.drill else "")),
            Col("To detect", lambda e: format_duration(between(e.first_activity_at, e.detected_at)),
                lambda e: _seconds(between(e.first_activity_at, e.detected_at))),
            Col("To contain", lambda e: format_duration(between(e.detected_at, e.contained_at)),
                lambda e: _seconds(between(e.detected_at, e.contained_at))),
            Col("To recover", lambda e: format_duration(between(e.detected_at, e.recovered_at)),
                lambda e: _seconds(between(e.detected_at, e.recovered_at))),
        ], self)
        self.systems = RowsModel[System]([
            Col("System", lambda s: s.name),
            Col("Logs", lambda s: s.logs),
            Col("Where", lambda s: s.location),
            Col("Retention", lambda s: "—" if s.retention_days is None else f"{s.retention_days} d",
                lambda s: s.retention_days or 0),
            Col("Owner", lambda s: self._names.get(s.owner_id or "", "")),
            Col("Access from", lambda s: s.access_from),
            Col("Logs took", lambda s: _minutes(s.last_obtained_minutes), lambda s: s.last_obtained_minutes or 0),
            Col("Each time", lambda s: ", ".join(format_duration(d) for d in self._obtained.get(s.id, []))),
            Col("In drills", lambda s: ", ".join(format_duration(d) for d in self._drill_obtained.get(s.id, []))),
        ], self)
        self.vendors = RowsModel[Vendor]([
            Col("Vendor", lambda v: v.name), Col("Support line", lambda v: v.support_line), Col("SLA", lambda v: v.sla),
            Col("Contract", lambda v: v.contract_ref), Col("May call", lambda v: v.may_call),
        ], self)
        self._names: dict[str, str] = {}
        self.drill_dialog: DrillDialog | None = None
        self.programme_dialog: ProgrammeDialog | None = None
        self.last_drill = ""  # the path of the last drill made here
        self._obtained: dict[str, list[timedelta]] = {}
        self._drill_obtained: dict[str, list[timedelta]] = {}
        self.gaps = QListWidget()
        self.gaps.setAccessibleName("Recurring gaps")
        self.trends = QListWidget()
        self.trends.setAccessibleName("Getting faster?")
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Book sections")
        self.tables: dict[str, QTableView] = {}
        for title, model in (("Directory", self.contacts), ("Action items", self.action_items),
                             ("Register", self.register), ("Systems", self.systems), ("Vendors", self.vendors)):
            proxy = QSortFilterProxyModel(self)
            proxy.setSourceModel(model)
            proxy.setSortRole(SORT_ROLE)
            table = record_table(proxy, title)
            table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the ranking, until asked
            proxy.sort(-1)
            self.tables[title] = table
            self.tabs.addTab(table, title)
        self.charts = TrendCharts()
        self.tabs.insertTab(1, self.gaps, "Recurring gaps")
        self.tabs.insertTab(2, self.charts, "Trends")
        self.tabs.insertTab(3, self.trends, "Getting faster?")
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.heading)
        layout.addWidget(self.counts)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.fingerprint = QLabel()
        self.fingerprint.setAccessibleName("Book fingerprint")
        self.statusBar().addPermanentWidget(self.fingerprint)
        menu = self.menuBar().addMenu("&Book")
        for kind, label in (("contact", "Add a &contact…"), ("system", "Add a &system…"), ("vendor", "Add a &vendor…")):
            add = QAction(label, self)
            add.triggered.connect(lambda _checked=False, k=kind: self.add(k))
            menu.addAction(add)
        menu.addSeparator()
        drill = QAction("New &drill…", self)
        drill.setStatusTip("A drill case: reach the least recently verified people, request logs of systems")
        drill.triggered.connect(lambda _checked=False: self.new_drill())
        menu.addAction(drill)
        self.drill_action = drill
        programme = QAction("&Programme report…", self)
        programme.setStatusTip("A PDF for senior staff: incidents and drills quarter by quarter, signed if you like")
        programme.triggered.connect(lambda _checked=False: self.programme_report())
        menu.addAction(programme)
        menu.addSeparator()
        close = QAction("&Close the book", self)
        close.setShortcut(QKeySequence.StandardKey.Close)
        close.triggered.connect(self.close)
        menu.addAction(close)
        session.changed.connect(self.refresh)
        session.failed.connect(lambda message: self.statusBar().showMessage(message, 15000))
        self.refresh()
        self.resize(min(1100, self.screen().availableGeometry().width()),
                    min(680, self.screen().availableGeometry().height()))

    def refresh(self, _changes: Changes | None = None) -> None:
        reader = self.session.reader
        with reader.verified():
            view = read_book_view(reader)
        self.show_view(view)

    def show_view(self, view: BookView) -> None:
        b = view.book
        self.setWindowTitle(f"{b.title} — readiness book — irdesk")
        self.heading.setText(f"{b.title}  ·  {b.tlp.label}")
        a, d = view.actions, view.drill_actions
        stale = sum(1 for s in view.contacts if s.stale)
        drills = (f" · from drills: {len(d.open)} open, {len(d.overdue)} overdue, {len(d.untested)} untested"
                  if d.open else "")
        self.counts.setText(
            f"{view.incidents} incident(s) and {view.drills} drill(s) filed · {len(view.contacts)} contacts, "
            f"{stale} stale · action items from incidents: {len(a.open)} open, {len(a.overdue)} overdue, "
            f"{len(a.untested)} untested{drills}")
        self._names, self._obtained, self._drill_obtained = view.names, view.obtained, view.drill_obtained
        self.contacts.set_rows(view.contacts)
        self.action_items.set_rows(a.open + d.open)
        self.register.set_rows(list(reversed(view.entries)))  # the newest first
        self.systems.set_rows(view.systems)
        self.vendors.set_rows(view.vendors)
        self.gaps.clear()
        found = [g.sentence() for g in view.gaps] + [g.sentence("drills") for g in view.drill_gaps]
        self.gaps.addItems(found or ["No gap came back with the same system, team or vendor."])
        self.charts.set_quarters(view.quarters, view.drill_quarters)
        self.trends.clear()
        self.trends.addItems([f"Incidents — {t.sentence()}" for t in view.trends]
                             + [f"Drills — {t.sentence()}" for t in view.drill_trends
                                if any(v is not None for v in t.values)]
                             or ["Nothing filed yet: file a case or a drill to see the trend."])
        for table in self.tables.values():
            fit_columns(table)
        self.fingerprint.setText(f"Fingerprint {view.fingerprint}")

    def add(self, kind: str, fields: dict[str, Any] | None = None) -> None:
        """Add a contact, a system or a vendor (``fields`` given: no form, as a test does)."""
        if fields is None:
            owners = sorted(self._names.items(), key=lambda item: item[1].casefold())
            dialog = BookEntryDialog(kind, owners, self)
            if not dialog.exec():
                return
            fields = dialog.fields()
        given = dict(fields)
        name = str(given.pop("name"))
        adders: dict[str, Callable[..., Done[Any]]] = {"contact": add_book_contact, "system": add_system,
                                                        "vendor": add_vendor}
        adder = adders[kind]
        self.session.write(lambda book: adder(book, name, **given),
                           on_done=lambda _r: self.statusBar().showMessage(f"Added {name}.", 8000))

    def new_drill(self) -> DrillDialog:
        """Book ▸ New drill…: the dialog (window-modal); once it made the drill, say where it is."""
        dialog = DrillDialog(self.session.reader, self.session.book.actor, self,
                             folder=os.path.dirname(os.path.abspath(self.session.path)))
        dialog.accepted.connect(lambda: self._drill_made(dialog))
        self.drill_dialog = dialog
        dialog.open()
        return dialog

    def programme_report(self) -> ProgrammeDialog:
        """Book ▸ Programme report…: the dialog (window-modal) that writes it from this book."""
        from irdesk.ui.book.programme_dialog import ProgrammeDialog

        dialog = ProgrammeDialog(self.session, self.session.book.actor, self)
        self.programme_dialog = dialog
        dialog.open()
        return dialog

    def _drill_made(self, dialog: DrillDialog) -> None:
        if dialog.case is None or dialog.plan is None:
            return
        case, tasks = dialog.case, dialog.plan.tasks
        dialog.case = None
        self.last_drill = case.path
        said = f"Drill written to {shown(case.path)} with {tasks} task(s)."
        if self.open_drill is not None and self.ask is not None and self.ask(
                self, "New drill", f"{said} Open it now? The case open now is saved and closed first."):
            self.open_drill(case)
            return
        case.close()
        self.statusBar().showMessage(f"{said} Open it with File ▸ Open case… to run it, then file it back into the "
                                     "book.", 30000)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self.session.closed:
            self.session.close()
        super().closeEvent(event)


def _seconds(delta: timedelta | None) -> float:
    return -1.0 if delta is None else delta.total_seconds()
