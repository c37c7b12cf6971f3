"""Which revision of a record wins when two copies of a case meet: pure, deterministic rules.

Both sides of a hand-off run the same rules on the same pair of revisions, so after
merging A into B and B into A they hold the same records:

* a record one side has never seen is added;
* a record one side has not changed since the other's edit (its current revision is
  among the other side's known revisions) takes the other side's edit (fast-forward);
* a record edited on both sides is a conflict: the later edit (``updated``) wins, ties
  broken by the higher content hash, and the loser stays attached as a visible conflict;
* engagements never conflict: both edits are combined field by field (see
  ``combine_engagements``) into one revision whose id is derived from the two it joins,
  so both sides build the very same record; unless the joined times clash (a first attempt
  after the answer) where neither edit did on its own: then it is a conflict after all.

A deletion is a tombstone (``deleted=True``) and merges like any other edit.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any, TypeVar

from irdesk.domain.canonical import record_hash
from irdesk.domain.moment import Moment
from irdesk.domain.records import Engagement, Record

R = TypeVar("R", bound=Record)

# Namespace for the revision ids of combined engagements (a fixed, random UUID).
_COMBINED = uuid.UUID("6f1d7c5e-3b7a-4f0e-9a51-2c9d0e8b4a17")
ENGAGEMENT_TIMES = ("needed_at", "first_attempt_at", "reached_at", "resolved_at")


class Verdict(Enum):
    SAME = "same"  # both hold the same revision
    OURS = "ours"  # ours already includes theirs: nothing to do
    THEIRS = "theirs"  # ours is an ancestor of theirs: take theirs
    NEW = "new"  # we have never seen the record
    CONFLICT = "conflict"  # both edited since they last met
    COMBINED = "combined"  # both edited an engagement: fields joined, no conflict


@dataclass(frozen=True)
class Decision:
    """What a merge does with one record.

    ``current`` is the record CASE holds afterwards (``None`` when nothing changes);
    ``loser`` is the competing revision kept as a visible conflict, if any.
    """

    verdict: Verdict
    current: Record | None = None
    loser: Record | None = None

    @property
    def changes(self) -> bool:
        return self.verdict not in (Verdict.SAME, Verdict.OURS)


def classify(
    ours_rev: str | None, theirs_rev: str, our_known: set[str], their_known: set[str]
) -> Verdict:
    """How two current revisions relate, given every revision id each side has seen."""
    if ours_rev is None:
        return Verdict.NEW
    if ours_rev == theirs_rev:
        return Verdict.SAME
    if theirs_rev in our_known:
        return Verdict.OURS
    if ours_rev in their_known:
        return Verdict.THEIRS
    return Verdict.CONFLICT


def precedence(record: Record) -> tuple[object, str]:
    """The sort key that picks a conflict's winner: later edit first, then content hash."""
    return (record.updated.utc, record_hash(record))


def winner_and_loser(a: R, b: R) -> tuple[R, R]:
    """Deterministic and symmetric: ``winner_and_loser(a, b) == winner_and_loser(b, a)``."""
    return (a, b) if precedence(a) > precedence(b) else (b, a)


Clash = Callable[[Record, Record, Record], bool]  # (joined, ours, theirs): the join breaks a rule


def decide(
    ours: Record | None, theirs: Record, our_known: set[str], their_known: set[str],
    clash: Clash | None = None,
) -> Decision:
    """The merge decision for one record (``ours`` is None when CASE has never seen it).

    ``clash`` says when a joined engagement breaks a rule that neither side broke (the case
    file's rules: the domain does not hold them); such a join becomes a conflict.
    """
    verdict = classify(ours.rev if ours else None, theirs.rev, our_known, their_known)
    if verdict in (Verdict.NEW, Verdict.THEIRS):
        return Decision(verdict, current=theirs)
    if verdict is not Verdict.CONFLICT:
        return Decision(verdict)
    assert ours is not None
    if isinstance(ours, Engagement) and isinstance(theirs, Engagement):
        joined = combine_engagements(ours, theirs)
        if clash is None or not clash(joined, ours, theirs):
            return Decision(Verdict.COMBINED, current=joined)
    winner, loser = winner_and_loser(ours, theirs)
    return Decision(Verdict.CONFLICT, current=winner, loser=loser)


def _earliest(a: Moment | None, b: Moment | None) -> Moment | None:
    if a is None or b is None:
        return a if b is None else b
    return min(a, b, key=lambda m: (m.utc, m.isoformat()))


def _joined(first: str, second: str) -> str:
    """Both texts, neither lost; a text the other already contains is not repeated."""
    if second in first:
        return first
    if first in second:
        return second
    return f"{first}\n\n{second}"


def combine_engagements(a: Engagement, b: Engagement) -> Engagement:
    """Join two concurrent edits of an engagement; never a conflict.

    Every time either side set is kept: where both set one, the earlier wins (an
    engagement's times record when something *first* happened). Texts that differ are
    joined, the winner's first. The other fields come from the winner (later edit, then
    content hash). The result's revision id is derived from the two revision ids, so
    both copies compute the same record.
    """
    winner, loser = winner_and_loser(a, b)
    times: dict[str, Any] = {
        name: _earliest(getattr(winner, name), getattr(loser, name)) for name in ENGAGEMENT_TIMES
    }
    low, high = sorted((a.rev, b.rev))
    return dataclasses.replace(
        winner,
        **times,
        purpose=_joined(winner.purpose, loser.purpose),
        outcome=_joined(winner.outcome, loser.outcome),
        rev=str(uuid.uuid5(_COMBINED, f"{low} {high}")),
        parent_rev=winner.rev,
    )
