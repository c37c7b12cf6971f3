"""The programme report of a readiness book: signed like a case's report, checked with
``verify --book`` (and refused against another book), drills apart from incidents, the period,
and never a word of a case's notes (a canary filed with a case)."""

from __future__ import annotations

import subprocess
from datetime import date

import pytest
from hypothesis import given, settings

from irdesk.casefile import operations as ops
from irdesk.casefile.book_store import BookFile
from irdesk.casefile.filing import file_case
from irdesk.casefile.starting import start_from_book
from irdesk.casefile.store import CaseFile
from irdesk.domain.enums import Tlp
from irdesk.domain.errors import BadInput
from irdesk.domain.records import Contact, ReportIssue
from irdesk.report.errors import NotGenuine
from irdesk.report.programme import Period, build_programme, check_period, gather_programme
from irdesk.report.service import RECORDED_BY_BOOK, build_report, issue_report, verify_report
from tests.casefile.test_filing import CANARY, at, work
from tests.conftest import PASSPHRASE, require_tool
from tests.report.test_arbitrary_text import TEXT, _assert_pdf


@pytest.fixture
def book(tmp_path):
    from irdesk.casefile.operations.book import add_book_contact, add_system

    b = BookFile.create(str(tmp_path / "team.irbook"), PASSPHRASE, title="SOC readiness", actor="Lead")
    dana = add_book_contact(b, "Dana Ng", team="Network", phone="+1 555 0100", last_verified=date(2025, 1, 10)).value
    add_system(b, "Edge firewall", owner_id=dana.id, logs="traffic", retention_days=30)
    yield b
    b.close()


@pytest.fixture
def filed(tmp_path, book):
    """An incident full of canaries and a drill, both started from the book and filed into it."""
    with CaseFile.create(str(tmp_path / "incident.ircase"), PASSPHRASE, title="Harbour phish", actor="Ana",
                         fill=lambda new: start_from_book(new, book)) as incident:
        work(incident)
        file_case(book, incident)
    with CaseFile.create(str(tmp_path / "drill.ircase"), PASSPHRASE, title="Reach the network team", actor="Ana",
                         drill=True, fill=lambda new: start_from_book(new, book)) as drill:
        dana = drill.records.all(Contact)[0]
        ops.edit_case(drill, first_activity_at=at("2026-11-20T09:00Z"), detected_at=at("2026-11-20T09:05Z"))
        ops.add_engagement(drill, dana.id, "ask for the VPN runbook", needed_at=at("2026-11-20T09:10Z"),
                           reached_at=at("2026-11-20T09:20Z"))
        file_case(book, drill)
    return book


@pytest.fixture
def signed(filed, identity, tmp_path):
    built = build_programme(filed, responder="Ana Responder", period=Period(None, None), identity=identity)
    path = tmp_path / "programme.pdf"
    issue_report(filed, built, str(path))
    return path, built


def test_the_programme_report_signs_and_pdfsig_accepts_it(signed):
    path, built = signed
    out = subprocess.run([require_tool("pdfsig"), str(path)], capture_output=True, text=True).stdout
    assert "Signature is Valid" in out and "Total document signed" in out
    assert built.signed and path.read_bytes() == built.pdf


def test_verify_book_accepts_it_and_the_book_recorded_it(signed, filed, identity):
    path, built = signed
    verified = verify_report(path.read_bytes(), book=filed, pinned=identity.info.fingerprint)
    assert verified.claims.kind == "book" and verified.claims.case_id == filed.book_id
    assert verified.claims.chain_head == built.chain_head and RECORDED_BY_BOOK in verified.trusted_as
    (issued,) = filed.records.all(ReportIssue)
    assert (issued.report_id, issued.signed, issued.signer_fingerprint) == (
        built.report_id, True, identity.info.fingerprint)


def test_verify_book_refuses_it_against_another_book_and_as_a_case_report(signed, tmp_path, case):
    path, _ = signed
    with BookFile.create(str(tmp_path / "other.irbook"), PASSPHRASE, title="Other team", actor="Lead") as other:
        with pytest.raises(NotGenuine, match="different book"):
            verify_report(path.read_bytes(), book=other)
    with pytest.raises(NotGenuine, match="programme report"):
        verify_report(path.read_bytes(), case=case)


def test_a_case_report_is_refused_by_verify_book(filed, identity, tmp_path, case):
    built = build_report(case, responder="Ana Responder", identity=identity)
    issue_report(case, built, str(tmp_path / "case.pdf"))
    with pytest.raises(NotGenuine, match="not a programme report"):
        verify_report(built.pdf, book=filed)


