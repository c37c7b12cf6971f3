"""The pure merge rules, hammered with Hypothesis on an in-memory model of two copies."""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from irdesk.domain.enums import Phase
from irdesk.domain.merge import Verdict, combine_engagements, decide, winner_and_loser
from irdesk.domain.moment import Moment
from irdesk.domain.records import Engagement, Note, Record

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
IDS = [f"00000000-0000-4000-8000-00000000000{i}" for i in range(6)]


def at(minutes: int) -> Moment:
    return Moment(T0 + timedelta(minutes=minutes), 60)


@dataclass
class Replica:
    """A copy of a case reduced to what merging needs: current records and known revisions."""

    records: dict[str, Record] = field(default_factory=dict)
    known: dict[str, set[str]] = field(default_factory=dict)

    def write(self, record: Record) -> None:
        self.records[record.id] = record
        self.known.setdefault(record.id, set()).add(record.rev)

    def copy(self) -> Replica:
        return Replica(dict(self.records), {k: set(v) for k, v in self.known.items()})


def merge(into: Replica, other: Replica) -> int:
    """Merge ``other`` into ``into`` the way the case file does; returns the changes made."""
    changed = 0
    for theirs in other.records.values():
        ours = into.records.get(theirs.id)
        our_known = into.known.get(theirs.id, set())
        their_known = other.known[theirs.id]
        decision = decide(ours, theirs, our_known, their_known)
        new_known = our_known | their_known
        if decision.current is not None:
            into.records[theirs.id] = decision.current
            new_known.add(decision.current.rev)
        if decision.changes or new_known != our_known:
            changed += 1
        into.known[theirs.id] = new_known
    return changed


def new_note(record_id: str, minutes: int, body: str) -> Note:
    return Note(
        id=record_id,
        rev=str(uuid.uuid4()),
        parent_rev=None,
        created=at(minutes),
        updated=at(minutes),
        author="a",
        phase=Phase.DETECTION,
        body=body,
        occurred=at(0),
    )


def new_engagement(record_id: str, minutes: int, purpose: str) -> Engagement:
    return Engagement(
        id=record_id,
        rev=str(uuid.uuid4()),
        parent_rev=None,
        created=at(minutes),
        updated=at(minutes),
        author="a",
        contact_id="c",
        purpose=purpose,
        needed_at=at(0),
    )


def edit(record: Record, minutes: int, **changes: object) -> Record:
    return dataclasses.replace(
        record, rev=str(uuid.uuid4()), parent_rev=record.rev, updated=at(minutes), **changes
    )


# One operation: (what, which id, when, text). Times are small so ties happen often.
op = st.tuples(
    st.sampled_from(["add", "edit", "delete", "reach"]),
    st.sampled_from(IDS),
    st.integers(0, 5),
    st.sampled_from(["alpha", "beta", "gamma", "", "alpha beta"]),
)


def apply_ops(
    replica: Replica, ops: list[tuple[str, str, int, str]], written: dict[str, Record]
) -> None:
    for what, record_id, minutes, text in ops:
        engagement = record_id.endswith(("4", "5"))
        current = replica.records.get(record_id)
        if current is None:
            if what == "add":
                new = (new_engagement if engagement else new_note)(record_id, minutes, text)
                replica.write(new)
                written[new.rev] = new
            continue
        if what == "delete":
            new = edit(current, minutes, deleted=True)
        elif what == "reach" and isinstance(current, Engagement):
            new = edit(current, minutes, reached_at=at(minutes * 7))
        elif isinstance(current, Engagement):
            new = edit(current, minutes, outcome=text)
        else:
            new = edit(current, minutes, body=text)
        replica.write(new)
        written[new.rev] = new


@given(st.lists(op, max_size=6), st.lists(op, max_size=12), st.lists(op, max_size=12))
def test_two_copies_converge_and_merging_twice_changes_nothing(base_ops, a_ops, b_ops):
    written: dict[str, Record] = {}
    base = Replica()
    apply_ops(base, base_ops, written)
    a, b = base.copy(), base.copy()
    apply_ops(a, a_ops, written)
    apply_ops(b, b_ops, written)
    ids_before = set(a.records) | set(b.records)

    merge(a, b)  # A <- B
    merge(b, a)  # B <- A

    assert a.records == b.records
    assert a.known == b.known
    assert set(a.records) == ids_before  # nothing lost, nothing doubled
    every_rev = set().union(*a.known.values()) if a.known else set()
    assert set(written) <= every_rev  # every version ever written is still known
    snapshot = a.copy()
    assert merge(a, b) == 0 and merge(b, a) == 0
    assert a.records == snapshot.records and a.known == snapshot.known


