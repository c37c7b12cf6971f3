"""Merging a colleague's copy on real SQLCipher files: convergence, idempotence, refusals."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile

import pytest
import sqlcipher3
from hypothesis import given, settings
from hypothesis import strategies as st

from irdesk.casefile import kdf
from irdesk.casefile.check import check_case
from irdesk.casefile.conflicts import Resolution, list_conflicts, resolve
from irdesk.casefile.errors import (
    CaseFileError,
    CorruptCase,
    NewerFormat,
    TamperedCase,
    WrongPassphrase,
)
from irdesk.casefile.handoff import write_handoff_copy
from irdesk.casefile.merge import MergeRefused, apply_merge, merge_copy, open_other, plan_merge
from irdesk.casefile.store import CaseFile
from irdesk.domain.enums import CustodyAction, Phase
from irdesk.domain.merge import Verdict
from irdesk.domain.moment import Moment
from irdesk.domain.records import (
    RECORD_TYPES,
    Attachment,
    Contact,
    CustodyEvent,
    Engagement,
    Evidence,
    Note,
    ReportIssue,
)
from tests.conftest import PASSPHRASE

OTHER = "violet-anchor-93-meadow-x"


def digest(path: str) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def make_pair(folder: str) -> tuple[str, str]:
    """A case with some content and a hand-off copy of it (passphrase OTHER)."""
    a, b = os.path.join(folder, "a.ircase"), os.path.join(folder, "b.ircase")
    with CaseFile.create(a, PASSPHRASE, title="Harbour", actor="Ana") as case:
        for i in range(3):
            case.add_note(Phase.DETECTION, f"base note {i}")
        evidence = case.add(Evidence, label="FS01 disk")
        contact = case.add(Contact, name="Marta")
        case.add(
            Engagement, contact_id=contact.id, purpose="hypervisor access", needed_at=case.clock()
        )
        case.add(
            CustodyEvent,
            evidence_id=evidence.id,
            action=CustodyAction.COLLECTED,
            at=case.clock(),
            by_whom="Ana",
        )
        write_handoff_copy(case, b, OTHER)
    return a, b


def state(case: CaseFile) -> tuple[dict, set]:
    """Every current record (tombstones included) and every kept revision id."""
    records = {(cls.KIND, r.id): r for cls in RECORD_TYPES for r in case.iter_all(cls)}
    revisions = {
        (row[0], row[1], row[2])
        for row in case._query("SELECT kind, record_id, rev FROM revisions")
    }
    return records, revisions


def every_text(case: CaseFile) -> set[str]:
    texts = {n.body for n in case.iter_all(Note)}
    texts |= {r.record.body for r in case.all_revisions(Note)}
    return texts


# One edit on one copy: (what, which note, text).
edit_op = st.tuples(
    st.sampled_from(["add", "edit", "delete", "title", "reach", "custody"]),
    st.integers(0, 8),
    st.text(alphabet="abcxyz ", min_size=1, max_size=6),
)


def run_ops(case: CaseFile, ops, written: set[str], tag: str) -> None:
    for what, index, text in ops:
        notes = case.all(Note, include_deleted=True)
        note = notes[index % len(notes)]
        if what == "add":
            written.add(case.add_note(Phase.CONTAINMENT, f"{tag} {text}").body)
        elif what == "edit" and not note.deleted:
            written.add(case.edit_note(note.id, body=f"{note.body} / {tag} {text}").body)
        elif what == "delete" and not note.deleted:
            case.delete(Note, note.id)
        elif what == "title":
            case.update_case(title=f"Harbour {tag} {text}")
        elif what == "reach":
            [engagement] = case.all(Engagement)
            case.update(Engagement, engagement.id, reached_at=case.clock(), outcome=f"{tag} {text}")
        elif what == "custody":
            [evidence] = case.all(Evidence)
            case.add(
                CustodyEvent,
                evidence_id=evidence.id,
                action=CustodyAction.EXAMINED,
                at=case.clock(),
                by_whom=tag,
            )


@settings(max_examples=max(10, settings.default.max_examples // 3))
@given(st.lists(edit_op, max_size=8), st.lists(edit_op, max_size=8))
def test_random_edits_on_two_copies_converge_with_nothing_lost_or_doubled(a_ops, b_ops):
    with tempfile.TemporaryDirectory() as folder:
        a_path, b_path = make_pair(folder)
        written: set[str] = set()
        with (
            CaseFile.open(a_path, PASSPHRASE, actor="Ana") as a,
            CaseFile.open(b_path, OTHER, actor="Ben") as b,
        ):
            written |= every_text(a)
            run_ops(a, a_ops, written, "A")
            run_ops(b, b_ops, written, "B")
            ids = set(state(a)[0]) | set(state(b)[0])
            custody = {c.id for c in a.all(CustodyEvent)} | {c.id for c in b.all(CustodyEvent)}
        with CaseFile.open(a_path, PASSPHRASE, actor="Ana") as a:
            merge_copy(a, b_path, OTHER)  # A <- B
        with CaseFile.open(b_path, OTHER, actor="Ben") as b:
            merge_copy(b, a_path, PASSPHRASE)  # B <- A
        with (
            CaseFile.open(a_path, PASSPHRASE, actor="Ana") as a,
            CaseFile.open(b_path, OTHER, actor="Ben") as b,
        ):
            assert state(a) == state(b)  # convergent
            assert set(state(a)[0]) == ids  # nothing lost, nothing doubled
            assert {c.id for c in a.all(CustodyEvent)} == custody
            assert written <= every_text(a)  # no text lost
            assert check_case(a).ok and check_case(b).ok
            head_a, head_b = a.chain_head, b.chain_head
            assert merge_copy(a, b_path, OTHER).plan.empty  # idempotent both ways
            assert merge_copy(b, a_path, PASSPHRASE).plan.empty
            assert (a.chain_head, b.chain_head) == (head_a, head_b)


@settings(max_examples=max(10, settings.default.max_examples // 4))
@given(st.lists(edit_op, max_size=6), st.lists(edit_op, max_size=6))
def test_copies_merged_at_the_same_time_agree_without_another_exchange(a_ops, b_ops):
    with tempfile.TemporaryDirectory() as folder:
        a_path, b_path = make_pair(folder)
        with (
            CaseFile.open(a_path, PASSPHRASE, actor="Ana") as a,
            CaseFile.open(b_path, OTHER, actor="Ben") as b,
        ):
            run_ops(a, a_ops, set(), "A")
            run_ops(b, b_ops, set(), "B")
        a_sent, b_sent = (
            os.path.join(folder, "a-sent.ircase"),
            os.path.join(folder, "b-sent.ircase"),
        )
        shutil.copyfile(a_path, a_sent)
        shutil.copyfile(b_path, b_sent)
        with CaseFile.open(a_path, PASSPHRASE, actor="Ana") as a:
            merge_copy(a, b_sent, OTHER)
        with CaseFile.open(b_path, OTHER, actor="Ben") as b:
            merge_copy(b, a_sent, PASSPHRASE)
        with (
            CaseFile.open(a_path, PASSPHRASE, actor="Ana") as a,
            CaseFile.open(b_path, OTHER, actor="Ben") as b,
        ):
            assert state(a) == state(b)


@pytest.fixture
def pair(tmp_path):
    return make_pair(str(tmp_path))


def test_an_edit_on_both_sides_keeps_both_versions_as_a_visible_conflict(pair):
    a_path, b_path = pair
    with CaseFile.open(a_path, PASSPHRASE, actor="Ana") as a:
        note = a.list_notes()[0]
        a.edit_note(note.id, body="Ana's version")
    with CaseFile.open(b_path, OTHER, actor="Ben") as b:
        b.edit_note(note.id, body="Ben's version")  # later: wins
    with CaseFile.open(a_path, PASSPHRASE, actor="Ana") as a:
        other = open_other(a, b_path, OTHER)
        plan = plan_merge(a, other)
        assert [c.verdict for c in plan.changes] == [Verdict.CONFLICT]
        result = apply_merge(a, other, plan)
        other.close()
        assert "1 left as conflicts" in result.summary()
        assert a.get(Note, note.id).body == "Ben's version"
        [conflict] = list_conflicts(a)
        assert conflict.other.body == "Ana's version"
        entries = list(a.audit_entries())
        assert entries[-1].action == "merge" and plan.other_head in entries[-1].source
        assert a.contains_chain_head(plan.other_head)
        resolve(a, conflict, Resolution.KEEP_BOTH)
        assert list_conflicts(a) == []
        assert {n.body for n in a.list_notes()} >= {"Ana's version", "Ben's version"}
        assert check_case(a).ok


def test_taking_the_other_version_makes_it_current(pair):
    a_path, b_path = pair
    with CaseFile.open(a_path, PASSPHRASE, actor="Ana") as a:
        note = a.list_notes()[0]
        a.edit_note(note.id, body="Ana's version")
    with CaseFile.open(b_path, OTHER, actor="Ben") as b:
        b.edit_note(note.id, body="Ben's version")
    with CaseFile.open(a_path, PASSPHRASE, actor="Ana") as a:
        merge_copy(a, b_path, OTHER)
        [conflict] = list_conflicts(a)
        resolve(a, conflict, Resolution.TAKE_OTHER)
        assert a.get(Note, note.id).body == "Ana's version"
        assert list_conflicts(a) == [] and check_case(a).ok


def test_new_attachments_come_across_hash_checked(pair):
    a_path, b_path = pair
    data = os.urandom(200_000)
    with CaseFile.open(b_path, OTHER, actor="Ben") as b:
        attachment = b.attach("memdump-excerpt.bin", data)
        b.add(ReportIssue, report_id="r1", chain_head=b.chain_head, signed=True)
    with CaseFile.open(a_path, PASSPHRASE, actor="Ana") as a:
        result = merge_copy(a, b_path, OTHER)
        assert a.attachment_bytes(attachment.id) == data
        assert a.get(Attachment, attachment.id).sha256 == hashlib.sha256(data).hexdigest()
        [report] = a.all(ReportIssue)
        assert result.plan.report_heads == (report.chain_head,)
        assert a.contains_chain_head(report.chain_head)  # a report signed on the copy verifies
        assert check_case(a).ok


def test_engagements_edited_on_both_sides_never_conflict(pair):
    a_path, b_path = pair
    with CaseFile.open(a_path, PASSPHRASE, actor="Ana") as a:
        [eng] = a.all(Engagement)
        first = Moment.parse("2026-11-28T09:00+01:00")
        a.update(Engagement, eng.id, first_attempt_at=first, outcome="voicemail")
    with CaseFile.open(b_path, OTHER, actor="Ben") as b:
        reached = Moment.parse("2026-11-28T11:00+01:00")
        b.update(Engagement, eng.id, reached_at=reached, outcome="reached via MSP")
    with CaseFile.open(a_path, PASSPHRASE, actor="Ana") as a:
        merge_copy(a, b_path, OTHER)
        joined = a.get(Engagement, eng.id)
        assert (joined.first_attempt_at, joined.reached_at) == (first, reached)
        assert "voicemail" in joined.outcome and "reached via MSP" in joined.outcome
        assert list_conflicts(a) == []
    with CaseFile.open(b_path, OTHER, actor="Ben") as b:
        merge_copy(b, a_path, PASSPHRASE)
        assert b.get(Engagement, eng.id) == joined


# ---------------------------------------------------------------- refusals leave CASE unchanged


def refused(a_path: str, other_path: str, passphrase: str, error: type[Exception]) -> str:
    before = digest(a_path)
    with CaseFile.open(a_path, PASSPHRASE, actor="Ana") as a:
        with pytest.raises(error) as failure:
            merge_copy(a, other_path, passphrase)
    assert digest(a_path) == before
    return failure.value.message


def test_a_wrong_passphrase_for_the_other_copy(pair):
    a_path, b_path = pair
    message = refused(a_path, b_path, "not-the-passphrase", WrongPassphrase)
    assert "b.ircase" in message


def test_the_case_itself_is_refused(pair, tmp_path):
    a_path, _ = pair
    assert "itself" in refused(a_path, a_path, PASSPHRASE, MergeRefused)
    link = tmp_path / "link.ircase"
    link.symlink_to(a_path)
    refused(a_path, str(link), PASSPHRASE, MergeRefused)


def test_a_copy_of_a_different_case_is_refused(pair, tmp_path):
    a_path, _ = pair
    stranger = str(tmp_path / "stranger.ircase")
    CaseFile.create(stranger, OTHER, title="Another incident", actor="Ben").close()
    assert "different case" in refused(a_path, stranger, OTHER, MergeRefused)


def raw_connection(path: str, passphrase: str) -> sqlcipher3.Connection:
    with open(path, "rb") as handle:
        salt = handle.read(16)
    conn = sqlcipher3.connect(path, isolation_level=None)
    conn.execute(f'PRAGMA key = "{kdf.raw_key_literal(kdf.derive_key(passphrase, salt), salt)}"')
    return conn


def test_an_other_copy_edited_behind_the_chain_is_refused(pair):
    a_path, b_path = pair
    conn = raw_connection(b_path, OTHER)
    conn.execute("UPDATE notes SET body = 'forged' WHERE seq = 1")
    conn.close()
    assert "failed its check" in refused(a_path, b_path, OTHER, TamperedCase)


def test_an_other_copy_with_a_flipped_byte_is_refused(pair):
    a_path, b_path = pair
    with open(b_path, "r+b") as handle:
        handle.seek(4096 * 3 + 1000)
        byte = handle.read(1)
        handle.seek(-1, os.SEEK_CUR)
        handle.write(bytes([byte[0] ^ 0x40]))
    refused(a_path, b_path, OTHER, (CorruptCase, TamperedCase))


def test_an_other_copy_from_a_newer_format_is_refused(pair):
    a_path, b_path = pair
    conn = raw_connection(b_path, OTHER)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    assert "newer irdesk" in refused(a_path, b_path, OTHER, NewerFormat)


def test_a_plan_made_before_the_case_changed_is_refused(pair):
    a_path, b_path = pair
    with CaseFile.open(b_path, OTHER, actor="Ben") as b:
        b.add_note(Phase.DETECTION, "from Ben")
    with CaseFile.open(a_path, PASSPHRASE, actor="Ana") as a:
        other = open_other(a, b_path, OTHER)
        plan = plan_merge(a, other)
        a.add_note(Phase.DETECTION, "typed during the preview")
        with pytest.raises(CaseFileError, match="preview it again"):
            apply_merge(a, other, plan)
        other.close()
        assert a.count_notes() == 4


def test_the_other_copy_is_only_read(pair, tmp_path):
    a_path, b_path = pair
    kept = str(tmp_path / "kept.ircase")
    shutil.copyfile(b_path, kept)
    before = digest(kept)
    with CaseFile.open(a_path, PASSPHRASE, actor="Ana") as a:
        merge_copy(a, kept, OTHER)
    assert digest(kept) == before


def test_a_deletion_against_an_edit_is_a_conflict_like_any_edit(pair):
    a_path, b_path = pair
    with CaseFile.open(a_path, PASSPHRASE, actor="Ana") as a:
        note = a.list_notes()[0]
        a.delete(Note, note.id)
    with CaseFile.open(b_path, OTHER, actor="Ben") as b:
        b.edit_note(note.id, body="Ben still needs this")  # later: wins over the deletion
    with CaseFile.open(a_path, PASSPHRASE, actor="Ana") as a:
        merge_copy(a, b_path, OTHER)
        assert a.get(Note, note.id).body == "Ben still needs this"
        [conflict] = list_conflicts(a)
        assert conflict.other.deleted and not conflict.can_keep_both
        resolve(a, conflict, Resolution.KEEP_CURRENT)
        assert list_conflicts(a) == [] and not a.get(Note, note.id).deleted
        assert any(r.record.deleted for r in a.history(Note, note.id))  # still in the history
        assert check_case(a).ok
