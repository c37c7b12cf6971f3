"""``CaseFileCore``: opening, creating and closing a case file, transactions, the audit chain.

Every change runs in one transaction that writes the new record, keeps the previous
revision, and appends an audit entry (``_store``); nothing else writes to the file. The
record operations build on this in ``records.py``, ``notes.py`` and ``store.py``.
"""

from __future__ import annotations

import contextlib
import os
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Self, TypeVar

import sqlcipher3

from irdesk.casefile import audit, codec, kdf, schema
from irdesk.casefile.connection import connect, read_salt, translated_errors
from irdesk.casefile.errors import (
    CaseExists,
    CaseFileError,
    NewerFormat,
    NotACaseFile,
    NotAllowed,
    StorageError,
    TamperedCase,
)
from irdesk.casefile.files import atomic_copy, secure_create_mode
from irdesk.casefile.lock import WriterLock
from irdesk.domain.canonical import canonical_json, record_hash, to_dict
from irdesk.domain.enums import Tlp
from irdesk.domain.fingerprint import GENESIS, case_fingerprint
from irdesk.domain.moment import Moment
from irdesk.domain.records import Case, Note, Record, RecordId, new_id

R = TypeVar("R", bound=Record)


def _check_text(value: Any) -> None:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise NotAllowed("The text holds characters that are not valid Unicode.") from None


class CaseFileCore:
    """An open, unlocked case: the connection, its lock, transactions and the chain head."""

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
    ) -> Self:
        """Create a new case file (mode 0600). An existing file is never overwritten."""
        _check_text(title)

        def fill(case: Self) -> None:
            now = clock()
            record = Case(
                id=new_id(), rev=str(uuid.uuid4()), parent_rev=None, created=now,
                updated=now, author=actor, title=title, tlp=tlp, drill=drill,
                codename=codename,
            )
            case.case_id = record.id
            case._set_meta("case_id", record.id)
            case._store(record, "create")

        return cls._create_file(path, passphrase, actor=actor, clock=clock, fill=fill)

    @classmethod
    def restore(
        cls,
        path: str,
        passphrase: str,
        *,
        case: Case,
        chain: Sequence[audit.AuditEntry],
        actor: str,
        source: str,
        fill: Callable[[Self], None],
        clock: Callable[[], Moment] = Moment.now,
    ) -> Self:
        """Create a case file that continues an exported case (``irdesk import`` into a new file).

        The export's audit chain is copied verbatim (it must link from the start), then the
        case record and whatever ``fill`` writes are chained as imports after it, all in the
        creating transaction: on any error no file is left behind.
        """
        problems = audit.chain_problems(chain, limit=1)
        if problems:
            raise TamperedCase(f"The exported audit chain is broken: {problems[0]}")

        def fill_all(new: Self) -> None:
            cols = ", ".join(audit.COLUMNS)
            marks = ", ".join("?" * len(audit.COLUMNS))
            for entry in chain:
                new._execute(f"INSERT INTO audit ({cols}) VALUES ({marks})", entry.values())
                new._head, new._length = entry.hash, entry.seq
            new.case_id = case.id
            new._set_meta("case_id", case.id)
            new._store(case, "import", source=source)
            fill(new)

        return cls._create_file(path, passphrase, actor=actor, clock=clock, fill=fill_all)

    @classmethod
    def _create_file(cls, path: str, passphrase: str, *, actor: str, clock: Callable[[], Moment],
                     fill: Callable[[Self], None]) -> Self:
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
                fill(case)
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
    ) -> Self:
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
        self._read_chain_tail()
        if version < schema.SCHEMA_VERSION:
            if self._writer_lock is None:
                raise CaseFileError(
                    f"{self.path} uses an older format; open it once in irdesk to upgrade it."
                )
            self._upgrade(version)
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
                self._conn = None
            if self._writer_lock is not None:
                self._writer_lock.release()
                self._writer_lock = None

    @property
    def closed(self) -> bool:
        return self._conn is None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

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
            entry.values(),
        )
        self._head, self._length = entry.hash, entry.seq

    def log_event(self, action: str, source: str = "") -> None:
        """Append a whole-file event (hand-off, rekey…) to the audit chain."""
        with self.transaction():
            self._append(action=action, entity="file", entity_id=self.case_id, record_hash="", source=source)

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

    def _keep_revision(self, record: Record, *, conflict: bool = False,
                       superseded: Moment | None = None) -> None:
        self._execute(
            "INSERT INTO revisions (kind, record_id, rev, superseded, conflict, json) VALUES (?, ?, ?, ?, ?, ?)",
            (record.KIND, record.id, record.rev, (superseded or self.clock()).isoformat(), int(conflict),
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

    def rekey(self, new_passphrase: str) -> None:
        """Change the passphrase in place with SQLCipher's journaled rekey; the salt is kept."""
        new_key = kdf.derive_key(new_passphrase, self._salt)
        with self._mutex, translated_errors(self.path):
            self._conn.execute(f'PRAGMA rekey = "{kdf.raw_key_literal(new_key, self._salt)}"')
            self._key = new_key
        self.log_event("rekey")

    def reader(self) -> Self:
        """A second, read-only connection to the same case (no key derivation).

        The GUI reads through it on its own thread while writes commit on a worker, so a
        slow fsync on a USB stick never holds the reader's Python lock.
        """
        conn = connect(self.path, self.raw_key(), writable=False)
        other = type(self)(conn, self.path, salt=self._salt, key=self._key, lock=None,
                         actor=self.actor, clock=self.clock)
        other.case_id = self.case_id
        other._head, other._length = self._head, self._length
        return other

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[None]:
        """Read from one consistent state of the file (exports); writers wait until it ends.

        The chain head is re-read inside it, so a header written from ``chain_head``
        matches the records and entries read after it.
        """
        with self._mutex:
            with translated_errors(self.path):
                self._conn.execute("BEGIN")
            try:
                self.refresh_head()
                yield
            finally:
                with contextlib.suppress(sqlcipher3.Error):
                    self._conn.execute("COMMIT")

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

