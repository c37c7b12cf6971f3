"""Records of every kind: reading them by id or kind, and the one path that writes them.

Every write goes through ``_store``: the rules are checked, the previous revision is kept,
the search index follows the note, the change is chained in the audit log and noted in the
transaction's change log. Callers hold the case's transaction (``CaseFile.transaction``).
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from irdesk.casefile import codec, rules, schema
from irdesk.casefile.chain import AuditChain
from irdesk.casefile.changes import ChangeLog
from irdesk.casefile.database import Database
from irdesk.casefile.errors import NoSuchRecord, NotAllowed
from irdesk.domain.canonical import canonical_json, from_dict, record_hash, to_dict
from irdesk.domain.moment import Moment
from irdesk.domain.records import BY_KIND, Attachment, Note, Record, Revision, new_id

R = TypeVar("R", bound=Record)
STAMPS = frozenset({"id", "rev", "parent_rev", "created", "updated", "author"})


def _check_text(value: Any) -> None:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise NotAllowed("The text holds characters that are not valid Unicode.") from None


class RecordStore:
    """Reads and writes records; ``log`` is the change log of the transaction in progress."""

    def __init__(self, db: Database, chain: AuditChain, log: Callable[[], ChangeLog]) -> None:
        self._db, self._chain, self._log = db, chain, log

    # ------------------------------------------------------------ reading
    def find(self, cls: type[R], record_id: str) -> R | None:
        cols = ", ".join(codec.columns(cls))
        rows = self._db.query(f"SELECT {cols} FROM {schema.TABLES[cls.KIND]} WHERE id = ?", (record_id,))
        return codec.from_row(cls, rows[0]) if rows else None

    def get(self, cls: type[R], record_id: str) -> R:
        record = self.find(cls, record_id)
        if record is None:
            raise NoSuchRecord(f"There is no {cls.KIND} with id {record_id} in this case.")
        return record

    def all(self, cls: type[R], *, include_deleted: bool = False) -> list[R]:
        """Every record of a kind, in the order they were added."""
        return self.select(cls, include_deleted=include_deleted)

    def select(self, cls: type[R], *, include_deleted: bool = False, where: str = "",
               params: Sequence[Any] = (), order: str = "seq") -> list[R]:
        """Records of a kind (``where`` and ``order`` are fixed SQL from this package)."""
        cols = ", ".join(codec.columns(cls))
        clauses = [c for c in (where, "" if include_deleted else "deleted = 0") if c]
        sql = f"SELECT {cols} FROM {schema.TABLES[cls.KIND]}"
        if clauses:
            sql += " WHERE " + " AND ".join(f"({c})" for c in clauses)
        return [codec.from_row(cls, row) for row in self._db.query(f"{sql} ORDER BY {order}", params)]

    def iter_all(self, cls: type[R], batch: int = 2000) -> Iterator[R]:
        """Every record of a kind, tombstones included, streamed in ``seq`` order."""
        for row in self.rows(cls, batch):
            yield codec.from_row(cls, row)

    def rows(self, cls: type[Record], batch: int = 2000) -> Iterator[tuple[Any, ...]]:
        """The stored rows of a kind (``codec.columns`` order), tombstones included, in ``seq`` order."""
        cols = ", ".join(codec.columns(cls))
        table = schema.TABLES[cls.KIND]
        last = 0
        while True:
            rows = self._db.query(
                f"SELECT seq, {cols} FROM {table} WHERE seq > ? ORDER BY seq LIMIT ?", (last, batch))
            if not rows:
                return
            for row in rows:
                yield row[1:]
            last = rows[-1][0]

    def find_many(self, cls: type[R], record_ids: Sequence[str], batch: int = 500) -> dict[str, R]:
        """The records with the given ids (tombstones included), read in batches."""
        cols = ", ".join(codec.columns(cls))
        found: dict[str, R] = {}
        for start in range(0, len(record_ids), batch):
            chunk = record_ids[start : start + batch]
            marks = ", ".join("?" * len(chunk))
            for row in self._db.query(
                    f"SELECT {cols} FROM {schema.TABLES[cls.KIND]} WHERE id IN ({marks})", chunk):
                record = codec.from_row(cls, row)
                found[record.id] = record
        return found

    def current_revs(self, cls: type[Record]) -> dict[str, str]:
        """Every id of a kind (tombstones included) with its current revision, in seq order."""
        return dict(self._db.query(f"SELECT id, rev FROM {schema.TABLES[cls.KIND]} ORDER BY seq"))

    def count(self, cls: type[Record]) -> int:
        """Live records of a kind."""
        return int(self._db.scalar(f"SELECT count(*) FROM {schema.TABLES[cls.KIND]} WHERE deleted = 0"))

    def attachment_content(self, attachment_id: str) -> bytes | None:
        data = self._db.scalar("SELECT content FROM attachments WHERE id = ?", (attachment_id,))
        return None if data is None else bytes(data)

    # ------------------------------------------------------------ revisions
    def history(self, cls: type[R], record_id: str) -> list[Revision]:
        """Earlier and competing revisions of a record, oldest first."""
        rows = self._db.query(
            "SELECT json, superseded, conflict FROM revisions WHERE kind = ? AND record_id = ? ORDER BY seq",
            (cls.KIND, record_id))
        return [Revision(from_dict(json.loads(j), cls), Moment.parse(s), bool(c)) for j, s, c in rows]

    def all_revisions(self, cls: type[R]) -> Iterator[Revision]:
        """Every kept revision of a kind, oldest first."""
        for j, s, c in self._db.query(
                "SELECT json, superseded, conflict FROM revisions WHERE kind = ? ORDER BY seq", (cls.KIND,)):
            yield Revision(from_dict(json.loads(j), cls), Moment.parse(s), bool(c))

    def revision_rows(self, batch: int = 5000) -> Iterator[tuple[str, str, str, bool, str]]:
        """(kind, record id, superseded, conflict, canonical JSON) of every kept revision, in order."""
        last = 0
        while True:
            rows = self._db.query(
                "SELECT seq, kind, record_id, superseded, conflict, json FROM revisions WHERE seq > ? "
                "ORDER BY seq LIMIT ?", (last, batch))
            if not rows:
                return
            for _seq, kind, record_id, superseded, conflict, text in rows:
                yield kind, record_id, superseded, bool(conflict), text
            last = rows[-1][0]

    def known_revs(self, cls: type[Record], record_id: str) -> set[str]:
        """Every revision id this file has seen of a record (current, earlier, competing)."""
        revs = {str(r) for (r,) in self._db.query(
            "SELECT rev FROM revisions WHERE kind = ? AND record_id = ?", (cls.KIND, record_id))}
        current = self.find(cls, record_id)
        if current is not None:
            revs.add(current.rev)
        return revs

    def revision_ids(self, cls: type[Record]) -> dict[str, set[str]]:
        """Every kept (earlier or competing) revision id of every record of a kind, in one query."""
        known: dict[str, set[str]] = {}
        for record_id, rev in self._db.query(
                "SELECT record_id, rev FROM revisions WHERE kind = ?", (cls.KIND,)):
            known.setdefault(record_id, set()).add(rev)
        return known

    def conflict_revisions(self) -> list[Revision]:
        """Competing versions a merge kept and nobody has settled yet, oldest first."""
        return [Revision(from_dict(json.loads(j), BY_KIND[k]), Moment.parse(s), True)
                for k, j, s in self._db.query(
                    "SELECT kind, json, superseded FROM revisions WHERE conflict = 1 ORDER BY seq")]

    # ------------------------------------------------------------ writing
    def stamp_new(self, cls: type[R], **fields: Any) -> R:
        """A new record of ``cls``, stamped with a new id, the case's clock and its actor."""
        now = self._chain.clock()
        try:
            return cls(id=new_id(), rev=str(uuid.uuid4()), parent_rev=None, created=now,
                       updated=now, author=self._chain.actor, **fields)
        except TypeError as exc:
            raise NotAllowed(f"Invalid {cls.KIND}: {exc}.") from None

    def create(self, cls: type[R], content: bytes | None = None, **fields: Any) -> R:
        """Add a record of ``cls`` with the given fields (``content``: a new attachment's bytes)."""
        record = self.stamp_new(cls, **fields)
        self._store(record, "create", content=content)
        return record

    def revise(self, cls: type[R], record_id: str, **changes: Any) -> R:
        """A new revision of a record with ``changes`` applied; no change, no revision."""
        if STAMPS & set(changes):
            raise ValueError("identity and stamps are set by the case file")
        old = self.get(cls, record_id)
        try:
            changed = dataclasses.replace(old, **changes)
        except TypeError as exc:
            raise NotAllowed(f"Invalid change to a {cls.KIND}: {exc}.") from None
        if changed == old:
            return old  # nothing changed: no revision, no audit entry
        new = dataclasses.replace(changed, rev=str(uuid.uuid4()), parent_rev=old.rev,
                                  updated=self._chain.clock(), author=self._chain.actor)
        self._store(new, "delete" if changes.get("deleted") else "update", previous=old)
        return new

    def amend(self, cls: type[R], record_id: str, **changes: Any) -> R:
        """Replace the current revision with ``changes`` applied, without keeping it.

        The replaced revision is not kept as an earlier version; its hash stays in the chain.
        The new revision has a new id and the replaced one's parent, so no copy can hold a
        revision id whose content changed. Only ``operations.notes.amend_note`` calls this,
        after checking that the revision is the working one of the same typing session.
        """
        if STAMPS & set(changes) or "deleted" in changes:
            raise ValueError("identity, stamps and tombstones are set by the case file")
        old = self.get(cls, record_id)
        try:
            changed = dataclasses.replace(old, **changes)
        except TypeError as exc:
            raise NotAllowed(f"Invalid change to a {cls.KIND}: {exc}.") from None
        if changed == old:
            return old
        new = dataclasses.replace(changed, rev=str(uuid.uuid4()), parent_rev=old.parent_rev,
                                  updated=self._chain.clock(), author=self._chain.actor)
        self._store(new, "amend", previous=old, keep_previous=False)
        return new

    def put(self, record: Record, *, action: str, source: str = "", content: bytes | None = None) -> bool:
        """Write a record exactly as given (import): new, or replacing the current one.

        Returns False when the case already holds that very revision.
        """
        current = self.find(type(record), record.id)
        if current is not None and current.rev == record.rev:
            return False
        if current is None and isinstance(record, Attachment) and content is None:
            raise NotAllowed(f"The attachment {record.name} comes without its content.")
        self._store(record, action, previous=current, source=source, content=content)
        return True

    def put_revision(self, revision: Revision, *, action: str, source: str = "") -> None:
        """Keep an earlier or competing revision from elsewhere (import), audited like a change.

        The chain's last entry for a record must name its current version, so when the record
        exists that version is re-affirmed after the kept one.
        """
        record = revision.record
        self.keep_revision(record, conflict=revision.conflict, superseded=revision.superseded)
        self._chain.append(action=action, entity=record.KIND, entity_id=record.id,
                           record_hash=record_hash(record), source=source)
        current = self.find(type(record), record.id)
        if current is not None:
            self._chain.append(action="keep", entity=record.KIND, entity_id=record.id,
                               record_hash=record_hash(current), source=source)

    def merge_record(self, record: Record, *, previous: Record | None, source: str,
                     previous_conflict: bool = False, kept: Sequence[tuple[Record, bool]] = (),
                     content: bytes | None = None) -> None:
        """One record's share of a merge.

        ``kept`` revisions (with their conflict flag) are stored and audited first; then
        ``record`` becomes current, replacing ``previous`` (kept, as a conflict if
        ``previous_conflict``), or, when it already is current, the chain re-affirms it so
        its last entry still names the current version.
        """
        for revision, conflict in kept:  # history: kept as it was, rules or not
            self.keep_revision(revision, conflict=conflict)
            self._chain.append(action="merge", entity=revision.KIND, entity_id=revision.id,
                               record_hash=record_hash(revision), source=source)
        if previous is not None and previous.rev == record.rev:
            if kept:
                self._chain.append(action="merge", entity=record.KIND, entity_id=record.id,
                                   record_hash=record_hash(record), source=source)
                self._log().record(record.KIND, record.id)
            return
        self._store(record, "merge", previous=previous, source=source, conflict=previous_conflict,
                    content=content)

    def settle_conflict(self, revision: Record, how: str, case_id: str) -> None:
        """Mark a kept competing version as dealt with (it stays in the history)."""
        self._db.execute("UPDATE revisions SET conflict = 0 WHERE kind = ? AND record_id = ? AND rev = ?",
                         (revision.KIND, revision.id, revision.rev))
        self._chain.append(action="resolve", entity="file", entity_id=case_id,
                           source=f"{how}: {revision.KIND} {revision.id} revision {revision.rev}")
        self._log().conflicts = True

    def keep_revision(self, record: Record, *, conflict: bool = False, superseded: Moment | None = None) -> None:
        self._db.execute(
            "INSERT INTO revisions (kind, record_id, rev, superseded, conflict, json) VALUES (?, ?, ?, ?, ?, ?)",
            (record.KIND, record.id, record.rev, (superseded or self._chain.clock()).isoformat(),
             int(conflict), canonical_json(to_dict(record)).decode("utf-8")))
        if conflict:
            self._log().conflicts = True

    def _store(self, record: Record, action: str, *, previous: Record | None = None, source: str = "",
               conflict: bool = False, content: bytes | None = None, keep_previous: bool = True) -> None:
        """Write a record (new or a new revision), keep the old one, and chain the change."""
        rules.check(record, previous)
        table = schema.TABLES[record.KIND]
        row = codec.to_row(record)
        for value in row.values():
            _check_text(value)
        if previous is None:
            if content is not None:
                row["content"] = content
            names = ", ".join(row)
            self._db.execute(f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(row))})",
                             tuple(row.values()))
        else:
            if keep_previous:
                self.keep_revision(previous, conflict=conflict)
            if isinstance(previous, Note):
                self._unindex(previous)
            assignments = ", ".join(f"{name} = ?" for name in row)
            self._db.execute(f"UPDATE {table} SET {assignments} WHERE id = ?", (*row.values(), record.id))
        if isinstance(record, Note) and not record.deleted:
            self._db.execute(
                "INSERT INTO notes_fts (rowid, body) SELECT seq, body FROM notes WHERE id = ?", (record.id,))
        self._chain.append(action=action, entity=record.KIND, entity_id=record.id,
                           record_hash=record_hash(record), source=source)
        self._log().record(record.KIND, record.id)

    def _unindex(self, note: Note) -> None:
        if note.deleted:
            return
        seq = self._db.scalar("SELECT seq FROM notes WHERE id = ?", (note.id,))
        self._db.execute("INSERT INTO notes_fts (notes_fts, rowid, body) VALUES ('delete', ?, ?)",
                         (seq, note.body))
