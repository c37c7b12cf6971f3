"""The repository API over a real SQLCipher file: records, revisions, tombstones, search."""

import os
import stat

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from irdesk.casefile.errors import CaseExists, NoSuchRecord, NotAllowed, WrongPassphrase
from irdesk.casefile.store import CaseFile, NoteFilter, fts_query
from irdesk.domain.enums import ActionStatus, CaseStatus, Gap, Phase, Tlp
from irdesk.domain.moment import Moment
from irdesk.domain.records import ActionItem, Contact, CustodyEvent, Engagement, Evidence
from tests.conftest import PASSPHRASE


def test_new_case_has_mode_0600_and_case_record(case, case_path):
    assert stat.S_IMODE(os.stat(case_path).st_mode) == 0o600
    c = case.case()
    assert c.title == "Test incident" and c.tlp is Tlp.AMBER and c.status is CaseStatus.OPEN
    assert c.author == "Test Responder" and c.created.utc.tzinfo is not None


def test_create_never_overwrites(case, case_path):
    with pytest.raises(CaseExists):
        CaseFile.create(case_path, PASSPHRASE, title="again", actor="x")


def test_note_edit_keeps_earlier_revision(case):
    note = case.add_note(Phase.DETECTION, "first text", gap=Gap.ACCESS, tags=["edr"])
    edited = case.edit_note(note.id, body="second text")
    assert edited.parent_rev == note.rev and edited.rev != note.rev
    history = case.history(type(note), note.id)
    assert [r.record.body for r in history] == ["first text"]
    assert case.get(type(note), note.id).body == "second text"


def test_no_op_update_writes_nothing(case):
    note = case.add_note(Phase.DETECTION, "same")
    head = case.chain_head
    assert case.edit_note(note.id, body="same") == note
    assert case.chain_head == head


def test_delete_is_a_tombstone(case):
    note = case.add_note(Phase.CONTAINMENT, "to go")
    case.delete(type(note), note.id)
    assert case.count_notes() == 0
    assert case.get(type(note), note.id).deleted
    assert case.search_notes("go") == []


def test_fts_secure_delete_forgets_tokens(case):
    note = case.add_note(Phase.DETECTION, "zebraquuxtoken appears once")
    case.edit_note(note.id, body="nothing to see")
    blobs = b"".join(bytes(b) for (b,) in case._query("SELECT block FROM notes_fts_data"))
    assert b"zebraquuxtoken" not in blobs


def test_list_filter_and_paging(case):
    t = Moment.parse("2026-01-01T00:00:00+00:00")
    from datetime import timedelta
    for i in range(30):
        case.add_note(list(Phase)[i % 4], f"note {i}", occurred=t + timedelta(minutes=i),
                      gap=Gap.TOOLING if i % 5 == 0 else None)
    assert case.count_notes() == 30
    assert case.count_notes(NoteFilter(phase=Phase.DETECTION)) == 8
    assert case.count_notes(NoteFilter(gaps_only=True)) == 6
    page = case.list_notes(offset=10, limit=5)
    assert [n.body for n in page] == [f"note {i}" for i in range(10, 15)]
    newest = case.list_notes(limit=1, newest_first=True)
    assert newest[0].body == "note 29"


@pytest.mark.parametrize("query", ['"', "AND", "OR NOT", "a:b", "(", "*", 'x" OR "y', "NEAR(a b)", "^x"])
def test_search_input_is_safe_for_match(case, query):
    case.add_note(Phase.DETECTION, "plain text")
    case.search_notes(query)  # never raises
    case.count_notes(NoteFilter(query=query))


def test_search_highlights_and_prefix(case):
    case.add_note(Phase.DETECTION, "The hypervisor console was unreachable")
    hits = case.search_notes("hyperv*")
    assert len(hits) == 1 and "\x02hypervisor\x03" in hits[0].snippet
    assert fts_query('say "hi"') == '"say" """hi"""'


def test_closing_gate_names_unsettled_items(case):
    item = case.add(ActionItem, title="Deploy EDR", status=ActionStatus.IMPLEMENTED)
    with pytest.raises(NotAllowed, match="Deploy EDR"):
        case.update_case(status=CaseStatus.CLOSED)
    case.update(ActionItem, item.id, status=ActionStatus.TESTED)
    closed = case.update_case(status=CaseStatus.CLOSED)
    assert closed.status is CaseStatus.CLOSED and closed.closed_at is not None


def test_evidence_custody_contacts_engagements(case):
    contact = case.add(Contact, name="Marta")
    ev = case.add(Evidence, label="FS01 memory", requested_from=contact.id, requested_at=case.clock())
    case.add(CustodyEvent, evidence_id=ev.id, action="collected", at=case.clock(), by_whom="me")
    assert len(case.custody_for(ev.id)) == 1
    case.add(Engagement, contact_id=contact.id, purpose="vCenter access", needed_at=case.clock())
    assert case.engagements_for(contact.id)[0].purpose == "vCenter access"


def test_attachments_are_stored_and_hash_checked(case):
    att = case.attach("../../etc/log.txt", b"secret log line")
    assert att.name == "log.txt" and att.size == 15
    assert case.attachment_bytes(att.id) == b"secret log line"


def test_attachment_limit(case, monkeypatch):
    import irdesk.casefile.store as store
    monkeypatch.setattr(store, "ATTACHMENT_LIMIT", 10)
    with pytest.raises(NotAllowed, match="referenced by path"):
        case.attach("big.bin", b"x" * 11)


def test_missing_record(case):
    with pytest.raises(NoSuchRecord):
        case.get(Contact, "no-such-id")


def test_invalid_unicode_refused(case):
    with pytest.raises(NotAllowed, match="Unicode"):
        case.add_note(Phase.DETECTION, "bad \udcff surrogate")


def test_failed_transaction_rolls_back_chain_head(case):
    head, length = case.chain_head, case.chain_length
    with pytest.raises(RuntimeError), case.transaction():
        case.add_note(Phase.DETECTION, "will vanish")
        raise RuntimeError("boom")
    assert (case.chain_head, case.chain_length) == (head, length)
    assert case.count_notes() == 0


def test_reopen_with_wrong_passphrase(case, case_path):
    case.close()
    with pytest.raises(WrongPassphrase):
        CaseFile.open(case_path, "not the passphrase")


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.one_of(
    st.text(),
    st.text(alphabet=st.sampled_from("\"'`\\\x00\u200f\u202e\u05d0\u0627\n\r\t<>&;"), max_size=200),
))
def test_any_note_text_round_trips(case, body):
    note = case.add_note(Phase.DETECTION, body)
    assert case.get(type(note), note.id).body == body


def test_megabyte_note_round_trips(case):
    body = "\u202eabc\x00" * 250_000
    note = case.add_note(Phase.DETECTION, body)
    assert case.get(type(note), note.id).body == body


@settings(max_examples=8, deadline=None)
@given(passphrase=st.text(min_size=1, max_size=40).filter(lambda s: "\x00" not in s))
def test_passphrases_with_quotes_and_unicode_open_their_case(tmp_path_factory, passphrase):
    path = str(tmp_path_factory.mktemp("pp") / "c.ircase")
    CaseFile.create(path, passphrase + "'\"é漢", title="t", actor="a").close()
    CaseFile.open(path, passphrase + "'\"é漢", actor="a").close()
