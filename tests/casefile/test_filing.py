"""Filing a case into the readiness book: register, action items, directory, systems; filing
again changes nothing; never note text (a canary checked in the book decrypted with its raw key)."""

from __future__ import annotations

from datetime import date

import pytest

from irdesk.casefile import operations as ops
from irdesk.casefile.book_store import BookFile
from irdesk.casefile.check import check_case
from irdesk.casefile.errors import NotAllowed
from irdesk.casefile.filing import file_case
from irdesk.casefile.operations.book import add_book_contact, add_system, edit_book_contact, unfile
from irdesk.casefile.starting import start_from_book
from irdesk.casefile.store import CaseFile
from irdesk.commands.book_summary import render_book
from irdesk.domain.book import BookAction, BookContact, FiledEngagement, FiledEvidence, FiledGap, RegisterEntry
from irdesk.domain.enums import ActionStatus, EvidenceStatus, Gap, IndicatorKind, Phase, Tlp
from irdesk.domain.moment import Moment
from irdesk.domain.records import SUMMARY_FIELDS, Contact, Evidence, System
from tests.casefile.tamper import raw_connect
from tests.conftest import PASSPHRASE

CANARY = "CANARY-7f3a-do-not-leak"


def at(text: str) -> Moment:
    return Moment.parse(text)


@pytest.fixture
def book(tmp_path):
    b = BookFile.create(str(tmp_path / "team.irbook"), PASSPHRASE, title="SOC readiness", actor="Lead")
    dana = add_book_contact(b, "Dana Ng", team="Network", phone="+1 555 0100", email="dana@example.org",
                            last_verified=date(2025, 1, 10)).value
    add_system(b, "Edge firewall", owner_id=dana.id, logs="traffic", retention_days=30)
    ops.add_checklist_items(b, ["Confirm the on-call rota"])
    yield b
    b.close()


@pytest.fixture
def case(tmp_path, book):
    path = str(tmp_path / "case.ircase")
    c = CaseFile.create(path, PASSPHRASE, title="Harbour phish", actor="Ana",
                        fill=lambda new: start_from_book(new, book))
    yield c
    c.close()


def dana_in(case: CaseFile) -> Contact:
    return next(c for c in case.records.all(Contact) if c.name == "Dana Ng")


def work(case: CaseFile) -> dict[str, str]:
    """An incident with an engagement, evidence, a gap and action items; canaries everywhere
    the book must never copy from."""
    ops.edit_case(case, first_activity_at=at("2026-11-01T08:00Z"), detected_at=at("2026-11-01T10:00Z"),
                  contained_at=at("2026-11-01T16:00Z"), recovered_at=at("2026-11-02T10:00Z"),
                  **{name: f"{name} {CANARY}" for name in SUMMARY_FIELDS})
    dana = dana_in(case)
    eng = ops.add_engagement(case, dana.id, f"purpose {CANARY}", needed_at=at("2026-11-01T10:30Z"),
                             first_attempt_at=at("2026-11-01T10:40Z"), reached_at=at("2026-11-01T14:00Z"),
                             outcome=f"outcome {CANARY}").value
    ops.add_note(case, Phase.DETECTION, f"body {CANARY}", gap=Gap.ACCESS, tags=("Edge firewall",))
    logs = ops.add_evidence(case, "Firewall logs", source_system="Edge firewall").value
    ops.edit_evidence(case, logs.id, requested_at=at("2026-11-01T11:00Z"), collected_at=at("2026-11-01T17:00Z"),
                      status=EvidenceStatus.COLLECTED)
    ops.add_custody(case, logs.id, "collected", at=at("2026-11-01T17:00Z"), by_whom="Ana", note=f"custody {CANARY}")
    ops.add_indicator(case, IndicatorKind.DOMAIN, "canary-7f3a.example", description=f"ioc {CANARY}")
    ops.attach(case, "canary.txt", CANARY.encode(), media_type="text/plain")
    item = ops.add_action(case, "Give the SOC read access to firewall logs", owner="Dana",
                          due=date(2026, 12, 1)).value
    return {"engagement": eng.id, "evidence": logs.id, "action": item.id}