def test_a_canary_in_a_case_never_reaches_the_programme_report(signed):
    path, built = signed
    shown = subprocess.run([require_tool("pdftotext"), str(path), "-"], capture_output=True, text=True).stdout
    text = " ".join(shown.split())
    assert "Harbour phish" in text and "Reach the network team" in text  # the titles are there…
    assert CANARY not in text and CANARY.encode() not in built.pdf  # …never a word of the notes
    assert "Give the SOC read access to firewall logs" in text  # action items are labels


def test_drills_are_counted_apart_from_incidents(filed):
    c = gather_programme(filed, responder="Ana", period=Period(None, None))
    assert [f.entry.title for f in c.incidents] == ["Harbour phish"]
    assert [f.entry.title for f in c.drills] == ["Reach the network team"]
    assert c.medians.time_to_engage is not None and c.medians.time_to_engage.total_seconds() == 3.5 * 3600
    assert c.drill_medians.time_to_engage is not None and c.drill_medians.time_to_engage.total_seconds() == 600
    assert sum(q.cases for q in c.quarters) == 1 and sum(q.cases for q in c.drill_quarters) == 1
    assert c.follow_through.proposed == 1 and c.drill_follow_through.proposed == 0


def test_the_period_chooses_the_cases_and_the_strictest_marking_wins(filed, tmp_path):
    c = gather_programme(filed, responder="Ana", period=Period(date(2026, 11, 15), date(2026, 12, 31)))
    assert (len(c.incidents), len(c.drills)) == (0, 1)
    assert gather_programme(filed, responder="Ana", period=Period(None, date(2025, 1, 1))).quarters == []
    with CaseFile.create(str(tmp_path / "red.ircase"), PASSPHRASE, title="Board laptop", actor="Ana",
                         tlp=Tlp.RED) as red:
        ops.edit_case(red, detected_at=at("2026-11-03T10:00Z"))
        file_case(filed, red, accept_tlp=True)
    assert gather_programme(filed, responder="Ana", period=Period(None, None)).tlp is Tlp.RED
    assert gather_programme(filed, responder="Ana", period=Period(date(2026, 11, 15), None)).tlp is Tlp.AMBER


def test_a_period_that_ends_before_it_starts_is_one_sentence():
    with pytest.raises(BadInput, match=r"ends \(2026-01-01\) before it starts \(2026-06-30\)"):
        check_period(date(2026, 6, 30), date(2026, 1, 1))


def test_the_case_report_sets_the_earlier_incidents_and_drills_beside_this_one(filed, tmp_path):
    from irdesk.casefile.starting import started_from
    from irdesk.report.history import read_history

    with CaseFile.create(str(tmp_path / "next.ircase"), PASSPHRASE, title="Printer worm", actor="Ana",
                         fill=lambda new: start_from_book(new, filed)) as case:
        ops.edit_case(case, first_activity_at=at("2026-11-25T08:00Z"), detected_at=at("2026-11-25T08:30Z"))
        assert started_from(case, filed.book_id) and not started_from(case, "0" * 36)
        history = read_history(filed, case.case_id, date(2026, 11, 25))
        assert [f.entry.title for f in history.incidents] == ["Harbour phish"]
        assert [f.entry.title for f in history.drills] == ["Reach the network team"]
        assert read_history(filed, case.case_id, date(2026, 10, 31)).incidents == []  # nothing before
        built = build_report(case, responder="Ana", history=history)
    path = tmp_path / "case.pdf"
    path.write_bytes(built.pdf)
    page = subprocess.run([require_tool("pdftotext"), "-f", "2", "-l", "2", str(path), "-"], capture_output=True,
                          text=True).stdout
    page = " ".join(page.split())
    assert "Beside the team's earlier cases" in page and "This case 30 min" in page
    assert "Earlier incidents: median of 1 2 h 00 min 6 h 00 min 3 h 30 min 6 h 00 min" in page
    assert "Earlier drills: median of 1 5 min" in page and "Reach the network team" in page
    assert CANARY not in page


