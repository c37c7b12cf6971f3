"""Merging a colleague's copy on real SQLCipher files: convergence, idempotence, refusals."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from datetime import timedelta

import pytest
import sqlcipher3
from hypothesis import given, settings
from hypothesis import strategies as st

from irdesk.casefile import kdf
from irdesk.casefile import operations as ops
from irdesk.casefile.check import check_case
from irdesk.casefile.conflicts import Resolution, list_conflicts
from irdesk.casefile.errors import (
    CaseFileError,
    CorruptCase,
    NewerFormat,
    TamperedCase,
    WrongPassphrase,
)
from irdesk.casefile.handoff import write_handoff_copy
from irdesk.casefile.merge import MergeRefused, open_other, plan_merge
from irdesk.casefile.store import CaseFile
from irdesk.domain.enums import CustodyAction, Phase
from irdesk.domain.merge import Verdict
from irdesk.domain.records import (
    RECORD_TYPES,
    Attachment,
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
            ops.add_note(case, Phase.DETECTION, f"base note {i}")
        evidence = ops.add_evidence(case, label="FS01 disk").value
        contact = ops.add_contact(case, name="Marta").value
        ops.add_engagement(case, contact_id=contact.id, purpose="hypervisor access", needed_at=case.clock()
        )
        ops.add_custody(case, evidence_id=evidence.id,
            action=CustodyAction.COLLECTED,
            at=case.clock(),
            by_whom="Ana",
        )
        write_handoff_copy(case, b, OTHER)
    return a, b


def state(case: CaseFile) -> tuple[dict, set]:
    """Every current record (tombstones included) and every kept revision id."""
    records = {(cls.KIND, r.id): r for cls in RECORD_TYPES for r in case.records.iter_all(cls)}
    revisions = {
        (row[0], row[1], row[2])
        for row in case.db.query("SELECT kind, record_id, rev FROM revisions")
    }
    return records, revisions


def every_text(case: CaseFile) -> set[str]:
    texts = {n.body for n in case.records.iter_all(Note)}
    texts |= {r.record.body for r in case.records.all_revisions(Note)}
    return texts


# One edit on one copy: (what, which note, text).
edit_op = st.tuples(
    st.sampled_from(["add", "edit", "delete", "title", "reach", "custody"]),
    st.integers(0, 8),
    st.text(alphabet="abcxyz ", min_size=1, max_size=6),
)


def run_edits(case: CaseFile, edits, written: set[str], tag: str) -> None:
    for what, index, text in edits:
        notes = case.records.all(Note, include_deleted=True)
        note = notes[index % len(notes)]
        if what == "add":
            written.add(ops.add_note(case, Phase.CONTAINMENT, f"{tag} {text}").value.body)
        elif what == "edit" and not note.deleted:
            written.add(ops.edit_note(case, note.id, body=f"{note.body} / {tag} {text}").value.body)
        elif what == "delete" and not note.deleted:
            ops.delete(case, Note, note.id)
        elif what == "title":
            ops.edit_case(case, title=f"Harbour {tag} {text}")
        elif what == "reach":
            [engagement] = case.records.all(Engagement)
            ops.edit_engagement(case, engagement.id, reached_at=case.clock(), outcome=f"{tag} {text}")
        elif what == "custody":
            [evidence] = case.records.all(Evidence)
            ops.add_custody(case, evidence_id=evidence.id,
                action=CustodyAction.EXAMINED,
                at=case.clock(),
                by_whom=tag,
            )


@settings(max_examples=max(10, settings.default.max_examples // 3))
@given(st.lists(edit_op, max_size=8), st.lists(edit_op, max_size=8))
def test_random_edits_on_two_copies_converge_with_nothing_lost_or_doubled(a_edits, b_edits):
    with tempfile.TemporaryDirectory() as folder:
        a_path, b_path = make_pair(folder)
        written: set[str] = set()
        with (
            CaseFile.open(a_path, PASSPHRASE, actor="Ana") as a,
            CaseFile.open(b_path, OTHER, actor="Ben") as b,
        ):
            written |= every_text(a)
            run_edits(a, a_edits, written, "A")
            run_edits(b, b_edits, written, "B")
            ids = set(state(a)[0]) | set(state(b)[0])
            custody = {c.id for c in a.records.all(CustodyEvent)} | {c.id for c in b.records.all(CustodyEvent)}
        with CaseFile.open(a_path, PASSPHRASE, actor="Ana") as a:
            ops.merge_copy(a, b_path, OTHER)  # A <- B
        with CaseFile.open(b_path, OTHER, actor="Ben") as b:
            ops.merge_copy(b, a_path, PASSPHRASE)  # B <- A
        with (
            CaseFile.open(a_path, PASSPHRASE, actor="Ana") as a,
            CaseFile.open(b_path, OTHER, actor="Ben") as b,
        ):
            assert state(a) == state(b)  # convergent
            assert set(state(a)[0]) == ids  # nothing lost, nothing doubled
            assert {c.id for c in a.records.all(CustodyEvent)} == custody
            assert written <= every_text(a)  # no text lost
            assert check_case(a).ok and check_case(b).ok
            head_a, head_b = a.chain_head, b.chain_head
            assert ops.merge_copy(a, b_path, OTHER).plan.empty  # idempotent both ways
            assert ops.merge_copy(b, a_path, PASSPHRASE).plan.empty
            assert (a.chain_head, b.chain_head) == (head_a, head_b)


@settings(max_examples=max(10, settings.default.max_examples // 4))
@given(st.lists(edit_op, max_size=6), st.lists(edit_op, max_size=6))
def test_copies_merged_at_the_same_time_agree_without_another_exchange(a_edits, b_edits):
    with tempfile.TemporaryDirectory() as folder:
        a_path, b_path = make_pair(folder)
        with (
            CaseFile.open(a_path, PASSPHRASE, actor="Ana") as a,
            CaseFile.open(b_path, OTHER, actor="Ben") as b,
        ):
            run_edits(a, a_edits, set(), "A")
            run_edits(b, b_edits, set(), "B")
        a_sent, b_sent = (
            os.path.join(folder, "a-sent.ircase"),
            os.path.join(folder, "b-sent.ircase"),
        )
        shutil.copyfile(a_path, a_sent)
        shutil.copyfile(b_path, b_sent)
        with CaseFile.open(a_path, PASSPHRASE, actor="Ana") as a:
            ops.merge_copy(a, b_sent, OTHER)
        with CaseFile.open(b_path, OTHER, actor="Ben") as b:
            ops.merge_copy(b, a_sent, PASSPHRASE)
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
        note = a.notes.page()[0]
        ops.edit_note(a, note.id, body="Ana's version")
    with CaseFile.open(b_path, OTHER, actor="Ben") as b:
        ops.edit_note(b, note.id, body="Ben's version")  # later: wins
    with CaseFile.open(a_path, PASSPHRASE, actor="Ana") as a:
        other = open_other(a, b_path, OTHER)
        plan = plan_merge(a, other)
        assert [c.verdict for c in plan.changes] == [Verdict.CONFLICT]
        result = ops.merge(a, other, plan).value
        other.close()
        assert "1 left as conflicts" in result.summary()
        assert a.records.get(Note, note.id).body == "Ben's version"
        [conflict] = list_conflicts(a)
        assert conflict.other.body == "Ana's version"
        entries = list(a.chain.entries())
        assert entries[-1].action == "merge" and plan.other_head in entries[-1].source
        assert a.chain.contains_head(plan.other_head)
        ops.settle_conflict(a, conflict, Resolution.KEEP_BOTH)
        assert list_conflicts(a) == []
        assert {n.body for n in a.notes.page()} >= {"Ana's version", "Ben's version"}
        assert check_case(a).ok


def test_taking_the_other_version_makes_it_current(pair):
    a_path, b_path = pair
    with CaseFile.open(a_path, PASSPHRASE, actor="Ana") as a:
        note = a.notes.page()[0]
        ops.edit_note(a, note.id, body="Ana's version")
    with CaseFile.open(b_path, OTHER, actor="Ben") as b:
        ops.edit_note(b, note.id, body="Ben's version")
    with CaseFile.open(a_path, PASSPHRASE, actor="Ana") as a:
        ops.merge_copy(a, b_path, OTHER)
        [conflict] = list_conflicts(a)
        ops.settle_conflict(a, conflict, Resolution.TAKE_OTHER)
        assert a.records.get(Note, note.id).body == "Ana's version"
        assert list_conflicts(a) == [] and check_case(a).ok


def test_new_attachments_come_across_hash_checked(pair):
    a_path, b_path = pair
    data = os.urandom(200_000)
    with CaseFile.open(b_path, OTHER, actor="Ben") as b:
        attachment = ops.attach(b, "memdump-excerpt.bin", data).value
        ops.record_report(b, report_id="r1", chain_head=b.chain_head, signed=True)
    with CaseFile.open(a_path, PASSPHRASE, actor="Ana") as a:
        result = ops.merge_copy(a, b_path, OTHER)
        assert a.attachment_bytes(attachment.id) == data
        assert a.records.get(Attachment, attachment.id).sha256 == hashlib.sha256(data).hexdigest()
        [report] = a.records.all(ReportIssue)
        assert result.plan.report_heads == (report.chain_head,)
        assert a.chain.contains_head(report.chain_head)  # a report signed on the copy verifies
        assert check_case(a).ok


def test_engagements_edited_on_both_sides_never_conflict(pair):
    a_path, b_path = pair
    with CaseFile.open(a_path, PASSPHRASE, actor="Ana") as a:
        [eng] = a.records.all(Engagement)
        first = eng.needed_at + timedelta(minutes=5)
        ops.edit_engagement(a, eng.id, first_attempt_at=first, outcome="voicemail")
    with CaseFile.open(b_path, OTHER, actor="Ben") as b:
        reached = eng.needed_at + timedelta(hours=2)
        ops.edit_engagement(b, eng.id, reached_at=reached, outcome="reached via MSP")
    with CaseFile.open(a_path, PASSPHRASE, actor="Ana") as a:
        ops.merge_copy(a, b_path, OTHER)
        joined = a.records.get(Engagement, eng.id)
        assert (joined.first_attempt_at, joined.reached_at) == (first, reached)
        assert "voicemail" in joined.outcome and "reached via MSP" in joined.outcome
        assert list_conflicts(a) == []
    with CaseFile.open(b_path, OTHER, actor="Ben") as b:
        ops.merge_copy(b, a_path, PASSPHRASE)
        assert b.records.get(Engagement, eng.id) == joined


# ---------------------------------------------------------------- refusals leave CASE unchanged


def refused(a_path: str, other_path: str, passphrase: str, error: type[Exception]) -> str:
    before = digest(a_path)
    with CaseFile.open(a_path, PASSPHRASE, actor="Ana") as a:
        with pytest.raises(error) as failure:
            ops.merge_copy(a, other_path, passphrase)
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


@pytest.mark.parametrize("damage", [
    "UPDATE notes SET occurred = '9999-12-31T23:30:00.000000-05:00' WHERE seq = 1",  # overflows in UTC
    "UPDATE notes SET created = '0001-01-01T00:10:00.000000+01:00' WHERE seq = 2",
    "UPDATE revisions SET json = '" + "[" * 100_000 + "]" * 100_000 + "'",  # 100k-deep JSON
    "UPDATE revisions SET superseded = 'not a time'",  # a column no hash covers
    "UPDATE revisions SET conflict = 1",  # a conflict the chain never recorded
    "UPDATE evidence SET size = 9223372036854775807",
    "UPDATE meta SET value = 'x' WHERE key = 'format_version'",
])
def test_an_other_copy_with_hostile_stored_values_is_refused_whole(pair, damage):
    a_path, b_path = pair
    with CaseFile.open(b_path, OTHER, actor="Ben") as b:  # so it has a kept revision
        note = b.records.all(Note)[0]
        ops.edit_note(b, note.id, body="edited on the copy")
    conn = raw_connection(b_path, OTHER)
    conn.execute(damage)
    conn.close()
    with CaseFile.open(b_path, OTHER, writable=False) as b:
        assert not check_case(b).ok  # check reports it, in a sentence, instead of failing
    refused(a_path, b_path, OTHER, TamperedCase)


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


def test_a_note_typed_during_the_preview_does_not_stop_the_merge(pair):
    """The case moved on, but the merge still makes the changes the preview showed."""
    a_path, b_path = pair
    with CaseFile.open(b_path, OTHER, actor="Ben") as b:
        ops.add_note(b, Phase.DETECTION, "from Ben")
    with CaseFile.open(a_path, PASSPHRASE, actor="Ana") as a:
        other = open_other(a, b_path, OTHER)
        plan = plan_merge(a, other)
        ops.add_note(a, Phase.DETECTION, "typed during the preview")
        result = ops.merge(a, other, plan).value
        other.close()
        assert result.plan.added == plan.added == 1
        assert a.notes.count() == 5


def test_a_plan_the_case_has_outgrown_is_refused(pair):
    """A record both sides touched since the preview: what the user saw no longer holds."""
    a_path, b_path = pair
    with CaseFile.open(b_path, OTHER, actor="Ben") as b:
        note = b.notes.page()[0]
        ops.edit_note(b, note.id, body="Ben's edit")
    with CaseFile.open(a_path, PASSPHRASE, actor="Ana") as a:
        other = open_other(a, b_path, OTHER)
        plan = plan_merge(a, other)
        ops.edit_note(a, note.id, body="Ana's edit, typed during the preview")
        with pytest.raises(CaseFileError, match="preview it again"):
            ops.merge(a, other, plan)
        other.close()
        assert a.records.get(Note, note.id).body == "Ana's edit, typed during the preview"


def test_the_other_copy_is_only_read(pair, tmp_path):
    a_path, b_path = pair
    kept = str(tmp_path / "kept.ircase")
    shutil.copyfile(b_path, kept)
    before = digest(kept)
    with CaseFile.open(a_path, PASSPHRASE, actor="Ana") as a:
        ops.merge_copy(a, kept, OTHER)
    assert digest(kept) == before


def test_a_deletion_against_an_edit_is_a_conflict_like_any_edit(pair):
    a_path, b_path = pair
    with CaseFile.open(a_path, PASSPHRASE, actor="Ana") as a:
        note = a.notes.page()[0]
        ops.delete(a, Note, note.id)
    with CaseFile.open(b_path, OTHER, actor="Ben") as b:
        ops.edit_note(b, note.id, body="Ben still needs this")  # later: wins over the deletion
    with CaseFile.open(a_path, PASSPHRASE, actor="Ana") as a:
        ops.merge_copy(a, b_path, OTHER)
        assert a.records.get(Note, note.id).body == "Ben still needs this"
        [conflict] = list_conflicts(a)
        assert conflict.other.deleted and not conflict.can_keep_both
        ops.settle_conflict(a, conflict, Resolution.KEEP_CURRENT)
        assert list_conflicts(a) == [] and not a.records.get(Note, note.id).deleted
        assert any(r.record.deleted for r in a.records.history(Note, note.id))  # still in the history
        assert check_case(a).ok


# ---------------------------------------------------------------- three copies, conflicts settled

THIRD = "amber-lantern-58-quarry-y"
# A step on one of three copies: edit a note, settle a conflict, or merge one copy into another.
step_op = st.one_of(
    st.tuples(st.just("edit"), st.integers(0, 2), st.integers(0, 2), st.text(alphabet="abxy", min_size=1, max_size=3)),
    st.tuples(st.just("settle"), st.integers(0, 2), st.sampled_from(list(Resolution)), st.just("")),
    st.tuples(st.just("merge"), st.integers(0, 2), st.integers(0, 2), st.just("")),
)


def open_conflicts(case: CaseFile) -> set[tuple[str, str, str]]:
    return {(c.kind, c.other.id, c.other.rev) for c in list_conflicts(case)}


@settings(max_examples=max(4, settings.default.max_examples // 12))
@given(st.lists(step_op, min_size=3, max_size=10))
def test_three_copies_converge_on_the_same_open_and_settled_conflicts(steps):
    with tempfile.TemporaryDirectory() as folder:
        a_path, b_path = make_pair(folder)
        c_path = os.path.join(folder, "c.ircase")
        with CaseFile.open(a_path, PASSPHRASE, actor="Ana") as a:
            write_handoff_copy(a, c_path, THIRD)
        copies = [(a_path, PASSPHRASE, "Ana"), (b_path, OTHER, "Ben"), (c_path, THIRD, "Cem")]

        def merge(dst: int, src: int) -> None:
            if dst != src:
                with CaseFile.open(copies[dst][0], copies[dst][1], actor=copies[dst][2]) as case:
                    ops.merge_copy(case, copies[src][0], copies[src][1])

        for what, who, arg, text in steps:
            if what == "merge":
                merge(who, arg)
                continue
            with CaseFile.open(copies[who][0], copies[who][1], actor=copies[who][2]) as case:
                if what == "edit":
                    note = case.records.all(Note)[arg % 3]
                    ops.edit_note(case, note.id, body=f"{note.body} {copies[who][2]} {text}")
                else:
                    conflicts = list_conflicts(case)
                    if conflicts:
                        how = arg if arg is not Resolution.KEEP_BOTH or conflicts[0].can_keep_both \
                            else Resolution.KEEP_CURRENT
                        ops.settle_conflict(case, conflicts[0], how)
        for _ in range(2):  # everyone meets everyone, twice: the last round changes nothing
            for dst, src in ((0, 1), (0, 2), (1, 0), (2, 0)):
                merge(dst, src)
        seen = []
        for path, passphrase, actor in copies:
            with CaseFile.open(path, passphrase, actor=actor) as case:
                seen.append((state(case), open_conflicts(case)))
                assert check_case(case).ok
        assert seen[0] == seen[1] == seen[2]


def test_a_conflict_settled_on_one_copy_is_settled_on_the_others(pair, tmp_path):
    a_path, b_path = pair
    c_path = str(tmp_path / "c.ircase")
    with CaseFile.open(a_path, PASSPHRASE, actor="Ana") as a:
        write_handoff_copy(a, c_path, THIRD)
        note = a.records.all(Note)[0]
        ops.edit_note(a, note.id, body="Ana's version")
    with CaseFile.open(b_path, OTHER, actor="Ben") as b:
        ops.edit_note(b, note.id, body="Ben's version")
    with CaseFile.open(c_path, THIRD, actor="Cem") as c:
        ops.merge_copy(c, a_path, PASSPHRASE)
        ops.merge_copy(c, b_path, OTHER)  # C holds the conflict, open
        assert len(list_conflicts(c)) == 1
    with CaseFile.open(b_path, OTHER, actor="Ben") as b:
        ops.merge_copy(b, a_path, PASSPHRASE)  # so does B
        [conflict] = list_conflicts(b)
        ops.settle_conflict(b, conflict, Resolution.KEEP_CURRENT)  # B settles it
    for path, passphrase in ((c_path, THIRD), (a_path, PASSPHRASE)):
        with CaseFile.open(path, passphrase, actor="X") as case:
            ops.merge_copy(case, b_path, OTHER)
            assert list_conflicts(case) == [] and check_case(case).ok