@given(st.lists(op, max_size=6), st.lists(op, max_size=12), st.lists(op, max_size=12))
def test_copies_merged_at_the_same_time_make_the_same_choices(base_ops, a_ops, b_ops):
    written: dict[str, Record] = {}
    base = Replica()
    apply_ops(base, base_ops, written)
    a, b = base.copy(), base.copy()
    apply_ops(a, a_ops, written)
    apply_ops(b, b_ops, written)
    a_before, b_before = a.copy(), b.copy()
    merge(a, b_before)  # each side merges the other's copy as it was: no second exchange
    merge(b, a_before)
    assert a.records == b.records
    assert a.known == b.known


@given(st.lists(op, max_size=12), st.lists(op, max_size=12))
def test_merge_order_does_not_matter(a_ops, b_ops):
    written: dict[str, Record] = {}
    a, b = Replica(), Replica()
    apply_ops(a, a_ops, written)
    b = a.copy()
    apply_ops(a, a_ops[::-1], written)
    apply_ops(b, b_ops, written)
    a2, b2 = a.copy(), b.copy()
    merge(a, b)  # A <- B then B <- A ...
    merge(b, a)
    merge(b2, a2)  # ... equals B <- A then A <- B
    merge(a2, b2)
    assert a.records == a2.records == b2.records


@given(
    st.integers(0, 3), st.integers(0, 3), st.sampled_from(["x", "y"]), st.sampled_from(["x", "z"])
)
def test_a_conflict_picks_the_same_winner_from_either_side(ta, tb, body_a, body_b):
    base = new_note(IDS[0], 0, "base")
    a, b = edit(base, ta, body=body_a), edit(base, tb, body=body_b)
    from_a = decide(a, b, {base.rev, a.rev}, {base.rev, b.rev})
    from_b = decide(b, a, {base.rev, b.rev}, {base.rev, a.rev})
    assert from_a.verdict is from_b.verdict is Verdict.CONFLICT
    assert from_a.current == from_b.current and from_a.loser == from_b.loser
    assert {from_a.current.rev, from_a.loser.rev} == {a.rev, b.rev}
    if ta != tb:
        assert from_a.current.updated == at(max(ta, tb))  # the later edit wins


def test_fast_forward_and_already_merged():
    base = new_note(IDS[0], 0, "base")
    theirs = edit(base, 1, body="theirs")
    assert decide(base, theirs, {base.rev}, {base.rev, theirs.rev}).verdict is Verdict.THEIRS
    assert decide(theirs, base, {base.rev, theirs.rev}, {base.rev}).verdict is Verdict.OURS
    assert decide(None, base, set(), {base.rev}).verdict is Verdict.NEW
    assert decide(base, base, {base.rev}, {base.rev}).verdict is Verdict.SAME


def test_concurrent_engagement_edits_keep_every_time_and_text():
    base = new_engagement(IDS[4], 0, "Firewall access")
    a = edit(base, 2, first_attempt_at=at(10), outcome="Called twice")
    b = edit(base, 3, first_attempt_at=at(5), reached_at=at(30), outcome="Reached on mobile")
    decision = decide(a, b, {base.rev, a.rev}, {base.rev, b.rev})
    assert decision.verdict is Verdict.COMBINED and decision.loser is None
    joined = decision.current
    assert joined == combine_engagements(b, a)  # both copies build the same record
    assert joined.first_attempt_at == at(5) and joined.reached_at == at(30)
    assert "Called twice" in joined.outcome and "Reached on mobile" in joined.outcome
    assert joined.rev not in (a.rev, b.rev)


def test_winner_is_symmetric_on_a_full_tie():
    base = new_note(IDS[0], 0, "base")
    a, b = edit(base, 1, body="one"), edit(base, 1, body="two")
    assert winner_and_loser(a, b) == winner_and_loser(b, a)
