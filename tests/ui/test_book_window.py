"""The Book window and filing the open case from the GUI (offscreen)."""

from __future__ import annotations

from datetime import date

import pytest

from irdesk.casefile import operations as ops
from irdesk.casefile.book_store import BookFile
from irdesk.casefile.filing import file_case
from irdesk.casefile.operations.book import add_book_contact, add_system
from irdesk.casefile.starting import start_from_book
from irdesk.casefile.store import CaseFile
from irdesk.domain.book import BookAction, BookContact, RegisterEntry
from irdesk.domain.enums import Tlp
from irdesk.domain.moment import Moment
from tests.conftest import PASSPHRASE

BOOK_PASS = "book-lantern-orbit-58-quartz"


@pytest.fixture
def paths(tmp_path):
    """A book with a contact and a system, and a closed case started from it with an engagement."""
    book_path, case_path = str(tmp_path / "team.irbook"), str(tmp_path / "case.ircase")
    with BookFile.create(book_path, BOOK_PASS, title="SOC readiness", actor="Lead") as book:
        dana = add_book_contact(book, "Dana Ng", team="Network", escalation="Ask Lee",
                                last_verified=date(2025, 1, 1)).value
        add_system(book, "Edge firewall", owner_id=dana.id, retention_days=30)
        with CaseFile.create(case_path, PASSPHRASE, title="Harbour", actor="Ana",
                             fill=lambda new: start_from_book(new, book)) as case:
            needed = Moment.parse("2026-11-01T10:00Z")
            ops.add_engagement(case, dana.id, "firewall", needed_at=needed,
                               reached_at=Moment.parse("2026-11-01T11:30Z"))
            ops.add_action(case, "Read access to firewall logs", owner="Dana", due=date(2026, 1, 1))
            ops.add_contact(case, "Lee Park")
    return case_path, book_path


def test_book_window_shows_the_book(qtbot, qtmodeltester, paths):
    from irdesk.ui.book.session import BookSession
    from irdesk.ui.book.window import BookWindow

    case_path, book_path = paths
    with BookFile.open(book_path, BOOK_PASS) as book, CaseFile.open(case_path, PASSPHRASE, writable=False) as case:
        file_case(book, case)
    session = BookSession(BookFile.open(book_path, BOOK_PASS))
    window = BookWindow(session)
    qtbot.addWidget(window)
    for model in (window.contacts, window.action_items, window.register, window.systems, window.vendors):
        qtmodeltester.check(model)
    assert window.windowTitle() == "SOC readiness — readiness book — irdesk"
    assert [s.contact.name for s in window.contacts.rows()] == ["Dana Ng"]
    assert "median 1 h 30 min to reach over 1 engagement" in window.contacts.data(window.contacts.index(0, 4))
    assert [a.item.title for a in window.action_items.rows()] == ["Read access to firewall logs"]
    assert window.action_items.data(window.action_items.index(0, 3), 9) is not None  # overdue: in red
    assert window.gaps.item(0).text() == "No gap came back with the same system, team or vendor."
    assert "1 incident(s) and 0 drill(s) filed" in window.counts.text()
    window.close()
    assert session.closed


