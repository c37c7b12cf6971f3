"""The readiness book as a second file kind on the same core: its own application id, schema
and records; check, hand-off, merge and the verified reader as for a case."""

from __future__ import annotations

import pytest

from irdesk.casefile import operations as ops
from irdesk.casefile.book_store import BookFile
from irdesk.casefile.check import check_case
from irdesk.casefile.errors import NotACaseFile, NotAllowed, TamperedCase
from irdesk.casefile.handoff import write_handoff_copy
from irdesk.casefile.kinds import BOOK, BOOK_APPLICATION_ID, CASE, CASE_APPLICATION_ID, by_extension
from irdesk.casefile.merge import open_other, plan_merge
from irdesk.casefile.operations.book import add_book_contact, add_system, add_vendor, edit_book_contact
from irdesk.casefile.store import CaseFile
from irdesk.domain.book import BookContact, Vendor
from irdesk.domain.enums import Phase, Tlp
from irdesk.domain.errors import ExitCode
from irdesk.domain.records import Note, System
from tests.casefile.tamper import raw_connect
from tests.conftest import PASSPHRASE

OTHER = "second-copy-lantern-58-quartz"


@pytest.fixture
def book_path(tmp_path):
    return str(tmp_path / "team.irbook")


@pytest.fixture
def book(book_path):
    b = BookFile.create(book_path, PASSPHRASE, title="SOC readiness", actor="Lead", tlp=Tlp.GREEN)
    yield b
    b.close()


def test_a_new_book_is_marked_and_checks(book):
    assert book.book().title == "SOC readiness" and book.book().tlp is Tlp.GREEN
    assert book.db.scalar("PRAGMA application_id") == BOOK_APPLICATION_ID
    assert book.db.scalar("PRAGMA user_version") == BOOK.schema.version
    report = check_case(book)
    assert report.ok, report.problems
    assert book.db.meta("format_version") == "1"  # the same key derivation as a case


def test_a_new_case_is_marked_too(case):
    assert case.db.scalar("PRAGMA application_id") == CASE_APPLICATION_ID


def test_a_book_is_not_a_case_and_the_reverse(book, book_path, case, case_path):
    book.close()
    case.close()
    with pytest.raises(NotACaseFile, match="is a readiness book, not a case file") as found:
        CaseFile.open(book_path, PASSPHRASE)
    assert found.value.exit_code == ExitCode.NOT_A_CASE
    with pytest.raises(NotACaseFile, match="is a case file, not a readiness book") as found:
        BookFile.open(case_path, PASSPHRASE)
    assert found.value.exit_code == ExitCode.NOT_A_CASE


def test_a_case_from_before_marking_is_still_a_case(case, case_path):
    raw = case.raw_key()
    case.close()
    conn = raw_connect(case_path, raw)
    conn.execute("PRAGMA application_id = 0")
    conn.close()
    CaseFile.open(case_path, PASSPHRASE).close()
    with pytest.raises(NotACaseFile, match="is a case file, not a readiness book"):
        BookFile.open(case_path, PASSPHRASE)


def test_an_unknown_mark_is_refused(book, book_path):
    raw = book.raw_key()
    book.close()
    conn = raw_connect(book_path, raw)
    conn.execute("PRAGMA application_id = 12345")
    conn.close()
    with pytest.raises(NotACaseFile, match="not a readiness book"):
        BookFile.open(book_path, PASSPHRASE)


def test_the_extension_names_the_kind():
    assert by_extension("x/Team.IRBOOK") is BOOK
    assert by_extension("x/case.ircase") is CASE and by_extension("x/other") is CASE


def test_directory_systems_and_vendors(book):
    dana = add_book_contact(book, "Dana Ng", team="Network", phone="+1 555 0100", escalation="Ask Lee",
                            on_call="Weekdays 8-18").value
    system = add_system(book, "Edge firewall", owner_id=dana.id, logs="traffic, VPN", retention_days=30).value
    vendor = add_vendor(book, "Acme MSSP", support_line="+1 555 0199", sla="4 h", contract_ref="C-77",
                        may_call="SOC leads", contact_id=dana.id).value
    assert book.records.get(System, system.id).owner_id == dana.id
    assert book.records.get(Vendor, vendor.id).contract_ref == "C-77"
    edited = edit_book_contact(book, dana.id, phone="+1 555 0101").value
    assert [r.record.phone for r in book.records.history(BookContact, dana.id)] == ["+1 555 0100"]
    assert edited.phone == "+1 555 0101"
    assert check_case(book).ok


def test_the_book_refuses_what_it_never_holds(book):
    with pytest.raises(NotAllowed, match="does not belong in a readiness book"):
        ops.add_note(book, Phase.DETECTION, "a note in a book")  # type: ignore[arg-type]
    with pytest.raises(NotAllowed, match="retention in days cannot be negative"):
        add_system(book, "SIEM", retention_days=-1)
    with pytest.raises(NotAllowed, match="contact's name is empty"):
        add_book_contact(book, "  ")