def test_a_deputys_programme_report_verifies_against_the_book_after_the_merge(filed, identity, tmp_path):
    from irdesk.casefile.handoff import write_handoff_copy
    from irdesk.casefile.merge import open_other, plan_merge

    copy = write_handoff_copy(filed, str(tmp_path / "deputy.irbook"), PASSPHRASE)
    with BookFile.open(copy.path, PASSPHRASE, actor="Deputy") as deputy:
        built = build_programme(deputy, responder="Deputy", period=Period(None, None), identity=identity)
        issue_report(deputy, built, str(tmp_path / "deputy.pdf"))
        back = write_handoff_copy(deputy, str(tmp_path / "back.irbook"), PASSPHRASE)
    with pytest.raises(NotGenuine, match="no record of issuing|does not appear"):
        verify_report(built.pdf, book=filed)
    other = open_other(filed, back.path, PASSPHRASE)
    try:
        ops.merge(filed, other, plan_merge(filed, other))
    finally:
        other.close()
    assert RECORDED_BY_BOOK in verify_report(built.pdf, book=filed).trusted_as


def test_markup_in_the_books_labels_prints_literally(filed, tmp_path):
    from irdesk.casefile.operations.book import add_book_contact

    add_book_contact(filed, '<a href="file:///etc/passwd">Lee</a> <b>Park</b>', escalation="<img src=x/>")
    built = build_programme(filed, responder="<font color=red>Ana</font>", period=Period(None, None))
    path = tmp_path / "p.pdf"
    path.write_bytes(built.pdf)
    text = " ".join(subprocess.run([require_tool("pdftotext"), str(path), "-"], capture_output=True,
                                   text=True).stdout.split())
    assert '<a href="file:///etc/passwd">Lee' in text and "</a> <b>Park</b>" in text and "<img src=x/>" in text
    assert "<font color=red>Ana</font>" in text
    assert b"/URI" not in built.pdf and b"/Launch" not in built.pdf


@pytest.fixture(scope="module")
def programme_base(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("programme") / "team.irbook")
    with BookFile.create(path, PASSPHRASE, title="Arbitrary labels", actor="T") as book:
        return gather_programme(book, responder="T", period=Period(None, None))


@settings(max_examples=15, deadline=None)
@given(title=TEXT, name=TEXT, owner=TEXT)
def test_any_label_in_the_book_makes_a_valid_programme_report(programme_base, title, name, owner):
    """Titles, names and owners are user text: markup, controls, scripts, huge words all print."""
    import dataclasses

    from irdesk.domain.book import BookAction, BookContact, RegisterEntry
    from irdesk.domain.filed_figures import CaseFigures
    from irdesk.domain.moment import Moment
    from irdesk.domain.readiness import ActionsAcross, ContactStanding, OpenAction, reachability
    from irdesk.report.programme_layout import render_programme

    now = Moment.now()
    stamps = {"rev": "r", "parent_rev": None, "created": now, "updated": now, "author": "T"}
    entry = RegisterEntry(id="e", title=title or "x", filed_at=now, detected_at=now, **stamps)
    item = BookAction(id="a", entry_id="e", title=title, owner=owner, due=date(2020, 1, 1), **stamps)
    person = BookContact(id="c", name=name or "x", escalation=owner, team=title, **stamps)
    standing = ContactStanding(person, None, True, reachability([]), reachability([]))
    opened = OpenAction(item, entry, True)
    content = dataclasses.replace(
        programme_base, book=dataclasses.replace(programme_base.book, title=title or "x"),
        incidents=[CaseFigures(entry, now.local.date(), None, None, None, None, None, 0, 0)],
        actions=ActionsAcross([opened], [opened], []), stale=[standing], unreached=[standing])
    _assert_pdf(render_programme(content))


def test_a_register_entry_forged_behind_the_chain_is_never_printed(filed, tmp_path):
    from irdesk.casefile.errors import TamperedCase
    from irdesk.domain.book import RegisterEntry
    from tests.casefile.tamper import raw_connect

    entry = next(e for e in filed.records.all(RegisterEntry) if not e.drill)
    path, raw = filed.path, filed.raw_key()
    filed.close()
    conn = raw_connect(path, raw)
    conn.execute("UPDATE register SET title = 'FORGED title' WHERE id = ?", (entry.id,))
    conn.close()
    with BookFile.open(path, PASSPHRASE, actor="Lead") as book:
        length = book.chain_length
        with pytest.raises(TamperedCase, match=f"register {entry.id}"):
            issue_report(book, build_programme(book, responder="Ana", period=Period(None, None)),
                         str(tmp_path / "forged.pdf"))
        assert book.chain_length == length and book.records.all(ReportIssue) == []
    assert not (tmp_path / "forged.pdf").exists()