def test_a_case_starts_from_the_book(book, case):
    dana = dana_in(case)
    directory = book.records.all(BookContact)
    assert dana.id == directory[0].id and dana.phone == "+1 555 0100"
    from irdesk.domain.records import ChecklistItem

    assert [i.text for i in case.records.all(ChecklistItem)] == ["Confirm the on-call rota"]


def test_filing_writes_the_register_and_directory(book, case):
    ids = work(case)
    filing = file_case(book, case).value
    assert filing.first and filing.changed
    entry = book.records.get(RegisterEntry, case.case_id)
    assert entry.title == "Harbour phish" and entry.detected_at == at("2026-11-01T10:00Z")
    assert entry.case_head == case.chain_head
    engagement = book.records.get(FiledEngagement, ids["engagement"])
    assert engagement.contact_name == "Dana Ng" and engagement.reached_at == at("2026-11-01T14:00Z")
    evidence = book.records.get(FiledEvidence, ids["evidence"])
    assert evidence.system_name == "Edge firewall" and evidence.collected_at == at("2026-11-01T17:00Z")
    gaps = {(g.category, g.subject): g.count for g in book.records.all(FiledGap)}
    assert gaps == {(Gap.ACCESS, "Edge firewall"): 1}
    action = book.records.get(BookAction, ids["action"])
    assert (action.owner, action.due, action.status) == ("Dana", date(2026, 12, 1), ActionStatus.PROPOSED)
    system = next(s for s in book.records.all(System) if s.name == "Edge firewall")
    assert (system.last_obtained_minutes, system.last_obtained_on) == (360, date(2026, 11, 1))
    assert check_case(book).ok


def test_a_contact_reached_in_a_case_becomes_verified(book, case):
    work(case)
    filing = file_case(book, case).value
    dana = book.records.get(BookContact, dana_in(case).id)
    assert dana.last_verified == date(2026, 11, 1) and dana.last_reached == date(2026, 11, 1)
    assert filing.contacts_updated == ["Dana Ng"]


def test_filing_twice_changes_nothing(book, case):
    work(case)
    file_case(book, case)
    head, length = book.chain_head, book.chain_length
    again = file_case(book, case).value
    assert not again.changed and not again.first
    assert (book.chain_head, book.chain_length) == (head, length)
    assert "already filed" in again.sentence()
    assert len(book.records.all(RegisterEntry)) == 1


def test_filing_after_an_action_item_was_tested_updates_the_book(book, case):
    ids = work(case)
    file_case(book, case)
    ops.edit_action(case, ids["action"], status=ActionStatus.TESTED, verification="Read access tried on 2 Dec")
    again = file_case(book, case).value
    assert again.changed and not again.first
    action = book.records.get(BookAction, ids["action"])
    assert (action.status, action.verification) == (ActionStatus.TESTED, "Read access tried on 2 Dec")
    assert len(book.records.all(BookAction)) == 1 and len(book.records.all(RegisterEntry)) == 1
    assert [r.record.status for r in book.records.history(BookAction, ids["action"])] == [ActionStatus.PROPOSED]


def test_what_left_the_case_leaves_the_filing(book, case):
    ids = work(case)
    file_case(book, case)
    ops.delete(case, Evidence, ids["evidence"])
    file_case(book, case)
    assert book.records.get(FiledEvidence, ids["evidence"]).deleted


def test_never_note_text(book, case, tmp_path):
    work(case)
    file_case(book, case)
    with book.verified():
        shown = render_book(book)
    assert CANARY not in shown
    raw, path = book.raw_key(), book.path
    book.close()
    conn = raw_connect(path, raw)
    try:
        tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        dumped = "\n".join(repr(row) for t in tables for row in conn.execute(f'SELECT * FROM "{t}"'))
        # and the whole decrypted database written out as a plain SQLite file
        conn.execute("ATTACH DATABASE ? AS plain KEY ''", (str(tmp_path / "plain.db"),))
        conn.execute("SELECT sqlcipher_export('plain')")
        conn.execute("DETACH DATABASE plain")
    finally:
        conn.close()
    assert "Harbour phish" in dumped and "Give the SOC read access" in dumped  # the labels are there
    assert CANARY not in dumped  # note bodies, summary fields, purposes, custody, indicators, attachments: never
    assert "canary-7f3a" not in dumped.lower()
    with open(tmp_path / "plain.db", "rb") as handle:
        plain = handle.read()
    assert b"Harbour phish" in plain and CANARY.encode() not in plain


