"""Drills from the book: who is picked, what the drill case holds, and what filing it back does
(last verified, last reached, systems' last obtained), with its figures kept out of the incidents'."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from irdesk.casefile import operations as ops
from irdesk.casefile.book_store import BookFile
from irdesk.casefile.book_view import read_book_view
from irdesk.casefile.drilling import plan_from_book, start_drill
from irdesk.casefile.filing import file_case
from irdesk.casefile.operations.book import add_book_contact, add_system
from irdesk.casefile.store import CaseFile
from irdesk.domain.book import BookAction, BookContact, FiledEngagement, FiledEvidence, FiledGap, RegisterEntry
from irdesk.domain.enums import ContactKind, EvidenceKind, EvidenceStatus, Phase
from irdesk.domain.errors import BadInput
from irdesk.domain.moment import Moment
from irdesk.domain.quarters import quarterly
from irdesk.domain.records import Contact, Engagement, Evidence, Note, System
from tests.conftest import PASSPHRASE

START = Moment.parse("2026-11-10T09:00+01:00")


@pytest.fixture
def book(tmp_path):
    b = BookFile.create(str(tmp_path / "team.irbook"), PASSPHRASE, title="SOC readiness", actor="Lead")
    add_book_contact(b, "Recent Rita", phone="+1 555 0101", last_verified=date(2026, 10, 1))
    add_book_contact(b, "Old Olaf", kind=ContactKind.LEGAL, email="olaf@example.org", out_of_band="Signal +1 555 02",
                     last_verified=date(2024, 2, 1))
    never = add_book_contact(b, "Never Nell", kind=ContactKind.VENDOR).value
    add_system(b, "Edge firewall", owner_id=never.id, logs="traffic", retention_days=30)
    add_system(b, "Mail gateway", access_from="Messaging team")
    yield b
    b.close()


def drill_case(tmp_path, book: BookFile, **choices) -> CaseFile:
    plan = plan_from_book(book, **choices)
    return CaseFile.create(str(tmp_path / "drill.ircase"), PASSPHRASE, title=plan.title(START.local.date()),
                           actor="Ana", drill=True, clock=lambda: START,
                           fill=lambda new: start_drill(new, plan, book_id=book.book_id, book_head=book.chain_head))


def test_the_least_recently_verified_are_picked(book):
    plan = plan_from_book(book)
    assert [t.contact.name for t in plan.contacts] == ["Never Nell", "Old Olaf"]
    assert [t.system.name for t in plan.systems] == ["Edge firewall"]  # never obtained; then by name
    olaf = plan.contacts[1]
    assert olaf.sentence() == ("Drill: reach Old Olaf through the out-of-band channel Signal +1 555 02 and ask for "
                               "the pre-approved template for notices to customers")
    assert "a channel the directory does not have yet" in plan.contacts[0].sentence()
    assert plan.systems[0].sentence() == "Drill: request the logs of Edge firewall (traffic) from Never Nell"
    mail = plan_from_book(book, contact_count=0, system_count=2).systems[1]
    assert mail.sentence() == "Drill: request the logs of Mail gateway from Messaging team"


def test_named_ones_and_counts(book):
    rita = next(c for c in book.records.all(BookContact) if c.name == "Recent Rita")
    plan = plan_from_book(book, named_contacts=[rita.id, rita.id])
    assert [t.contact.name for t in plan.contacts] == ["Recent Rita"] and plan.systems == []
    plan = plan_from_book(book, named_contacts=[rita.id], contact_count=2)
    assert [t.contact.name for t in plan.contacts] == ["Recent Rita", "Never Nell"]
    with pytest.raises(BadInput, match="named 1 contacts but asked for 0"):
        plan_from_book(book, named_contacts=[rita.id], contact_count=0)
    with pytest.raises(BadInput, match="no system with the id"):
        plan_from_book(book, named_systems=[rita.id])  # a contact's id is not a system's
    with pytest.raises(BadInput, match="nothing to drill"):
        plan_from_book(book, contact_count=0, system_count=0)


def test_a_deleted_contact_is_unknown(book):
    olaf = next(c for c in book.records.all(BookContact) if c.name == "Old Olaf")
    ops.delete(book, BookContact, olaf.id)
    with pytest.raises(BadInput, match="no contact with the id"):
        plan_from_book(book, named_contacts=[olaf.id])
    assert "Old Olaf" not in [t.contact.name for t in plan_from_book(book, contact_count=3).contacts]


def test_the_drill_case_holds_the_tasks_as_in_an_incident(tmp_path, book):
    with drill_case(tmp_path, book) as case:
        c = case.case()
        assert c.drill and c.detected_at == START
        contacts = {x.id: x for x in case.records.all(Contact)}
        directory = {x.id: x for x in book.records.all(BookContact)}
        assert set(contacts) <= set(directory)  # the same UUIDs: filing updates the same entries
        assert {x.name for x in contacts.values()} == {"Never Nell", "Old Olaf"}  # Nell also owns the firewall
        engagements = case.records.all(Engagement)
        assert sorted(contacts[e.contact_id].name for e in engagements) == ["Never Nell", "Old Olaf"]
        assert all(e.needed_at == START and e.reached_at is None for e in engagements)
        [evidence] = case.records.all(Evidence)
        firewall = next(s for s in book.records.all(System) if s.name == "Edge firewall")
        assert (evidence.system_id, evidence.kind, evidence.status) == (firewall.id, EvidenceKind.LOG,
                                                                        EvidenceStatus.NEEDED)
        assert evidence.requested_from == firewall.owner_id and evidence.source_system == "Edge firewall"
        [note] = case.records.all(Note)
        assert note.phase is Phase.PREPARATION and "3 task(s)" in note.body
        assert "request the logs of Edge firewall" in note.body


def test_filing_a_drill_updates_last_verified_and_stays_out_of_the_incident_figures(tmp_path, book):
    with drill_case(tmp_path, book) as case:
        olaf_id = next(x.id for x in case.records.all(Contact) if x.name == "Old Olaf")
        for e in case.records.all(Engagement):
            if e.contact_id == olaf_id:  # Olaf answers in 40 minutes; Nell never does
                ops.edit_engagement(case, e.id, first_attempt_at=START + timedelta(minutes=5),
                                    reached_at=START + timedelta(minutes=40))
        [logs] = case.records.all(Evidence)
        ops.edit_evidence(case, logs.id, status=EvidenceStatus.COLLECTED, requested_at=START + timedelta(minutes=10),
                          collected_at=START + timedelta(hours=3, minutes=10))
        filing = file_case(book, case).value
        drill_id = case.case_id
    assert filing.contacts_updated == ["Old Olaf"]
    olaf = book.records.get(BookContact, olaf_id)
    assert olaf.last_verified == date(2026, 11, 10) and olaf.last_reached == date(2026, 11, 10)
    nell = next(c for c in book.records.all(BookContact) if c.name == "Never Nell")
    assert nell.last_verified is None  # not reached: still not verified
    firewall = next(s for s in book.records.all(System) if s.name == "Edge firewall")
    assert (firewall.last_obtained_minutes, firewall.last_obtained_on) == (180, date(2026, 11, 10))
    assert book.records.get(RegisterEntry, drill_id).drill

    with book.verified():
        view = read_book_view(book, today=date(2026, 11, 20))
    assert (view.incidents, view.drills) == (0, 1)
    standing = next(s for s in view.contacts if s.contact.id == olaf_id)
    assert standing.incidents.cases == 0 and standing.drills.median_to_reach == timedelta(minutes=40)
    assert not standing.stale  # verified ten days ago by the drill

    figures = (book.records.all(RegisterEntry), book.records.all(FiledEngagement), book.records.all(FiledEvidence),
               book.records.all(FiledGap), book.records.all(BookAction))
    assert quarterly(*figures, drills=False) == []
    [q] = quarterly(*figures, drills=True)
    assert (q.label, q.cases, q.time_to_engage, q.time_to_obtain_logs) == ("2026 Q4", 1, timedelta(minutes=40),
                                                                           timedelta(hours=3))
    # the engagement that never reached Nell is a communication gap of the drill, not of an incident
    assert sum(q.gaps.values()) == 1

    # the next drill picks whoever is now least recently verified: Olaf was just verified
    assert [t.contact.name for t in plan_from_book(book).contacts] == ["Never Nell", "Recent Rita"]


def test_a_drills_title_says_what_it_asks(book):
    day = date(2026, 12, 1)
    assert plan_from_book(book).title(day) == "Drill 2026-12-01: reach 2 contact(s), request logs of 1 system(s)"
    assert plan_from_book(book, system_count=0).title(day) == "Drill 2026-12-01: reach 2 contact(s)"
    assert plan_from_book(book, contact_count=0).title(day) == "Drill 2026-12-01: request logs of 1 system(s)"
