"""The repository API over a real SQLCipher file: records, revisions, tombstones, search."""

import os
import stat

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from irdesk.casefile import operations as ops
from irdesk.casefile.errors import CaseExists, NoSuchRecord, NotAllowed, WrongPassphrase
from irdesk.casefile.store import CaseFile, NoteFilter, fts_query
from irdesk.domain.enums import ActionStatus, CaseStatus, Gap, Phase, Tlp
from irdesk.domain.moment import Moment
from irdesk.domain.records import Contact
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
    note = ops.add_note(case, Phase.DETECTION, "first text", gap=Gap.ACCESS, tags=["edr"]).value
    edited = ops.edit_note(case, note.id, body="second text").value
    assert edited.parent_rev == note.rev and edited.rev != note.rev
    history = case.records.history(type(note), note.id)
    assert [r.record.body for r in history] == ["first text"]
    assert case.records.get(type(note), note.id).body == "second text"


def test_no_op_update_writes_nothing(case):
    note = ops.add_note(case, Phase.DETECTION, "same").value
    head = case.chain_head
    assert ops.edit_note(case, note.id, body="same").value == note
    assert case.chain_head == head


def test_delete_is_a_tombstone(case):
    note = ops.add_note(case, Phase.CONTAINMENT, "to go").value
    ops.delete(case, type(note), note.id)
    assert case.notes.count() == 0
    assert case.records.get(type(note), note.id).deleted
    assert case.notes.search("go") == []


def test_fts_secure_delete_forgets_tokens(case):
    note = ops.add_note(case, Phase.DETECTION, "zebraquuxtoken appears once").value
    ops.edit_note(case, note.id, body="nothing to see")
    blobs = b"".join(bytes(b) for (b,) in case.db.query("SELECT block FROM notes_fts_data"))
    assert b"zebraquuxtoken" not in blobs


def test_list_filter_and_paging(case):
    t = Moment.parse("2026-01-01T00:00:00+00:00")
    from datetime import timedelta
    for i in range(30):
        ops.add_note(case, list(Phase)[i % 4], f"note {i}", occurred=t + timedelta(minutes=i),
                      gap=Gap.TOOLING if i % 5 == 0 else None)
    assert case.notes.count() == 30
    assert case.notes.count(NoteFilter(phase=Phase.DETECTION)) == 8
    assert case.notes.count(NoteFilter(gaps_only=True)) == 6
    page = case.notes.page(offset=10, limit=5)
    assert [n.body for n in page] == [f"note {i}" for i in range(10, 15)]
    newest = case.notes.page(limit=1, newest_first=True)
    assert newest[0].body == "note 29"


@pytest.mark.parametrize("query", ['"', "AND", "OR NOT", "a:b", "(", "*", 'x" OR "y', "NEAR(a b)", "^x"])
def test_search_input_is_safe_for_match(case, query):
    ops.add_note(case, Phase.DETECTION, "plain text")
    case.notes.search(query)  # never raises
    case.notes.count(NoteFilter(query=query))


def test_search_highlights_and_prefix(case):
    ops.add_note(case, Phase.DETECTION, "The hypervisor console was unreachable")
    hits = case.notes.search("hyperv*")
    assert len(hits) == 1 and "\x02hypervisor\x03" in hits[0].snippet
    assert fts_query('say "hi"') == '"say" """hi"""'


def test_closing_gate_names_unsettled_items(case):
    item = ops.add_action(case, title="Deploy EDR", status=ActionStatus.IMPLEMENTED).value
    with pytest.raises(NotAllowed, match="Deploy EDR"):
        ops.edit_case(case, status=CaseStatus.CLOSED)
    ops.edit_action(case, item.id, status=ActionStatus.TESTED)
    closed = ops.edit_case(case, status=CaseStatus.CLOSED).value
    assert closed.status is CaseStatus.CLOSED and closed.closed_at is not None


def test_evidence_custody_contacts_engagements(case):
    contact = ops.add_contact(case, name="Marta").value
    ev = ops.add_evidence(case, label="FS01 memory", requested_from=contact.id, requested_at=case.clock()).value
    ops.add_custody(case, evidence_id=ev.id, action="collected", at=case.clock(), by_whom="me")
    assert len(case.custody_for(ev.id)) == 1
    ops.add_engagement(case, contact_id=contact.id, purpose="vCenter access", needed_at=case.clock())
    assert case.engagements_for(contact.id)[0].purpose == "vCenter access"


def test_attachments_are_stored_and_hash_checked(case):
    att = ops.attach(case, "../../etc/log.txt", b"secret log line").value
    assert att.name == "log.txt" and att.size == 15
    assert case.attachment_bytes(att.id) == b"secret log line"


def test_attachment_limit(case, monkeypatch):
    import irdesk.casefile.operations.evidence as evidence
    monkeypatch.setattr(evidence, "ATTACHMENT_LIMIT", 10)
    with pytest.raises(NotAllowed, match="referenced by path"):
        ops.attach(case, "big.bin", b"x" * 11)


def test_missing_record(case):
    with pytest.raises(NoSuchRecord):
        case.records.get(Contact, "no-such-id")


def test_invalid_unicode_refused(case):
    with pytest.raises(NotAllowed, match="Unicode"):
        ops.add_note(case, Phase.DETECTION, "bad \udcff surrogate")


def test_failed_transaction_rolls_back_chain_head(case):
    head, length = case.chain_head, case.chain_length
    with pytest.raises(RuntimeError), case.transaction():
        ops.add_note(case, Phase.DETECTION, "will vanish")
        raise RuntimeError("boom")
    assert (case.chain_head, case.chain_length) == (head, length)
    assert case.notes.count() == 0


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
    note = ops.add_note(case, Phase.DETECTION, body).value
    assert case.records.get(type(note), note.id).body == body


def test_megabyte_note_round_trips(case):
    body = "\u202eabc\x00" * 250_000
    note = ops.add_note(case, Phase.DETECTION, body).value
    assert case.records.get(type(note), note.id).body == body


@settings(max_examples=8, deadline=None)
@given(passphrase=st.text(min_size=1, max_size=40).filter(lambda s: "\x00" not in s))
def test_passphrases_with_quotes_and_unicode_open_their_case(tmp_path_factory, passphrase):
    path = str(tmp_path_factory.mktemp("pp") / "c.ircase")
    CaseFile.create(path, passphrase + "'\"é漢", title="t", actor="a").close()
    CaseFile.open(path, passphrase + "'\"é漢", actor="a").close()