def test_file_the_open_case_from_the_gui(desk, qtbot, paths, monkeypatch):
    case_path, book_path = paths
    monkeypatch.setenv("IRDESK_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("IRDESK_BOOK_PASSPHRASE", BOOK_PASS)
    desk.start(case_path, book_path)
    assert desk.window is not None and desk.books.window is not None
    asked: list[str] = []
    desk.books.ask = lambda _parent, _title, question: asked.append(question) or True
    desk.file_into_book()
    qtbot.waitUntil(lambda: bool(desk.books.last_filing and desk.books.last_filing.contacts_added), timeout=10000)
    assert "1 of the case's contacts are not in the book's directory (Lee Park). Add them?" in asked
    book = desk.books.session.reader
    book.refresh_head()
    assert book.records.get(RegisterEntry, desk.session.case.case_id).title == "Harbour"
    assert {c.name for c in book.records.all(BookContact)} == {"Dana Ng", "Lee Park"}
    assert [a.title for a in book.records.all(BookAction)] == ["Read access to firewall logs"]
    qtbot.waitUntil(lambda: "Harbour" in [e.title for e in desk.books.window.register.rows()], timeout=5000)
    dana = next(c for c in book.records.all(BookContact) if c.name == "Dana Ng")
    assert dana.last_verified == date(2026, 11, 1)
    desk.lock()  # the book closes with the case
    assert desk.books.session is None and desk.books.window is None


def test_a_stricter_case_is_filed_only_when_the_user_agrees(desk, qtbot, paths, monkeypatch):
    case_path, book_path = paths
    with CaseFile.open(case_path, PASSPHRASE) as case:
        ops.edit_case(case, tlp=Tlp.RED)
    monkeypatch.setenv("IRDESK_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("IRDESK_BOOK_PASSPHRASE", BOOK_PASS)
    desk.start(case_path, book_path)
    desk.books.ask = lambda *_args: False
    desk.file_into_book()
    desk.books.session.settle()
    assert desk.books.last_filing is None
    assert desk.books.session.reader.records.all(RegisterEntry) == []
    desk.books.ask = lambda *_args: True
    desk.file_into_book()
    qtbot.waitUntil(lambda: desk.books.last_filing is not None, timeout=10000)
    desk.books.session.reader.refresh_head()
    (entry,) = desk.books.session.reader.records.all(RegisterEntry)
    assert entry.tlp is Tlp.RED


def test_a_wrong_book_passphrase_is_said(desk, paths, monkeypatch):
    _, book_path = paths
    monkeypatch.setenv("IRDESK_BOOK_PASSPHRASE", "not-the-passphrase-at-all")
    assert not desk.books.open(book_path)
    assert "passphrase is wrong" in desk.books.message


def test_gui_refuses_a_book_named_as_the_case(paths):
    from irdesk.cli import run

    _, book_path = paths
    assert run(["gui", book_path]) == 4


def test_new_case_from_the_book(qtbot, paths, tmp_path):
    from irdesk.domain.records import ChecklistItem, Contact
    from irdesk.ui.new_case_dialog import NewCaseDialog

    _, book_path = paths
    with BookFile.open(book_path, BOOK_PASS, writable=False) as book:
        dialog = NewCaseDialog("Test Responder", folder=str(tmp_path), book=book)
        qtbot.addWidget(dialog)
        assert dialog.from_book.isChecked() and "SOC readiness" in dialog.from_book.text()
        dialog.title.setText("Second incident")
        dialog.path.setText(str(tmp_path / "second.ircase"))
        dialog.passphrase.first.setText("harbour-violet-tram-93-quietly")
        dialog.passphrase.second.setText("harbour-violet-tram-93-quietly")
        dialog.create_case()
        assert dialog.case is not None, dialog.error.text()
        directory = {c.id for c in book.records.all(BookContact)}
    with dialog.case as case:
        assert {c.id for c in case.records.all(Contact)} == directory
        assert case.records.all(ChecklistItem)  # the book has none: the template's


def test_closing_the_case_offers_filing(desk, qtbot, paths, monkeypatch, message_boxes):
    from PySide6.QtWidgets import QMessageBox

    from irdesk.domain.enums import ActionStatus, CaseStatus
    from irdesk.domain.records import ActionItem

    case_path, book_path = paths
    with CaseFile.open(case_path, PASSPHRASE) as case:
        (item,) = case.records.all(ActionItem)
        ops.edit_action(case, item.id, status=ActionStatus.TESTED, verification="done")
    monkeypatch.setenv("IRDESK_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("IRDESK_BOOK_PASSPHRASE", BOOK_PASS)
    desk.start(case_path, book_path)
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *_a, **_k: QMessageBox.StandardButton.Yes))
    desk.session.write(lambda c: ops.set_status(c, CaseStatus.CLOSED))
    qtbot.waitUntil(lambda: desk.books.last_filing is not None, timeout=10000)
    assert desk.books.last_filing.entry.title == "Harbour"


def test_adding_to_the_book_from_its_window(qtbot, paths):
    from irdesk.domain.records import System
    from irdesk.ui.book.dialogs import BookEntryDialog
    from irdesk.ui.book.session import BookSession
    from irdesk.ui.book.window import BookWindow

    _, book_path = paths
    session = BookSession(BookFile.open(book_path, BOOK_PASS))
    window = BookWindow(session)
    qtbot.addWidget(window)
    dana = window.contacts.rows()[0].contact
    dialog = BookEntryDialog("system", [(dana.id, dana.name)], window)
    qtbot.addWidget(dialog)
    dialog.edits["name"].setText("SIEM")
    dialog.edits["logs"].setText("everything")
    dialog.retention.setValue(365)
    dialog.owner.setCurrentIndex(1)
    assert dialog.fields() == {"name": "SIEM", "logs": "everything", "retention_days": 365, "owner_id": dana.id}
    window.add("system", dialog.fields())
    window.add("contact", {"name": "Lee Park", "escalation": "Dana"})
    window.add("vendor", {"name": "Acme", "sla": "4 h", "contact_id": dana.id})
    qtbot.waitUntil(lambda: len(window.vendors.rows()) == 1, timeout=5000)
    assert {s.name for s in window.systems.rows()} == {"Edge firewall", "SIEM"}
    assert {s.contact.name for s in window.contacts.rows()} == {"Dana Ng", "Lee Park"}
    siem = next(s for s in session.reader.records.all(System) if s.name == "SIEM")
    assert (siem.retention_days, siem.owner_id) == (365, dana.id)
    empty = BookEntryDialog("contact", [], window)
    qtbot.addWidget(empty)
    empty._accept()
    assert empty.error.text() == "Give a name."
    window.close()
