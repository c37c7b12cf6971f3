"""``CaseFile``: one open case, and the small named operations that read and change it.

Every change runs in one transaction that writes the new record, keeps the previous
revision, and appends an audit entry; nothing else writes to the file.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

import sqlcipher3

from irdesk.casefile import audit, codec, kdf, schema
from irdesk.casefile.connection import connect, read_salt, translated_errors
from irdesk.casefile.errors import (
    CaseExists,
    CaseFileError,
    CorruptCase,
    NewerFormat,
    NoSuchRecord,
    NotACaseFile,
    NotAllowed,
    StorageError,
    TamperedCase,
)
from irdesk.casefile.files import atomic_copy, secure_create_mode
from irdesk.casefile.lock import WriterLock
from irdesk.domain.canonical import canonical_json, record_hash, to_dict
from irdesk.domain.enums import CaseStatus, Gap, Phase, Tlp
from irdesk.domain.fingerprint import GENESIS, case_fingerprint
from irdesk.domain.moment import Moment
from irdesk.domain.records import (
    ActionItem,
    Attachment,
    Case,
    Contact,
    CustodyEvent,
    Engagement,
    Note,
    Record,
    RecordId,
    Revision,
    new_id,
)

R = TypeVar("R", bound=Record)

ATTACHMENT_LIMIT = 16 * 1024 * 1024  # larger evidence is referenced by path and hash


@dataclass(frozen=True)
class NoteFilter:
    phase: Phase | None = None
    gap: Gap | None = None
    gaps_only: bool = False
    query: str = ""  # full-text; see fts_query()


@dataclass(frozen=True)
class SearchHit:
    note: Note
    snippet: str  # the matching passage, matches wrapped in \x02 … \x03


def fts_query(text: str) -> str:
    """Make user input safe for FTS5 MATCH: every word quoted, a trailing * kept as a prefix."""
    terms = []
    for word in text.split():
        prefix = word.endswith("*") and len(word) > 1
        word = word.rstrip("*") if prefix else word
        if not word.strip('"'):
            continue
        quoted = '"' + word.replace('"', '""') + '"'
        terms.append(quoted + ("*" if prefix else ""))
    return " ".join(terms)


def _check_text(value: Any) -> None:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise NotAllowed("The text holds characters that are not valid Unicode.") from None


class CaseFile:
    """An open, unlocked case. Use ``CaseFile.create`` or ``CaseFile.open``; close when done."""

    def __init__(
        self,
        conn: sqlcipher3.Connection,
        path: str,
        *,
        salt: bytes,
        key: bytes,
        lock: WriterLock | None,
        actor: str,
        clock: Callable[[], Moment] = Moment.now,
    ) -> None:
        self._conn = conn
        self.path = path
        self._salt = salt
        self._key = key
        self._writer_lock = lock
        self.actor = actor
        self.clock = clock
        self._mutex = threading.RLock()
        self._depth = 0
        self._head = GENESIS
        self._length = 0
        self.case_id = RecordId("")

    # ------------------------------------------------------------------ open / close

    @classmethod
    def create(
        cls,
        path: str,
        passphrase: str,
        *,
        title: str,
        actor: str,
        tlp: Tlp = Tlp.AMBER,
        drill: bool = False,
        codename: str = "",
        clock: Callable[[], Moment] = Moment.now,
    ) -> CaseFile:
        """Create a new case file (mode 0600). An existing file is never overwritten."""
        _check_text(title)
        salt = kdf.new_salt()
        key = kdf.derive_key(passphrase, salt)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise CaseExists(path) from None
        except OSError as exc:
            raise StorageError(f"{path} cannot be created: {exc.strerror}.") from None
        os.close(fd)
        secure_create_mode(path)
        try:
            lock = WriterLock(path)
            conn = connect(path, kdf.raw_key_literal(key, salt), writable=True, create=True)
            case = cls(conn, path, salt=salt, key=key, lock=lock, actor=actor, clock=clock)
            with case.transaction():
                schema.migrate(case._execute, 0)
                case._set_meta("format_version", str(kdf.FORMAT_VERSION))
                now = clock()
                record = Case(
                    id=new_id(), rev=str(uuid.uuid4()), parent_rev=None, created=now,
                    updated=now, author=actor, title=title, tlp=tlp, drill=drill,
                    codename=codename,
                )
                case.case_id = record.id
                case._set_meta("case_id", record.id)
                case._store(record, "create")
        except BaseException:
            with contextlib.suppress(NameError):
                case.close()
            with contextlib.suppress(OSError):
                os.unlink(path)
            raise
        return case

    @classmethod
    def open(
        cls,
        path: str,
        passphrase: str | None = None,
        *,
        key: bytes | None = None,
        actor: str = "",
        writable: bool = True,
        clock: Callable[[], Moment] = Moment.now,
    ) -> CaseFile:
        """Unlock a case with its passphrase (or its derived key) and run the cheap checks.

        Raises:
            CaseFileError: missing file, wrong passphrase, not a case file, tampered, in use.
        """
        salt = read_salt(path)
        if key is None:
            if passphrase is None:
                raise ValueError("a passphrase or a key is needed")
            key = kdf.derive_key(passphrase, salt)
        lock = WriterLock(path) if writable else None
        try:
            conn = connect(path, kdf.raw_key_literal(key, salt), writable=writable)
        except BaseException:
            if lock:
                lock.release()
            raise
        case = cls(conn, path, salt=salt, key=key, lock=lock, actor=actor, clock=clock)
        try:
            with translated_errors(path):
                case._load()
        except BaseException:
            case.close()
            raise
        return case

    def _load(self) -> None:
        version = self._scalar("PRAGMA user_version")
        if version == 0:
            raise NotACaseFile(f"{self.path} is an encrypted database, but not a case file.")
        if version > schema.SCHEMA_VERSION:
            raise NewerFormat(
                f"{self.path} was written by a newer irdesk (format {version}); update irdesk to open it."
            )
        self._check_schema(version)
        if version < schema.SCHEMA_VERSION:
            if self._writer_lock is None:
                raise CaseFileError(
                    f"{self.path} uses an older format; open it once in irdesk to upgrade it."
                )
            self._upgrade(version)
        self._read_chain_tail()
        case_id = self._meta("case_id")
        if case_id is None:
            raise TamperedCase(f"{self.path} has no case identity.")
        self.case_id = RecordId(case_id)

    def _check_schema(self, version: int) -> None:
        found = frozenset(self._conn.execute(schema.MASTER_QUERY).fetchall())
        if found != schema.expected_objects(version):
            extra = sorted(str(row[1]) for row in found - schema.expected_objects(version))
            what = f" (unexpected: {', '.join(extra[:3])})" if extra else ""
            raise TamperedCase(f"{self.path} does not have the schema of a case file{what}.")

    def _upgrade(self, from_version: int) -> None:
        """Back the file up beside itself, then migrate in one transaction."""
        self._conn.close()
        backup = f"{self.path}.format{from_version}-backup"
        atomic_copy(self.path, backup)
        self._conn = connect(
            self.path, kdf.raw_key_literal(self._key, self._salt), writable=True
        )
        with self.transaction():
            schema.migrate(self._execute, from_version)
            self._append(action="migrate", entity="file", entity_id=self._meta("case_id") or "",
                         record_hash="", source=f"format {from_version}")

    def _read_chain_tail(self) -> None:
        rows = self._conn.execute(
            f"SELECT {', '.join(audit.COLUMNS)} FROM audit ORDER BY seq DESC LIMIT 2"
        ).fetchall()
        entries = [audit.AuditEntry(*row) for row in reversed(rows)]
        if not entries:
            raise TamperedCase(f"{self.path} has an empty audit chain.")
        last = entries[-1]
        before = entries[0].hash if len(entries) == 2 else GENESIS
        if last.compute_hash() != last.hash or last.prev_hash != before:
            raise TamperedCase(f"The audit chain of {self.path} is broken at its last entry.")
        length = self._meta("chain_length")
        if length is None or int(length) != last.seq:
            raise TamperedCase(f"The audit chain of {self.path} does not match its recorded length.")
        self._head, self._length = last.hash, last.seq

    def close(self) -> None:
        """Close the database first, then release the writer lock (see lock.py)."""
        with self._mutex:
            if self._conn is not None:
                self._conn.close()
                self._conn = None  # type: ignore[assignment]
            if self._writer_lock is not None:
                self._writer_lock.release()
                self._writer_lock = None

    @property
    def closed(self) -> bool:
        return self._conn is None

    def __enter__(self) -> CaseFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ low level

    @property
    def salt(self) -> bytes:
        return self._salt

    @property
    def key(self) -> bytes:
        """The derived key (the secret a hand-off or ``rawkey`` needs)."""
        return self._key

    def raw_key(self) -> str:
        return kdf.raw_key_literal(self._key, self._salt)

    @property
    def chain_head(self) -> str:
        return self._head

    @property
    def chain_length(self) -> int:
        return self._length

    def fingerprint(self) -> str:
        return case_fingerprint(self.case_id, self._head)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic, durable change; nested uses join the outermost transaction."""
        with self._mutex:
            if self._conn is None:
                raise CaseFileError("The case is closed.")
            outermost = self._depth == 0
            saved = (self._head, self._length)
            if outermost:
                with translated_errors(self.path):
                    self._conn.execute("BEGIN IMMEDIATE")
            self._depth += 1
            try:
                yield
            except BaseException:
                self._depth -= 1
                if outermost:
                    self._head, self._length = saved
                    with contextlib.suppress(sqlcipher3.Error):
                        self._conn.execute("ROLLBACK")
                raise
            self._depth -= 1
            if outermost:
                try:
                    with translated_errors(self.path):
                        self._set_meta("chain_length", str(self._length))
                        self._conn.execute("COMMIT")
                except BaseException:
                    self._head, self._length = saved
                    with contextlib.suppress(sqlcipher3.Error):
                        self._conn.execute("ROLLBACK")
                    raise

    def _execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> sqlcipher3.Cursor:
        return self._conn.execute(sql, params)

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._mutex, translated_errors(self.path):
            if self._conn is None:
                raise CaseFileError("The case is closed.")
            return self._conn.execute(sql, params).fetchall()

    def _scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        rows = self._query(sql, params)
        return rows[0][0] if rows else None

    def _meta(self, key: str) -> str | None:
        return self._scalar("SELECT value FROM meta WHERE key = ?", (key,))

    def _set_meta(self, key: str, value: str) -> None:
        self._execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def _append(self, *, action: str, entity: str, entity_id: str, record_hash: str, source: str = "") -> None:
        entry = audit.make_entry(
            seq=self._length + 1, at=self.clock().isoformat(), actor=self.actor, action=action,
            entity=entity, entity_id=entity_id, record_hash=record_hash, source=source,
            prev_hash=self._head,
        )
        self._execute(
            f"INSERT INTO audit ({', '.join(audit.COLUMNS)}) VALUES ({', '.join('?' * len(audit.COLUMNS))})",
            dataclasses.astuple(entry),
        )
        self._head, self._length = entry.hash, entry.seq

    def log_event(self, action: str, source: str = "") -> None:
        """Append a whole-file event (hand-off, rekey…) to the audit chain."""
        with self.transaction():
            self._append(action=action, entity="file", entity_id=self.case_id, record_hash="", source=source)

    # ------------------------------------------------------------------ generic records

    def _store(
        self, record: Record, action: str, *, previous: Record | None = None,
        source: str = "", conflict: bool = False, content: bytes | None = None,
    ) -> None:
        """Write a record (new or a new revision), keep the old one, and chain the change."""
        table = schema.TABLES[record.KIND]
        row = codec.to_row(record)
        for value in row.values():
            _check_text(value)
        if previous is None:
            if content is not None:
                row["content"] = content
            names = ", ".join(row)
            self._execute(f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(row))})",
                          tuple(row.values()))
        else:
            self._keep_revision(previous, conflict=conflict)
            if isinstance(previous, Note):
                self._fts_delete(previous)
            assignments = ", ".join(f"{name} = ?" for name in row)
            self._execute(f"UPDATE {table} SET {assignments} WHERE id = ?", (*row.values(), record.id))
        if isinstance(record, Note) and not record.deleted:
            self._execute(
                "INSERT INTO notes_fts (rowid, body) SELECT seq, body FROM notes WHERE id = ?", (record.id,)
            )
        self._append(action=action, entity=record.KIND, entity_id=record.id,
                     record_hash=record_hash(record), source=source)

    def _keep_revision(self, record: Record, *, conflict: bool = False) -> None:
        self._execute(
            "INSERT INTO revisions (kind, record_id, rev, superseded, conflict, json) VALUES (?, ?, ?, ?, ?, ?)",
            (record.KIND, record.id, record.rev, self.clock().isoformat(), int(conflict),
             canonical_json(to_dict(record)).decode("utf-8")),
        )

    def _fts_delete(self, note: Note) -> None:
        if note.deleted:
            return
        seq = self._scalar("SELECT seq FROM notes WHERE id = ?", (note.id,))
        self._execute(
            "INSERT INTO notes_fts (notes_fts, rowid, body) VALUES ('delete', ?, ?)", (seq, note.body)
        )

    def _stamp_new(self, cls: type[R], **fields: Any) -> R:
        now = self.clock()
        return cls(id=new_id(), rev=str(uuid.uuid4()), parent_rev=None, created=now,
                   updated=now, author=self.actor, **fields)

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

    def put(self, record: Record, *, action: str, source: str = "", conflict_loser: Record | None = None) -> None:
        """Write a record exactly as given (merge and import): new, or replacing the current one.

        ``conflict_loser``, when given, is kept as a visible conflict revision.
        """
        with self.transaction():
            current = self.find(type(record), record.id)
            if current is not None and current.rev == record.rev and conflict_loser is None:
                return
            self._store(record, action, previous=current, source=source)
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

    # ------------------------------------------------------------------ the case

    def case(self) -> Case:
        return self.get(Case, self.case_id)

    def update_case(self, **changes: Any) -> Case:
        """Change the case record; closing is refused while action items are unsettled."""
        if changes.get("status") == CaseStatus.CLOSED:
            blockers = self.closing_blockers()
            if blockers:
                names = "; ".join(f"“{a.title}” ({a.status.value})" for a in blockers[:5])
                raise NotAllowed(
                    f"The case cannot be closed while {len(blockers)} action item(s) are neither "
                    f"tested nor waived: {names}."
                )
            if "closed_at" not in changes and self.case().closed_at is None:
                changes["closed_at"] = self.clock()
        return self.update(Case, self.case_id, **changes)

    def closing_blockers(self) -> list[ActionItem]:
        return [a for a in self.all(ActionItem) if not a.status.settled]

    # ------------------------------------------------------------------ notes

    def add_note(self, phase: Phase, body: str, *, occurred: Moment | None = None,
                 gap: Gap | None = None, tags: Sequence[str] = ()) -> Note:
        return self.add(Note, phase=phase, body=body, occurred=occurred or self.clock(), gap=gap,
                        tags=tuple(tags))

    def edit_note(self, note_id: str, **changes: Any) -> Note:
        if "tags" in changes:
            changes["tags"] = tuple(changes["tags"])
        return self.update(Note, note_id, **changes)

    def _note_where(self, f: NoteFilter) -> tuple[str, list[Any]]:
        clauses, params = ["n.deleted = 0"], []
        if f.phase is not None:
            clauses.append("n.phase = ?")
            params.append(f.phase.value)
        if f.gap is not None:
            clauses.append("n.gap = ?")
            params.append(f.gap.value)
        elif f.gaps_only:
            clauses.append("n.gap IS NOT NULL")
        if f.query.strip():
            clauses.append("n.seq IN (SELECT rowid FROM notes_fts WHERE notes_fts MATCH ?)")
            params.append(fts_query(f.query) or '""')
        return " AND ".join(clauses), params

    def count_notes(self, f: NoteFilter = NoteFilter()) -> int:
        where, params = self._note_where(f)
        return int(self._scalar(f"SELECT count(*) FROM notes n WHERE {where}", params))

    def list_notes(self, f: NoteFilter = NoteFilter(), *, offset: int = 0, limit: int = -1,
                   newest_first: bool = False) -> list[Note]:
        """Live notes in time order (then entry order), filtered in SQL, one page at a time."""
        where, params = self._note_where(f)
        cols = ", ".join(f"n.{c}" for c in codec.columns(Note))
        direction = "DESC" if newest_first else "ASC"
        rows = self._query(
            f"SELECT {cols} FROM notes n WHERE {where} "
            f"ORDER BY n.occurred_utc {direction}, n.seq {direction} LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        return [codec.from_row(Note, row) for row in rows]

    def search_notes(self, query: str, *, phase: Phase | None = None, gap: Gap | None = None,
                     limit: int = 200) -> list[SearchHit]:
        """Full-text search, best match first, with a highlighted snippet for each hit."""
        match = fts_query(query)
        if not match:
            return []
        clauses, params = ["notes_fts MATCH ?", "n.deleted = 0"], [match]
        if phase is not None:
            clauses.append("n.phase = ?")
            params.append(phase.value)
        if gap is not None:
            clauses.append("n.gap = ?")
            params.append(gap.value)
        cols = ", ".join(f"n.{c}" for c in codec.columns(Note))
        rows = self._query(
            f"SELECT snippet(notes_fts, 0, char(2), char(3), '…', 24), {cols} "
            f"FROM notes_fts JOIN notes n ON n.seq = notes_fts.rowid "
            f"WHERE {' AND '.join(clauses)} ORDER BY rank LIMIT ?",
            (*params, limit),
        )
        return [SearchHit(codec.from_row(Note, row[1:]), row[0]) for row in rows]

    # ------------------------------------------------------------------ evidence

    def custody_for(self, evidence_id: str) -> list[CustodyEvent]:
        events = self._select(CustodyEvent, where="evidence_id = ?", params=(evidence_id,))
        return sorted(events, key=lambda e: e.at.utc)

    def attach(self, name: str, data: bytes, *, media_type: str = "application/octet-stream") -> Attachment:
        """Store a small file encrypted inside the case."""
        if len(data) > ATTACHMENT_LIMIT:
            raise NotAllowed(
                f"The file is {len(data) // (1024 * 1024)} MiB; files over "
                f"{ATTACHMENT_LIMIT // (1024 * 1024)} MiB are referenced by path and hash instead."
            )
        record = self._stamp_new(Attachment, name=os.path.basename(name) or "attachment",
                                 media_type=media_type, size=len(data),
                                 sha256=hashlib.sha256(data).hexdigest())
        with self.transaction():
            self._store(record, "create", content=data)
        return record

    def attachment_bytes(self, attachment_id: str) -> bytes:
        """The attachment's bytes, checked against its recorded SHA-256."""
        record = self.get(Attachment, attachment_id)
        data = self._scalar("SELECT content FROM attachments WHERE id = ?", (attachment_id,))
        if data is None or hashlib.sha256(data).hexdigest() != record.sha256:
            raise CorruptCase(f"The attachment {record.name} does not match its recorded hash.")
        return bytes(data)

    # ------------------------------------------------------------------ contacts

    def engagements_for(self, contact_id: str) -> list[Engagement]:
        found = self._select(Engagement, where="contact_id = ?", params=(contact_id,))
        return sorted(found, key=lambda e: e.needed_at.utc)

    def stale_contacts(self, max_age_days: int, today: date | None = None) -> list[Contact]:
        today = today or self.clock().local.date()
        return [c for c in self.all(Contact)
                if c.last_verified is None or (today - c.last_verified).days > max_age_days]

    # ------------------------------------------------------------------ counts for summaries

    def counts(self) -> dict[str, int]:
        """Live records of each kind."""
        return {kind: int(self._scalar(f"SELECT count(*) FROM {table} WHERE deleted = 0"))
                for kind, table in schema.TABLES.items()}

    def audit_entries(self, start: int = 1) -> Iterator[audit.AuditEntry]:
        """The chain from ``start`` on, streamed in batches."""
        cols = ", ".join(audit.COLUMNS)
        while True:
            rows = self._query(f"SELECT {cols} FROM audit WHERE seq >= ? ORDER BY seq LIMIT 5000", (start,))
            if not rows:
                return
            yield from (audit.AuditEntry(*row) for row in rows)
            start = rows[-1][0] + 1

    def contains_chain_head(self, head: str) -> bool:
        """True if ``head`` is (or was) the hash of an entry in this chain, or of a merged source."""
        return bool(self._scalar("SELECT 1 FROM audit WHERE hash = ? OR source LIKE ? LIMIT 1",
                                 (head, f"%{head}%")))

    # ------------------------------------------------------------------ whole-file operations

    def rekey(self, new_passphrase: str) -> None:
        """Change the passphrase in place with SQLCipher's journaled rekey; the salt is kept."""
        new_key = kdf.derive_key(new_passphrase, self._salt)
        with self._mutex, translated_errors(self.path):
            self._conn.execute(f'PRAGMA rekey = "{kdf.raw_key_literal(new_key, self._salt)}"')
            self._key = new_key
        self.log_event("rekey")

    def reader(self) -> CaseFile:
        """A second, read-only connection to the same case (no key derivation).

        The GUI reads through it on its own thread while writes commit on a worker, so a
        slow fsync on a USB stick never holds the reader's Python lock.
        """
        conn = connect(self.path, self.raw_key(), writable=False)
        other = CaseFile(conn, self.path, salt=self._salt, key=self._key, lock=None,
                         actor=self.actor, clock=self.clock)
        other.case_id = self.case_id
        other._head, other._length = self._head, self._length
        return other

    def refresh_head(self) -> None:
        """Re-read the chain head (a reader does this after the writer commits)."""
        rows = self._query("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
        if rows:
            self._length, self._head = int(rows[0][0]), str(rows[0][1])

    def backup_to(self, target: str) -> None:
        """Copy the open database page by page into ``target`` (same key), through SQLite."""
        with self._mutex, translated_errors(self.path):
            dest = connect(target, self.raw_key(), writable=True, create=True)
            try:
                self._conn.backup(dest)
            finally:
                dest.close()
