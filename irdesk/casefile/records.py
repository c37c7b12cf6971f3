"""Generic record operations: add, update, tombstone, read, and the revisions merges need."""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from irdesk.casefile import codec, schema
from irdesk.casefile.core import CaseFileCore
from irdesk.casefile.errors import NoSuchRecord, NotAllowed
from irdesk.domain.canonical import record_hash
from irdesk.domain.moment import Moment
from irdesk.domain.records import Attachment, Record, Revision

R = TypeVar("R", bound=Record)


class RecordStore(CaseFileCore):
    """Records of every kind, by id; every change is a new audited revision."""

    def put_revision(self, revision: Revision, *, action: str, source: str = "") -> None:
        """Keep an earlier or competing revision from elsewhere (import), audited like a change.

        Write revisions before the record's current version, so the chain's latest entry
        for the record stays the current one.
        """
        with self.transaction():
            record = revision.record
            self._keep_revision(record, conflict=revision.conflict, superseded=revision.superseded)
            self._append(action=action, entity=record.KIND, entity_id=record.id,
                         record_hash=record_hash(record), source=source)
            current = self.find(type(record), record.id)
            if current is not None:
                # The chain's last entry for a record names its current version (see check.py).
                self._append(action="keep", entity=record.KIND, entity_id=record.id,
                             record_hash=record_hash(current), source=source)

    def add(self, cls: type[R], **fields: Any) -> R:
        """Create a record of ``cls`` with the given fields; returns it."""
        try:
            record = self._stamp_new(cls, **fields)
        except TypeError as exc:
            raise NotAllowed(f"Invalid {cls.KIND}: {exc}.") from None
        with self.transaction():
            self._store(record, "create")
        return record

    def update(self, cls: type[R], record_id: str, **changes: Any) -> R:
        """Make a new revision of a record with ``changes`` applied; returns it."""
        if {"id", "rev", "parent_rev", "created", "updated", "author"} & set(changes):
            raise ValueError("identity and stamps are set by the case file")
        with self.transaction():
            old = self.get(cls, record_id)
            try:
                changed = dataclasses.replace(old, **changes)
            except TypeError as exc:
                raise NotAllowed(f"Invalid change to a {cls.KIND}: {exc}.") from None
            if changed == old:
                return old  # nothing changed: no revision, no audit entry
            new = dataclasses.replace(
                changed, rev=str(uuid.uuid4()), parent_rev=old.rev, updated=self.clock(),
                author=self.actor,
            )
            self._store(new, "delete" if changes.get("deleted") else "update", previous=old)
        return new

    def delete(self, cls: type[R], record_id: str) -> R:
        """Tombstone a record: it stays, marked deleted, so copies can merge the deletion."""
        return self.update(cls, record_id, deleted=True)

    def put(self, record: Record, *, action: str, source: str = "", conflict_loser: Record | None = None,
            content: bytes | None = None) -> None:
        """Write a record exactly as given (merge and import): new, or replacing the current one.

        ``conflict_loser``, when given, is kept as a visible conflict revision. ``content``
        holds the bytes of a new attachment.
        """
        with self.transaction():
            current = self.find(type(record), record.id)
            if current is not None and current.rev == record.rev and conflict_loser is None:
                return
            if current is None and isinstance(record, Attachment) and content is None:
                raise NotAllowed(f"The attachment {record.name} comes without its content.")
            self._store(record, action, previous=current, source=source, content=content)
            if conflict_loser is not None and conflict_loser != current:
                self._keep_revision(conflict_loser, conflict=True)

    def get(self, cls: type[R], record_id: str) -> R:
        record = self.find(cls, record_id)
        if record is None:
            raise NoSuchRecord(f"There is no {cls.KIND} with id {record_id} in this case.")
        return record

    def find(self, cls: type[R], record_id: str) -> R | None:
        cols = ", ".join(codec.columns(cls))
        rows = self._query(f"SELECT {cols} FROM {schema.TABLES[cls.KIND]} WHERE id = ?", (record_id,))
        return codec.from_row(cls, rows[0]) if rows else None

    def all(self, cls: type[R], *, include_deleted: bool = False) -> list[R]:
        """Every record of a kind, in the order they were added."""
        return self._select(cls, include_deleted=include_deleted)

    def _select(self, cls: type[R], *, include_deleted: bool = False, where: str = "",
                params: Sequence[Any] = (), order: str = "seq") -> list[R]:
        """Records of a kind (``where`` and ``order`` are fixed SQL from this package)."""
        cols = ", ".join(codec.columns(cls))
        clauses = [c for c in (where, "" if include_deleted else "deleted = 0") if c]
        sql = f"SELECT {cols} FROM {schema.TABLES[cls.KIND]}"
        if clauses:
            sql += " WHERE " + " AND ".join(f"({c})" for c in clauses)
        return [codec.from_row(cls, row) for row in self._query(f"{sql} ORDER BY {order}", params)]

    def iter_all(self, cls: type[R], batch: int = 2000) -> Iterator[R]:
        """Every record of a kind, tombstones included, streamed in ``seq`` order."""
        cols = ", ".join(codec.columns(cls))
        table = schema.TABLES[cls.KIND]
        last = 0
        while True:
            rows = self._query(
                f"SELECT seq, {cols} FROM {table} WHERE seq > ? ORDER BY seq LIMIT ?", (last, batch)
            )
            if not rows:
                return
            for row in rows:
                yield codec.from_row(cls, row[1:])
            last = rows[-1][0]

    def history(self, cls: type[R], record_id: str) -> list[Revision]:
        """Earlier and competing revisions of a record, oldest first."""
        from irdesk.domain.canonical import from_dict

        rows = self._query(
            "SELECT json, superseded, conflict FROM revisions WHERE kind = ? AND record_id = ? ORDER BY seq",
            (cls.KIND, record_id),
        )
        return [Revision(from_dict(json.loads(j), cls), Moment.parse(s), bool(c)) for j, s, c in rows]

    def all_revisions(self, cls: type[R]) -> Iterator[Revision]:
        """Every kept revision of a kind, oldest first (for exports)."""
        from irdesk.domain.canonical import from_dict

        for j, s, c in self._query(
            "SELECT json, superseded, conflict FROM revisions WHERE kind = ? ORDER BY seq", (cls.KIND,)
        ):
            yield Revision(from_dict(json.loads(j), cls), Moment.parse(s), bool(c))

    def known_revs(self, cls: type[Record], record_id: str) -> set[str]:
        """Every revision id this file has seen of a record (current, earlier, competing)."""
        revs = {r for (r,) in self._query(
            "SELECT rev FROM revisions WHERE kind = ? AND record_id = ?", (cls.KIND, record_id))}
        current = self.find(cls, record_id)
        if current is not None:
            revs.add(current.rev)
        return revs

    def current_revs(self, cls: type[Record]) -> dict[str, str]:
        """Every id of a kind (tombstones included) with its current revision, in seq order."""
        table = schema.TABLES[cls.KIND]
        return dict(self._query(f"SELECT id, rev FROM {table} ORDER BY seq"))

    def find_many(self, cls: type[R], record_ids: Sequence[str], batch: int = 500) -> dict[str, R]:
        """The records with the given ids (tombstones included), read in batches."""
        cols = ", ".join(codec.columns(cls))
        found: dict[str, R] = {}
        for start in range(0, len(record_ids), batch):
            chunk = record_ids[start : start + batch]
            marks = ", ".join("?" * len(chunk))
            rows = self._query(
                f"SELECT {cols} FROM {schema.TABLES[cls.KIND]} WHERE id IN ({marks})", chunk
            )
            for row in rows:
                record = codec.from_row(cls, row)
                found[record.id] = record
        return found

    def revision_ids(self, cls: type[Record]) -> dict[str, set[str]]:
        """Every kept (earlier or competing) revision id of every record of a kind, in one query."""
        known: dict[str, set[str]] = {}
        for record_id, rev in self._query(
                "SELECT record_id, rev FROM revisions WHERE kind = ?", (cls.KIND,)):
            known.setdefault(record_id, set()).add(rev)
        return known

    def merge_record(self, record: Record, *, previous: Record | None, source: str,
                     previous_conflict: bool = False, kept: Sequence[tuple[Record, bool]] = (),
                     content: bytes | None = None) -> None:
        """One record's share of a merge (call inside ``transaction()``).

        ``kept`` revisions (with their conflict flag) are stored and audited first; then
        ``record`` becomes current, replacing ``previous`` (kept, as a conflict if
        ``previous_conflict``), or, when it already is current, the chain re-affirms it so
        its last entry still names the current version.
        """
        with self.transaction():
            for revision, conflict in kept:
                self._keep_revision(revision, conflict=conflict)
                self._append(action="merge", entity=revision.KIND, entity_id=revision.id,
                             record_hash=record_hash(revision), source=source)
            if previous is not None and previous.rev == record.rev:
                if kept:
                    self._append(action="merge", entity=record.KIND, entity_id=record.id,
                                 record_hash=record_hash(record), source=source)
                return
            self._store(record, "merge", previous=previous, source=source,
                        conflict=previous_conflict, content=content)

    def conflict_revisions(self) -> list[Revision]:
        """Competing versions a merge kept and nobody has settled yet, oldest first."""
        from irdesk.domain.canonical import from_dict
        from irdesk.domain.records import BY_KIND

        return [Revision(from_dict(json.loads(j), BY_KIND[k]), Moment.parse(s), True)
                for k, j, s in self._query(
                    "SELECT kind, json, superseded FROM revisions WHERE conflict = 1 ORDER BY seq")]

    def settle_conflict(self, revision: Record, how: str) -> None:
        """Mark a kept competing version as dealt with (it stays in the history)."""
        with self.transaction():
            self._execute("UPDATE revisions SET conflict = 0 WHERE kind = ? AND record_id = ? AND rev = ?",
                          (revision.KIND, revision.id, revision.rev))
            self._append(action="resolve", entity="file", entity_id=self.case_id, record_hash="",
                         source=f"{how}: {revision.KIND} {revision.id} revision {revision.rev}")

