"""Records of every kind: the verified reads (``reader.VerifiedReader``) and the one path that writes.

Every write goes through ``_store``: the rules are checked, the previous revision is kept,
the search index follows the note, the change is chained in the audit log and noted in the
transaction's change log. Callers hold the case's transaction (``CaseFile.transaction``).
Writes read the version they replace through the verified reader too, so a forged row is
never carried into a new, chained revision.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from irdesk.casefile import codec, rules
from irdesk.casefile.chain import AuditChain
from irdesk.casefile.chain_index import revision_source
from irdesk.casefile.changes import ChangeLog
from irdesk.casefile.database import Database
from irdesk.casefile.errors import NotAllowed
from irdesk.casefile.kinds import FileKind
from irdesk.casefile.reader import VerifiedReader
from irdesk.casefile.rows import StoredRows
from irdesk.domain.canonical import canonical_json, record_hash, to_dict
from irdesk.domain.enums import Resolution
from irdesk.domain.moment import Moment
from irdesk.domain.records import Attachment, Note, Record, Revision, Settlement, new_id

R = TypeVar("R", bound=Record)
STAMPS = frozenset({"id", "rev", "parent_rev", "created", "updated", "author"})


INT64 = range(-(2**63), 2**63)  # what SQLite stores and the canonical JSON encodes


def _check_value(value: Any) -> None:
    """Refuse what no record may hold: text that is not Unicode, numbers beyond 64 bits."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise NotAllowed("The text holds characters that are not valid Unicode.") from None
    elif isinstance(value, int) and value not in INT64:
        raise NotAllowed(f"The number {value} is too large for a case file.")


def _check_values(record: Record) -> None:
    for value in codec.to_row(record).values():
        _check_value(value)


class RecordStore(VerifiedReader):
    """The verified reader plus the one write path; ``log`` is the change log of the
    transaction in progress, ``case_id`` the case's identity (whole-file entries name it)."""

    def __init__(self, db: Database, chain: AuditChain, log: Callable[[], ChangeLog],
                 case_id: Callable[[], str], kind: FileKind) -> None:
        super().__init__(StoredRows(db, kind.schema.tables), chain, kind)
        self._db, self._log, self._case_id = db, log, case_id

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

    def revise(self, cls: type[R], record_id: str, *, audit_action: str = "", **changes: Any) -> R:
        """A new revision of a record with ``changes`` applied; no change, no revision.

        ``audit_action`` names the audit entry (default: ``update``, or ``delete`` for a tombstone).
        """
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
        self._store(new, audit_action or ("delete" if changes.get("deleted") else "update"), previous=old)
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

    def put(self, record: Record, *, action: str, source: str = "", content: bytes | None = None,
            as_is: bool = False) -> bool:
        """Write a record exactly as given (import): new, or replacing the current one.

        ``as_is``: a faithful copy of a case's own history (a restore, a salvage), so the
        rules of today are not applied to data that was already chained.
        Returns False when the case already holds that very revision.
        """
        current = self.find(type(record), record.id)
        if current is not None and current.rev == record.rev:
            return False
        if current is None and isinstance(record, Attachment) and content is None:
            raise NotAllowed(f"The attachment {record.name} comes without its content.")
        self._store(record, action, previous=current, source=source, content=content, checked=not as_is)
        return True

    def put_revision(self, revision: Revision, *, action: str, source: str = "", as_is: bool = False) -> None:
        """Keep an earlier or competing revision from elsewhere (import), audited like a change.

        The chain's last entry for a record must name its current version, so when the record
        exists that version is re-affirmed after the kept one. ``as_is`` as for ``put``.
        """
        record = revision.record
        if not as_is:
            rules.check_moment(revision.superseded, "time an earlier version was replaced")
        current = self.find(type(record), record.id)  # read while the chain still names it
        self.keep_revision(record, conflict=revision.conflict, superseded=revision.superseded)
        self._chain.append(action=action, entity=record.KIND, entity_id=record.id,
                           record_hash=record_hash(record), source=source)
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

    def settle_conflict(self, revision: Record, how: Resolution) -> Settlement:
        """Record that a kept competing version was dealt with (it stays in the history).

        The settlement is a record: chained like any change, it travels with hand-off copies
        and merges, so every copy agrees the conflict is settled.
        """
        settlement = self.create(Settlement, record_kind=revision.KIND, record_id=revision.id,
                                 settled_rev=revision.rev, how=how)
        self._log().conflicts = True
        return settlement

    def keep_revision(self, record: Record, *, conflict: bool = False, superseded: Moment | None = None) -> None:
        """Keep an earlier version; one kept as a competing version (a conflict) is vouched for
        by a ``conflict`` entry naming it, so no one can mark or unmark conflicts behind the chain."""
        _check_values(record)
        self._db.execute(
            "INSERT INTO revisions (kind, record_id, rev, superseded, conflict, json) VALUES (?, ?, ?, ?, ?, ?)",
            (record.KIND, record.id, record.rev, (superseded or self._chain.clock()).isoformat(),
             int(conflict), canonical_json(to_dict(record)).decode("utf-8")))
        if conflict:
            self._chain.append(action="conflict", entity="file", entity_id=self._case_id(),
                               source=revision_source(record.KIND, record.id, record.rev))
            self._log().conflicts = True

    def _store(self, record: Record, action: str, *, previous: Record | None = None, source: str = "",
               conflict: bool = False, content: bytes | None = None, checked: bool = True,
               keep_previous: bool = True) -> None:
        """Write a record (new or a new revision), keep the old one, and chain the change."""
        if not self.kind.holds(record.KIND):
            raise NotAllowed(f"A {record.KIND} record does not belong in {self.kind.noun}.")
        if checked:
            rules.check(record, previous, None if action == "merge" else self)
        table = self.kind.schema.tables[record.KIND]
        row = codec.to_row(record)
        for value in row.values():
            _check_value(value)
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
        if isinstance(record, Note):  # tombstones too: the index mirrors the notes table (format 3)
            self._db.execute(
                "INSERT INTO notes_fts (rowid, body) SELECT seq, body FROM notes WHERE id = ?", (record.id,))
        self._chain.append(action=action, entity=record.KIND, entity_id=record.id,
                           record_hash=record_hash(record), source=source)
        self._log().record(record.KIND, record.id)

    def _unindex(self, note: Note) -> None:
        seq = self._db.scalar("SELECT seq FROM notes WHERE id = ?", (note.id,))
        self._db.execute("INSERT INTO notes_fts (notes_fts, rowid, body) VALUES ('delete', ?, ?)",
                         (seq, note.body))
