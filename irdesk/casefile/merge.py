"""Merging a colleague's copy into the case: open and verify it, plan, then apply in one go.

The other copy is untrusted input. ``open_other`` refuses the case file itself and a copy
of another case, unlocks the copy read-only (schema allow-list and chain tail on open),
then runs the full integrity and chain check before a single record is read. Records are
read through our own codec, decided by ``irdesk.domain.merge``, and written through
``RecordStore.merge_record`` in one transaction, so a merge lands whole or not at all.

``plan_merge`` writes nothing (it is the preview, and may run on a read-only connection);
the ``merge`` operation (``irdesk.casefile.operations.transfer``) applies a plan, planning
again when the case moved on since the preview. An empty plan writes nothing, which is what
makes a second merge of the same copy a no-op.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from irdesk.casefile import rules
from irdesk.casefile.check import check_case
from irdesk.casefile.container import EncryptedFile
from irdesk.casefile.errors import CaseFileError, TamperedCase, WrongPassphrase
from irdesk.domain.errors import ExitCode
from irdesk.domain.merge import Decision, Verdict, decide
from irdesk.domain.records import Attachment, Record, ReportIssue

Progress = Callable[[int, int], None]  # (done, total)
Cancelled = Callable[[], bool]


class MergeRefused(CaseFileError):
    """The other file cannot be merged into this case (itself, or another case): exit 2."""

    exit_code = ExitCode.USAGE


class MergeCancelled(CaseFileError):
    def __init__(self) -> None:
        super().__init__("The merge was cancelled; the case is unchanged.")


@dataclass(frozen=True)
class Change:
    """One record the merge writes, and why."""

    decision: Decision
    ours: Record | None
    theirs: Record
    kept: tuple[tuple[Record, bool], ...] = ()  # revisions new to us, with their conflict flag
    previous_conflict: bool = False  # keep our replaced version as a visible conflict

    @property
    def verdict(self) -> Verdict:
        return self.decision.verdict

    @property
    def result(self) -> Record:
        """The record CASE holds after the merge."""
        return self.decision.current or self.ours or self.theirs

    @property
    def conflict_loser(self) -> Record | None:
        return self.decision.loser


@dataclass
class MergePlan:
    other_path: str
    other_head: str
    other_fingerprint: str
    case_head: str  # the case's chain head when planned; apply refuses if it moved
    changes: list[Change] = field(default_factory=list)
    report_heads: tuple[str, ...] = ()  # chain heads of the other copy's reports

    @property
    def source(self) -> str:
        """What every merge entry in the audit chain names."""
        return f"merge from {os.path.basename(self.other_path)} at chain head {self.other_head}"

    def count(self, *verdicts: Verdict) -> int:
        return sum(1 for c in self.changes if c.verdict in verdicts)

    @property
    def added(self) -> int:
        return self.count(Verdict.NEW)

    @property
    def updated(self) -> int:
        return self.count(Verdict.THEIRS, Verdict.COMBINED)

    @property
    def conflicts(self) -> list[Change]:
        return [c for c in self.changes if c.verdict is Verdict.CONFLICT]

    @property
    def history_only(self) -> int:
        """Records whose current version stays, but which gain earlier versions."""
        return self.count(Verdict.SAME, Verdict.OURS)

    @property
    def empty(self) -> bool:
        return not self.changes

    def same_changes(self, other: MergePlan) -> bool:
        """Both plans add, update and leave as conflicts the same numbers of records."""
        return (self.added, self.updated, len(self.conflicts), self.history_only) == (
            other.added, other.updated, len(other.conflicts), other.history_only)


@dataclass(frozen=True)
class MergeResult:
    plan: MergePlan
    chain_head: str  # the case's head after the merge

    def summary(self) -> str:
        p = self.plan
        if p.empty:
            return "Nothing to merge: the case already holds everything in the other copy."
        parts = [
            f"{p.added} added",
            f"{p.updated} updated",
            f"{len(p.conflicts)} left as conflicts",
        ]
        if p.history_only:
            parts.append(f"{p.history_only} gained earlier versions")
        return "Merged: " + ", ".join(parts) + "."


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)  # stat only: no descriptor on a file SQLite holds
    except OSError:
        return False


F = TypeVar("F", bound=EncryptedFile)


def open_other(case: F, other_path: str, passphrase: str) -> F:
    """Unlock and fully verify a colleague's copy of ``case``; the caller closes it.

    Raises:
        MergeRefused: ``other_path`` is the case itself, or a copy of a different case.
        WrongPassphrase: the other copy's passphrase is wrong.
        TamperedCase: the other copy fails its integrity or chain check.
        CaseFileError: missing, not a case file, a newer format…
    """
    if _same_file(case.path, other_path):
        raise MergeRefused(f"{other_path} is this case itself; choose the colleague's copy.")
    try:
        other = type(case).open(other_path, passphrase, actor=case.actor, writable=False)
    except WrongPassphrase:
        raise WrongPassphrase(
            f"The passphrase for {other_path} is wrong, or that file's first page is damaged."
        ) from None
    try:
        if other.file_id != case.file_id:
            what = case.KIND.name
            raise MergeRefused(
                f"{other_path} is a copy of a different {what} ({other.title()}); "
                f"only copies of this {what} can be merged."
            )
        report = check_case(other)
        if not report.ok:
            raise TamperedCase(
                f"{other_path} failed its check ({report.problems[0]}); nothing was merged."
            )
    except BaseException:
        other.close()
        raise
    return other


def plan_merge(
    case: EncryptedFile,
    other: EncryptedFile,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> MergePlan:
    """Work out every change the merge would make, without writing anything.

    The case itself is vouched for first (``TamperedCase`` when it is damaged: nothing is
    merged into a case whose chain no longer vouches for it); the other copy passed its
    full check in ``open_other``.
    """
    with case.verified():
        plan = MergePlan(other.path, other.chain_head, other.fingerprint(), case.chain_head)
        kinds = case.KIND.record_types
        for step, cls in enumerate(kinds):
            if cancelled and cancelled():
                raise MergeCancelled()
            plan.changes.extend(_plan_kind(case, other, cls))
            if progress:
                progress(step + 1, len(kinds))
    heads = {
        c.theirs.chain_head
        for c in plan.changes
        if isinstance(c.theirs, ReportIssue) and c.verdict is Verdict.NEW
    }
    plan.report_heads = tuple(sorted(h for h in heads if other.chain.contains_head(h)))
    return plan


def _plan_kind(case: EncryptedFile, other: EncryptedFile, cls: type[Record]) -> list[Change]:
    """The changes for one kind. Only records whose revisions differ are decoded."""
    their_current = other.records.current_revs(cls)
    if cls is case.KIND.identity and set(their_current) - {case.file_id}:
        raise TamperedCase(f"{other.path} holds a second {cls.KIND} record; nothing was merged.")
    our_current = case.records.current_revs(cls)
    our_revs = case.records.revision_ids(cls)
    their_revs: dict[str, list[tuple[Record, bool]]] = {}
    for revision in other.records.all_revisions(cls):
        their_revs.setdefault(revision.record.id, []).append((revision.record, revision.conflict))

    def known_to_us(record_id: str) -> set[str]:
        current = our_current.get(record_id)
        return our_revs.get(record_id, set()) | ({current} if current else set())

    candidates = []
    for record_id, rev in their_current.items():
        history = their_revs.get(record_id, ())
        if our_current.get(record_id) != rev or (
            history and not {r.rev for r, _ in history} <= known_to_us(record_id)
        ):
            candidates.append(record_id)
    theirs_by_id = other.records.find_many(cls, candidates)
    ours_by_id = case.records.find_many(cls, [c for c in candidates if c in our_current])
    changes = []
    for record_id in candidates:
        theirs, ours = theirs_by_id[record_id], ours_by_id.get(record_id)
        our_known = known_to_us(record_id)
        history = their_revs.get(record_id, [])
        their_flags = {r.rev: flag for r, flag in history}
        their_known = set(their_flags) | {theirs.rev}
        decision = decide(ours, theirs, our_known, their_known, clash=_clash)
        if isinstance(theirs, Attachment) and ours is not None and decision.changes:
            _same_content(ours, theirs, other.path)
        result = decision.current or ours
        assert result is not None
        skip = our_known | {result.rev}
        kept: dict[str, tuple[Record, bool]] = {}
        for earlier, flag in history:
            if earlier.rev not in skip:
                kept.setdefault(earlier.rev, (earlier, flag))
        if decision.verdict is Verdict.COMBINED and theirs.rev not in skip:
            kept[theirs.rev] = (theirs, False)
        if decision.loser is not None and decision.loser is theirs:
            kept[theirs.rev] = (theirs, True)
        previous_conflict = (decision.verdict is Verdict.CONFLICT and decision.loser is ours) or (
            decision.verdict is Verdict.THEIRS
            and ours is not None
            and their_flags.get(ours.rev, False)
        )
        if decision.changes or kept:
            changes.append(
                Change(decision, ours, theirs, tuple(kept.values()), bool(previous_conflict))
            )
    return changes


def _clash(joined: Record, ours: Record, theirs: Record) -> bool:
    return rules.clash(joined, ours, theirs)


def _same_content(ours: Record, theirs: Record, other_path: str) -> None:
    assert isinstance(ours, Attachment) and isinstance(theirs, Attachment)
    if ours.sha256 != theirs.sha256 or ours.size != theirs.size:
        raise TamperedCase(
            f"{other_path} holds different bytes under an attachment this case has; "
            "nothing was merged."
        )


def apply_plan(
    case: EncryptedFile,
    other: EncryptedFile,
    plan: MergePlan,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> MergeResult:
    """Write a plan into the case (inside the caller's transaction); an empty plan writes nothing."""
    if plan.empty:
        return MergeResult(plan, case.chain_head)
    source = plan.source
    total = len(plan.changes)
    for done, change in enumerate(plan.changes, 1):
        if cancelled and done % 200 == 0 and cancelled():
            raise MergeCancelled()
        content = None
        if isinstance(change.theirs, Attachment) and change.verdict is Verdict.NEW:
            content = _attachment_content(other, change.theirs)
        case.records.merge_record(
            change.result,
            previous=change.ours,
            source=source,
            previous_conflict=change.previous_conflict,
            kept=change.kept,
            content=content,
        )
        if progress and (done % 200 == 0 or done == total):
            progress(done, total)
    reports = f"; reports signed at {', '.join(plan.report_heads)}" if plan.report_heads else ""
    case.chain.append(action="merge", entity="file", entity_id=case.file_id,
                      source=f"{source} (fingerprint {plan.other_fingerprint}){reports}")
    return MergeResult(plan, case.chain_head)


def _attachment_content(other: EncryptedFile, record: Attachment) -> bytes:
    from irdesk.casefile.store import CaseFile

    assert isinstance(other, CaseFile)  # only a case holds attachments
    data = other.attachment_bytes(record.id)  # checked against the recorded SHA-256
    if len(data) != record.size:
        raise TamperedCase(
            f"The attachment {record.name} in {other.path} is not the size it records."
        )
    return data
