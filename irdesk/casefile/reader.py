"""The one verified reader: a record is read only if it equals the chain's latest entry for it.

Everything that reads a case goes through here: the report, every export format, ``show``,
``search``, the hand-off copy, merge and import, the operations that revise a record, and
the GUI's models. Each stored row is turned into its canonical JSON and hashed; the digest
must be the one the audit chain last committed to for that record (``ChainIndex``), or the
read fails with ``TamperedCase`` naming the record. Kept revisions must be versions the
chain committed to, with their bookkeeping intact.

``problems`` is the whole-case pass: every record, every kept revision, nothing missing,
nothing extra. Inside ``CaseFile.verified()`` it runs once and then vouches for every read
of the same consistent state, so an export or a report pays for one pass, not two.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

from irdesk.casefile import codec
from irdesk.casefile.chain import AuditChain
from irdesk.casefile.chain_index import ChainIndex
from irdesk.casefile.errors import NoSuchRecord, TamperedCase
from irdesk.casefile.kinds import FileKind
from irdesk.casefile.rows import RevisionRow, Row, StoredRows, row_digest, sort_key_holds
from irdesk.domain.canonical import RecordFormatError, from_dict
from irdesk.domain.moment import Moment
from irdesk.domain.records import Note, Record, Revision, Settlement
from irdesk.domain.registry import ALL_BY_KIND

R = TypeVar("R", bound=Record)
Damage = Callable[[TamperedCase], None]
CHECK = "run `irdesk check` on it"


def refusal(problem: str) -> TamperedCase:
    """One problem ``problems`` names, as the refusal a command or a window shows."""
    return TamperedCase(f"{problem.rstrip('.')}: the case was altered or damaged; {CHECK}.")


class VerifiedReader:
    """Typed, chain-verified reads of one open file.

    ``tolerant`` readers (the GUI's) leave a record that fails out of a list and report it
    to ``on_damage`` instead of failing the whole read; a single record is never given out
    unverified either way.
    """

    def __init__(self, rows: StoredRows, chain: AuditChain, kind: FileKind) -> None:
        self._rows, self._chain = rows, chain
        self.kind = kind  # which file kind: its record kinds are the only ones it may hold
        self._vouched = 0  # > 0 inside CaseFile.verified(): the whole state was checked
        self._kept_notes: list[Row] | None = None  # the note rows that pass checked, when asked
        self.tolerant = False
        self.on_damage: Damage | None = None

    @property
    def vouching(self) -> bool:
        """Inside ``CaseFile.verified()``: every row of this state was just compared with the chain."""
        return self._vouched > 0

    # ------------------------------------------------------------ the check itself
    def _index(self) -> ChainIndex:
        return self._chain.index()

    def fault(self, cls: type[Record], row: Row, digest: bytes | None = None) -> str:
        """Why a row may not be read, in one sentence, or "" when the chain vouches for it.

        ``digest``: the row's ``rows.row_digest``, when the caller computed it already. A row
        newer than this connection's view of the chain (another connection wrote it since) is
        checked again once the chain is read up to date.
        """
        record_id = row[0]
        digest = digest if digest is not None else row_digest(cls, row)
        for attempt in range(2):
            expected = self._index().latest(cls.KIND, record_id)
            if expected == digest and sort_key_holds(cls, row):
                return ""
            if attempt == 0 and not self._chain.refresh():
                break  # the chain did not move on: the row itself is wrong
        if expected is None:
            return f"The {cls.KIND} {record_id} is not in the audit chain."
        return f"The {cls.KIND} {record_id} differs from what the audit chain recorded."

    def _decoded(self, cls: type[R], rows: Iterable[Row]) -> Iterator[R]:
        """The records of verified rows; a row that fails raises (or, tolerant, is left out)."""
        width = len(codec.columns(cls))
        for row in rows:
            if not self._vouched:
                fault = self.fault(cls, row)
                if fault:
                    self._damaged(refusal(fault), fatal=not self.tolerant)
                    continue
            yield codec.from_row(cls, row[:width])

    def _damaged(self, fault: TamperedCase, *, fatal: bool) -> None:
        if self.on_damage is not None:
            self.on_damage(fault)
        if fatal:
            raise fault

    def _revision(self, cls: type[Record], row: RevisionRow) -> Revision:
        """A kept revision, checked: a version the chain committed to, its bookkeeping intact."""
        problem, revision = self.checked_revision(row)
        if revision is None or revision.record.KIND != cls.KIND:
            fault = refusal(problem or f"A kept revision of the {row.kind} {row.record_id} is misfiled.")
            self._damaged(fault, fatal=True)
        assert revision is not None
        return revision

    def checked_revision(self, row: RevisionRow) -> tuple[str, Revision | None]:
        """("", the revision) when the chain vouches for a kept revision, else (why not, None)."""
        where = f"A kept revision of the {row.kind} {row.record_id}"
        cls = self.kind.by_kind.get(row.kind)
        if cls is None:
            return "A kept revision names an unknown kind of record.", None
        try:
            digest = hashlib.sha256(row.json.encode("utf-8")).digest()
            record = from_dict(json.loads(row.json), cls)
        except (ValueError, TypeError, AttributeError, RecursionError, RecordFormatError):
            return f"{where} is unreadable.", None
        if (record.id, record.rev) != (row.record_id, row.rev):
            return f"{where} is filed under another record or revision.", None
        if not self._index().vouches(row.kind, row.record_id, digest):
            return f"{where} was never audited.", None
        try:
            superseded = Moment.parse(row.superseded)
        except (ValueError, TypeError, AttributeError):
            return f"{where} has no valid time it was replaced at.", None
        if row.conflict not in (0, 1) or bool(row.conflict) != (
                (row.kind, row.record_id, row.rev) in self._index().conflicts):
            return f"{where} is marked as a conflict where the chain says otherwise.", None
        return "", Revision(record, superseded, bool(row.conflict))

    # ------------------------------------------------------------ records
    def find(self, cls: type[R], record_id: str) -> R | None:
        for record in self._decoded(cls, self._rows.select(cls, "id = ?", (record_id,))):
            return record
        return None

    def get(self, cls: type[R], record_id: str) -> R:
        rows = self._rows.select(cls, "id = ?", (record_id,))
        if not rows:
            raise NoSuchRecord(f"There is no {cls.KIND} with id {record_id} in this {self.kind.name}.")
        if not self._vouched:
            fault = self.fault(cls, rows[0])
            if fault:
                self._damaged(refusal(fault), fatal=True)
        return codec.from_row(cls, rows[0][: len(codec.columns(cls))])

    def all(self, cls: type[R], *, include_deleted: bool = False) -> list[R]:
        """Every record of a kind, in the order they were added."""
        return self.select(cls, include_deleted=include_deleted)

    def select(self, cls: type[R], *, include_deleted: bool = False, where: str = "",
               params: Sequence[Any] = (), order: str = "seq") -> list[R]:
        """Records of a kind (``where`` and ``order`` are fixed SQL from this package)."""
        clauses = [c for c in (where, "" if include_deleted else "deleted = 0") if c]
        condition = " AND ".join(f"({c})" for c in clauses)
        return list(self._decoded(cls, self._rows.select(cls, condition, params, order)))

    def iter_all(self, cls: type[R], batch: int = 2000) -> Iterator[R]:
        """Every record of a kind, tombstones included, streamed in ``seq`` order."""
        return self._decoded(cls, self._rows.scan(cls, batch))

    def find_many(self, cls: type[R], record_ids: Sequence[str], batch: int = 500) -> dict[str, R]:
        """The records with the given ids (tombstones included), read in batches."""
        return {r.id: r for r in self._decoded(cls, self._rows.by_ids(cls, record_ids, batch))}

    def from_rows(self, cls: type[R], rows: Iterable[Row]) -> list[R]:
        """Records of rows selected as ``rows.select_list(cls)`` elsewhere in the package."""
        return list(self._decoded(cls, rows))

    def count(self, cls: type[Record]) -> int:
        """Live records of a kind (a number, not a record: inside ``CaseFile.verified`` the
        whole-case pass vouches for it too)."""
        return self._rows.count(cls)

    def current_revs(self, cls: type[Record]) -> dict[str, str]:
        """Every id of a kind with its current revision id, for planning a merge. Ids and revision
        ids only: the records themselves are read verified, and a merge vouches for the whole
        case before it plans."""
        return self._rows.current_revs(cls)

    def attachment_content(self, attachment_id: str) -> bytes | None:
        """The stored bytes (``CaseFile.attachment_bytes`` checks them against the record)."""
        return self._rows.attachment_content(attachment_id)

    # ------------------------------------------------------------ kept revisions
    def history(self, cls: type[R], record_id: str) -> list[Revision]:
        """Earlier and competing revisions of a record, oldest first; all of them, or a refusal."""
        rows = self._rows.revisions("kind = ? AND record_id = ?", (cls.KIND, record_id))
        found = [self._revision(cls, row) for row in rows]
        if not self._vouched:
            kept = {hashlib.sha256(row.json.encode("utf-8")).digest() for row in rows}
            if kept != self._index().earlier(cls.KIND, record_id):
                self._damaged(refusal(f"Earlier versions of the {cls.KIND} {record_id} are missing."), fatal=True)
        return found

    def all_revisions(self, cls: type[R]) -> Iterator[Revision]:
        """Every kept revision of a kind, oldest first (a whole-case pass checks none is missing)."""
        for row in self._rows.revisions("kind = ?", (cls.KIND,)):
            yield self._revision(cls, row)

    def known_revs(self, cls: type[Record], record_id: str) -> set[str]:
        """Every revision id this file has seen of a record (current, earlier, competing)."""
        revs = {str(rev) for _id, rev in self._rows.revision_revs(cls.KIND, record_id)}
        current = self.find(cls, record_id)
        if current is not None:
            revs.add(current.rev)
        return revs

    def revision_ids(self, cls: type[Record]) -> dict[str, set[str]]:
        """Every kept revision id of every record of a kind, in one query (for planning a merge)."""
        known: dict[str, set[str]] = {}
        for record_id, rev in self._rows.revision_revs(cls.KIND):
            known.setdefault(record_id, set()).add(rev)
        return known

    def conflict_revisions(self) -> list[Revision]:
        """Competing versions a merge kept and nobody has settled yet, oldest first."""
        settled: set[tuple[str, str, str]] = {
            (s.record_kind.value, s.record_id, s.settled_rev) for s in self.all(Settlement)}
        settled |= self._index().legacy_settled
        found = []
        for row in self._rows.revisions("conflict = 1"):
            if (row.kind, row.record_id, row.rev) not in settled:
                cls = self.kind.by_kind.get(row.kind, Record)
                found.append(self._revision(cls, row))
        return found

    # ------------------------------------------------------------ the whole case
    def problems(self, progress: Callable[[str], None] | None = None,
                 keep_notes: list[Row] | None = None) -> Iterator[str]:
        """Everything the chain does not vouch for, as sentences: records that differ, are not
        in the chain or are missing, and kept revisions that are unreadable, unaudited,
        misfiled or missing. Attachment bytes are checked when read (and by ``check``).

        ``keep_notes``: a list that receives every note row checked, in time order, tombstones
        included, so a whole-case output need not read the notes a second time."""
        index = self._index()
        for kind in ALL_BY_KIND:
            if not self.kind.holds(kind) and index.ids(kind):
                yield f"The audit chain names a {kind} record, which {self.kind.noun} never holds."
        for cls in self.kind.record_types:
            if progress:
                progress(cls.KIND)
            seen: set[str] = set()
            keeping = keep_notes if cls is Note else None
            rows = self._rows.in_time_order(cls) if keeping is not None else self._rows.scan(cls, 5000)
            latest = index.latest_of(cls.KIND)
            for row in rows:
                # The common case inline (it runs for every row of the case); anything else
                # goes to ``fault``, which also re-reads a chain another connection moved on.
                digest = row_digest(cls, row)
                ok = latest.get(row[0]) == digest and sort_key_holds(cls, row)
                fault = "" if ok else self.fault(cls, row, digest)
                if fault:
                    yield fault
                elif row[0] in seen:
                    yield f"The {cls.KIND} {row[0]} is stored twice."
                elif keeping is not None:
                    keeping.append(row)
                seen.add(row[0])
            for record_id in index.ids(cls.KIND) - seen:
                yield f"The {cls.KIND} {record_id} is in the audit chain but missing from the file."
        if progress:
            progress("revisions")
        kept: dict[tuple[str, str], set[bytes]] = {}
        for kept_row in self._rows.scan_revisions():
            problem, revision = self.checked_revision(kept_row)
            if revision is None:
                yield problem
                continue
            digest = hashlib.sha256(kept_row.json.encode("utf-8")).digest()
            kept.setdefault((kept_row.kind, kept_row.record_id), set()).add(digest)
        for key in set(kept) | set(index.edited()):
            if kept.get(key, set()) != index.earlier(*key):
                yield f"Earlier versions of the {key[0]} {key[1]} are missing or extra."

    def verify_all(self, progress: Callable[[str], None] | None = None,
                   keep_notes: list[Row] | None = None) -> None:
        """Refuse (``TamperedCase``) at the first thing the chain does not vouch for."""
        for problem in self.problems(progress, keep_notes):
            self._damaged(refusal(problem), fatal=True)

    @contextlib.contextmanager
    def vouched(self, progress: Callable[[str], None] | None = None, *,
                keep_notes: bool = False) -> Iterator[None]:
        """Verify the whole case once, then read inside the block without hashing each record
        again. Only for a block that holds one consistent state (``CaseFile.verified``).

        ``keep_notes``: hold on to the note rows the pass checked (``kept_notes``), for an
        output that writes every note once and should not read them twice."""
        kept: list[Row] | None = [] if keep_notes else None
        self.verify_all(progress, kept)
        self._vouched += 1
        outer, self._kept_notes = self._kept_notes, kept if kept is not None else self._kept_notes
        try:
            yield
        finally:
            self._vouched -= 1
            self._kept_notes = outer

    def kept_notes(self) -> list[Row] | None:
        """The note rows the enclosing ``vouched(keep_notes=True)`` pass checked, in time order
        (tombstones included), or None outside such a block."""
        return self._kept_notes if self._vouched else None