def test_an_owner_must_be_in_the_directory(book):
    from irdesk.casefile.errors import NoSuchRecord

    with pytest.raises(NoSuchRecord, match="in this book"):
        add_system(book, "SIEM", owner_id="00000000-0000-0000-0000-000000000000")


def test_a_record_forged_behind_the_chain_is_refused(book, book_path):
    dana = add_book_contact(book, "Dana Ng", phone="+1 555 0100").value
    raw = book.raw_key()
    book.close()
    conn = raw_connect(book_path, raw)
    conn.execute("UPDATE directory SET phone = '+1 555 6666' WHERE id = ?", (dana.id,))
    conn.close()
    with BookFile.open(book_path, PASSPHRASE, writable=False) as opened:
        with pytest.raises(TamperedCase, match=f"book-contact {dana.id} differs"):
            opened.records.get(BookContact, dana.id)
        report = check_case(opened)
        assert not report.ok and any(dana.id in p for p in report.problems)


def test_a_case_record_kind_chained_into_a_book_is_found(book):
    with book.transaction():  # a well-linked chain that names a note: a book never holds one
        book.chain.append(action="create", entity="note", entity_id="n1", record_hash="00" * 32)
    problems = check_case(book).problems
    assert "The audit chain names a note record, which a readiness book never holds." in problems


def test_handoff_copy_of_a_book(book, tmp_path):
    add_book_contact(book, "Dana Ng")
    copy = write_handoff_copy(book, str(tmp_path / "copy.irbook"), OTHER)
    with BookFile.open(copy.path, OTHER, writable=False) as received:
        assert received.book_id == book.book_id
        assert received.fingerprint() == copy.fingerprint
        assert received.db.scalar("PRAGMA application_id") == BOOK_APPLICATION_ID
        assert [c.name for c in received.records.all(BookContact)] == ["Dana Ng"]
        assert check_case(received).ok


def test_two_diverged_books_merge_and_converge(book, tmp_path):
    dana = add_book_contact(book, "Dana Ng", phone="+1 555 0100").value
    copy = write_handoff_copy(book, str(tmp_path / "deputy.irbook"), OTHER)
    add_system(book, "Edge firewall", retention_days=30)
    edit_book_contact(book, dana.id, on_call="Weekdays")
    with BookFile.open(copy.path, OTHER, actor="Deputy") as deputy:
        add_book_contact(deputy, "Lee Park", kind="vendor")
        edit_book_contact(deputy, dana.id, escalation="Ask Lee")
        back = write_handoff_copy(deputy, str(tmp_path / "back.irbook"), OTHER)
    other = open_other(book, back.path, OTHER)
    try:
        result = ops.merge(book, other, plan_merge(book, other)).value
    finally:
        other.close()
    assert result.plan.added == 1 and len(result.plan.conflicts) == 1
    merged = book.records.get(BookContact, dana.id)
    assert (merged.on_call, merged.escalation) == ("", "Ask Lee")  # the later edit wins …
    kept = [r.record for r in book.records.history(BookContact, dana.id) if r.conflict]
    assert [k.on_call for k in kept] == ["Weekdays"]  # … and the other stays, as a conflict to settle
    assert sorted(c.name for c in book.records.all(BookContact)) == ["Dana Ng", "Lee Park"]
    # the deputy merges the lead's book back: both now hold the same records
    lead = write_handoff_copy(book, str(tmp_path / "lead.irbook"), OTHER)
    with BookFile.open(back.path, OTHER, actor="Deputy") as deputy:
        other = open_other(deputy, lead.path, OTHER)
        try:
            ops.merge(deputy, other, plan_merge(deputy, other))
        finally:
            other.close()
        mine = {(type(r).__name__, r.id, r.rev) for cls in BOOK.record_types for r in book.records.iter_all(cls)}
        theirs = {(type(r).__name__, r.id, r.rev) for cls in BOOK.record_types for r in deputy.records.iter_all(cls)}
        assert mine == theirs
        assert check_case(deputy).ok
        other = open_other(deputy, lead.path, OTHER)  # a second merge of the same copy changes nothing
        try:
            assert plan_merge(deputy, other).empty
        finally:
            other.close()


def test_a_case_cannot_be_merged_into_a_book(book, case, case_path):
    case.close()
    with pytest.raises(NotACaseFile, match="is a case file, not a readiness book"):
        open_other(book, case_path, PASSPHRASE)


def test_a_note_in_a_case_never_reaches_a_book_read(book, case):
    ops.add_note(case, Phase.DETECTION, "only in the case")
    assert book.counts().keys() == BOOK.by_kind.keys()
    assert "note" not in book.counts()
    assert all(n.body != "x" for n in case.records.all(Note))