def test_a_stricter_case_needs_accept_tlp(book, case):
    ops.edit_case(case, tlp=Tlp.RED)
    with pytest.raises(NotAllowed, match="TLP:RED, stricter than the book's TLP:AMBER"):
        file_case(book, case)
    assert book.records.find(RegisterEntry, case.case_id) is None
    file_case(book, case, accept_tlp=True)
    assert book.records.get(RegisterEntry, case.case_id).tlp is Tlp.RED  # the entry keeps its own marking


def test_contacts_not_in_the_book_are_offered_then_added(book, case):
    lee = ops.add_contact(case, "Lee Park", organisation="Acme MSSP", kind="vendor").value
    filing = file_case(book, case).value
    assert [c.name for c in filing.not_in_book] == ["Lee Park"]
    assert book.records.find(BookContact, lee.id) is None
    filing = file_case(book, case, add_contacts=True).value
    assert filing.contacts_added == ["Lee Park"]
    assert book.records.get(BookContact, lee.id).organisation == "Acme MSSP"  # the same UUID


def test_the_newer_change_wins_and_the_older_stays_in_history(book, case):
    dana = dana_in(case)
    edit_book_contact(book, dana.id, phone="+1 555 0200")  # the lead's change, after the case started
    file_case(book, case)
    assert book.records.get(BookContact, dana.id).phone == "+1 555 0200"  # the case's copy is older
    ops.edit_contact(case, dana.id, phone="+1 555 0300")  # the responder's, later still
    filing = file_case(book, case).value
    assert filing.contacts_updated == ["Dana Ng"]
    assert book.records.get(BookContact, dana.id).phone == "+1 555 0300"
    assert "+1 555 0200" in [r.record.phone for r in book.records.history(BookContact, dana.id)]


def test_unfile_is_a_tombstone_and_filing_again_revives(book, case):
    ids = work(case)
    file_case(book, case)
    entry = unfile(book, case.case_id).value
    assert entry.deleted and book.records.get(BookAction, ids["action"]).deleted
    assert book.records.all(RegisterEntry) == []
    again = file_case(book, case).value
    assert again.first and not book.records.get(RegisterEntry, case.case_id).deleted
    assert not book.records.get(BookAction, ids["action"]).deleted
    assert check_case(book).ok


def test_book_show_ranks_and_summarises(book, case):
    work(case)
    file_case(book, case)
    with book.verified():
        text = render_book(book, today=date(2026, 12, 5))
    assert "Dana Ng (Network): verified 2026-11-01 (34 d ago)" in text
    assert "median 3 h 30 min to reach over 1 engagement" in text
    assert "[proposed] OVERDUE Give the SOC read access to firewall logs (Dana, due 2026-12-01) — Harbour phish" in text
    assert "logs took 6 h 00 min on 2026-11-01" in text


def test_a_record_forged_behind_the_case_chain_is_never_filed(book, case):
    from irdesk.casefile.errors import TamperedCase

    ids = work(case)
    path, raw = case.path, case.raw_key()
    case.close()
    conn = raw_connect(path, raw)
    conn.execute("UPDATE evidence SET label = 'FORGED' WHERE id = ?", (ids["evidence"],))
    conn.close()
    head = book.chain_head
    with CaseFile.open(path, PASSPHRASE, writable=False) as forged:
        with pytest.raises(TamperedCase, match=f"evidence {ids['evidence']} differs"):
            file_case(book, forged)
    assert book.chain_head == head and book.records.all(RegisterEntry) == []
