"""``EncryptedFile``: the core every irdesk file kind shares, composed of its parts.

- ``db`` (``database.Database``): the SQLCipher connection, queries and transactions;
- ``chain`` (``chain.AuditChain``): the audit chain's head and entries;
- ``records`` (``records.RecordStore``): records by id and kind, and the one write path.

A case (``store.CaseFile``) and a readiness book (``irdesk.book.store.BookFile``) are this
core with their ``FileKind`` (``kinds.py``): their own schema, record kinds and
``PRAGMA application_id``. Opening one kind's file as the other is refused (exit 4) once the
key has unlocked it. Changes are made only by named operations, each in one
``transaction()``; every read goes through the verified reader.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable, Iterator
from typing import Any, ClassVar, Self

from irdesk.casefile import kdf
from irdesk.casefile.chain import AuditChain
from irdesk.casefile.changes import ChangeLog
from irdesk.casefile.connection import connect, read_salt, translated_errors
from irdesk.casefile.database import Database
from irdesk.casefile.errors import (
    CaseExists,
    CaseFileError,
    NewerFormat,
    NotACaseFile,
    StorageError,
    TamperedCase,
)
from irdesk.casefile.files import Partial, atomic_copy
from irdesk.casefile.kinds import CASE, FileKind, by_application_id
from irdesk.casefile.lock import WriterLock
from irdesk.casefile.outputs import Notice, check_destination, remove_leftovers
from irdesk.casefile.records import RecordStore
from irdesk.domain.fingerprint import case_fingerprint
from irdesk.domain.moment import Moment
from irdesk.domain.records import Record, RecordId, new_id

Clock = Callable[[], Moment]


def _free_name(path: str) -> str:
    """``path``, or the first of ``path-2``, ``path-3``… that does not exist: a backup never
    replaces an earlier one."""
    candidate, n = path, 1
    while os.path.lexists(candidate):
        n += 1
        candidate = f"{path}-{n}"
    return candidate


IDENTITY_KEY = "case_id"  # the meta key naming the file's identity record (a case's or a book's)


class EncryptedFile:
    """An open, unlocked file of one kind. Use a subclass's ``create`` or ``open``; close when done."""

    KIND: ClassVar[FileKind] = CASE

    def __init__(self, db: Database, *, salt: bytes, key: bytes, lock: WriterLock | None,
                 actor: str, clock: Clock = Moment.now) -> None:
        self.db = db
        self.path = db.path
        self._salt, self._key = salt, key
        self._writer_lock = lock
        self.chain = AuditChain(db, actor=actor, clock=clock)
        self._logs: list[ChangeLog] = []
        self.file_id = RecordId("")
        self.records = RecordStore(db, self.chain, self._current_log, lambda: self.file_id, self.KIND)
        self._salvaging = False

    @property
    def actor(self) -> str:
        return self.chain.actor

    @property
    def clock(self) -> Clock:
        return self.chain.clock

    # ------------------------------------------------------------ creating and opening
    @classmethod
    def _create_identity(cls, path: str, passphrase: str, *, actor: str, clock: Clock,
                         fill: Callable[[Self], object] | None = None, notice: Notice | None = None,
                         **fields: Any) -> Self:
        """A new file whose identity record has ``fields``; ``fill`` writes more in the same
        creating transaction."""

        def write(new: Self) -> None:
            now = clock()
            record = cls.KIND.identity(id=new_id(), rev=str(uuid.uuid4()), parent_rev=None, created=now,
                                       updated=now, author=actor, **fields)
            new._adopt_identity(record.id)
            new.records.put(record, action="create")
            if fill is not None:
                fill(new)

        return cls._create_file(path, passphrase, actor=actor, clock=clock, fill=write, notice=notice)

    def _adopt_identity(self, file_id: RecordId) -> None:
        self.file_id = file_id
        self.db.set_meta(IDENTITY_KEY, file_id)

    @classmethod
    def _create_file(cls, path: str, passphrase: str, *, actor: str, clock: Clock,
                     fill: Callable[[Self], None], notice: Notice | None = None,
                     replace: bool = False) -> Self:
        """Fill a new file under a hidden, locked partial name, then give it ``path``.

        A kill while it is filled leaves only the partial, which the next irdesk command
        writing into the folder removes (and says so); never a half-made file at ``path``.
        ``replace`` (``salvage --force``) lets it replace an existing file that is not a case;
        a case file or book is never replaced (``outputs.check_destination``).
        """
        if replace:
            check_destination(path, replace=True)
        elif os.path.lexists(path):
            raise CaseExists(path)
        salt = kdf.new_salt()
        key = kdf.derive_key(passphrase, salt)
        folder = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(folder):
            raise StorageError(f"{path} cannot be created: the folder {folder} does not exist.")
        remove_leftovers(folder, notice)
        partial = Partial(path)
        new: Self | None = None
        try:
            # The partial's locked descriptor is the new file's writer lock from the start.
            lock = WriterLock.held(partial.take_fd(), owned=True)
            try:
                db = Database(connect(partial.path, kdf.raw_key_literal(key, salt), writable=True,
                                      create=True), partial.path)
            except BaseException:
                lock.release()
                raise
            new = cls(db, salt=salt, key=key, lock=lock, actor=actor, clock=clock)
            with new.transaction():
                cls.KIND.schema.migrate(db.execute, 0)
                db.execute(f"PRAGMA application_id = {cls.KIND.application_id}")
                db.set_meta("format_version", str(kdf.FORMAT_VERSION))
                fill(new)
            db.close()  # SQLite names the journal after the path: reopen under the real one
            if replace:
                check_destination(path, replace=True)  # still not a case, after the slow fill
            partial.publish(overwrite=replace)
            new.path = db.path = path
            db.reconnect(new.raw_key(), writable=True)
        except OSError as exc:
            if new is not None:
                new.close()
            partial.discard()
            raise StorageError(f"{path} cannot be created: {exc.strerror or exc}.") from None
        except BaseException:
            if new is not None:
                new.close()
            partial.discard()
            raise
        return new

    @classmethod
    def open(cls, path: str, passphrase: str | None = None, *, key: bytes | None = None, actor: str = "",
             writable: bool = True, clock: Clock = Moment.now, repair_search: bool = True,
             salvaging: bool = False, lock: WriterLock | None = None) -> Self:
        """Unlock a file with its passphrase (or its derived key) and run the cheap checks.

        ``repair_search``: a writer checks what it can repair cheaply on open (a case's search
        index). ``salvaging`` (read-only) opens a file whose chain tail is broken too.
        ``lock``: a writer lock already held on the file (a new copy's partial), else one is taken.

        Raises:
            CaseFileError: missing file, wrong passphrase, not this kind of file, tampered, in use.
        """
        salt = read_salt(path)
        if key is None:
            if passphrase is None:
                raise ValueError("a passphrase or a key is needed")
            key = kdf.derive_key(passphrase, salt)
        if lock is None and writable:
            lock = WriterLock(path)
        try:
            db = Database(connect(path, kdf.raw_key_literal(key, salt), writable=writable), path)
        except BaseException:
            if lock:
                lock.release()
            raise
        opened = cls(db, salt=salt, key=key, lock=lock, actor=actor, clock=clock)
        opened._salvaging = salvaging and not writable
        try:
            with translated_errors(path):
                opened._load()
                if writable and repair_search:
                    opened._repair_on_open()
        except BaseException:
            opened.close()
            raise
        return opened

    def _repair_on_open(self) -> None:
        """What a writer repairs when it opens the file (nothing, unless a kind says so)."""

    def _check_kind(self, version: object) -> None:
        """Refuse a file of the other kind (exit 4), by its ``PRAGMA application_id``."""
        app_id = int(self.db.scalar("PRAGMA application_id") or 0)
        expected = self.KIND
        if version == 0:
            raise NotACaseFile(f"{self.path} is an encrypted database, but not {expected.noun}.")
        # A case written before files were marked has 0: it is a case.
        found = CASE if app_id == 0 else by_application_id(app_id)
        if found is expected:
            return
        if found is not None:
            raise NotACaseFile(f"{self.path} is {found.noun}, not {expected.noun}.")
        raise NotACaseFile(f"{self.path} is an encrypted database, but not {expected.noun}.")

    def _load(self) -> None:
        version = self.db.scalar("PRAGMA user_version")
        self._check_kind(version)
        schema = self.KIND.schema
        if not isinstance(version, int) or version > schema.version:
            raise NewerFormat(
                f"{self.path} was written by a newer irdesk (format {version}); update irdesk to open it.")
        objects = self.db.schema_objects()
        if objects != schema.expected_objects(version):
            extra = sorted(str(row[1]) for row in objects - schema.expected_objects(version))
            what = f" (unexpected: {', '.join(extra[:3])})" if extra else ""
            raise TamperedCase(f"{self.path} does not have the schema of {self.KIND.noun}{what}.")
        try:
            self.chain.load_tail()
        except TamperedCase:
            if not self._salvaging:
                raise
            self.chain.refresh()
        if version < schema.version:
            if self._writer_lock is None:
                raise CaseFileError(f"{self.path} uses an older format; open it once in irdesk to upgrade it.")
            self._upgrade(version)
        file_id = self.db.meta(IDENTITY_KEY)
        if file_id is None:
            raise TamperedCase(f"{self.path} has no {self.KIND.name} identity.")
        self.file_id = RecordId(file_id)

    def _upgrade(self, from_version: int) -> None:
        """Back the file up beside itself, then migrate in one transaction."""
        self.db.close()
        atomic_copy(self.path, _free_name(f"{self.path}.format{from_version}-backup"), overwrite=False)
        self.db.reconnect(self.raw_key(), writable=True)
        file_id = self.db.meta(IDENTITY_KEY) or ""
        with self.transaction():
            self.KIND.schema.migrate(self.db.execute, from_version)
            self._upgraded(from_version, file_id)
            self.chain.append(action="migrate", entity="file", entity_id=file_id,
                              source=f"format {from_version}")

    def _upgraded(self, from_version: int, file_id: str) -> None:
        """What a kind chains when it upgrades from an older format, inside the migration."""

    def reader(self) -> Self:
        """A second, read-only connection to the same file (no key derivation); it builds its
        own chain index. The GUI reads through it while writes commit on a worker."""
        db = Database(connect(self.path, self.raw_key(), writable=False), self.path)
        other = type(self)(db, salt=self._salt, key=self._key, lock=None, actor=self.actor, clock=self.clock)
        other.file_id = self.file_id
        other.chain.refresh()  # what is committed, not a writer's transaction in progress
        return other

    def close(self) -> None:
        """Close the database first, then release the writer lock (see lock.py)."""
        self.db.close()
        if self._writer_lock is not None:
            self._writer_lock.release()
            self._writer_lock = None

    @property
    def closed(self) -> bool:
        return self.db.closed

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ keys and fingerprints
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
        return self.chain.head

    @property
    def chain_length(self) -> int:
        return self.chain.length

    def fingerprint(self) -> str:
        return case_fingerprint(self.file_id, self.chain.head)

    def refresh_head(self) -> None:
        """Re-read the chain head (a reader does this after the writer commits)."""
        self.chain.refresh()

    def identity(self) -> Record:
        """The record that names the file (a case's case record, a book's book record)."""
        return self.records.get(self.KIND.identity, self.file_id)

    def title(self) -> str:
        return str(getattr(self.identity(), "title", ""))

    # ------------------------------------------------------------ transactions
    @contextlib.contextmanager
    def transaction(self) -> Iterator[ChangeLog]:
        """One atomic, durable change; nested uses join the outermost transaction.

        Yields the change log of this scope: what the writes inside it changed, complete
        once the block ends (a nested scope's changes also count for the one around it).
        """
        saved = self.chain.state()
        with self.db.transaction(
            before_commit=lambda: self.db.set_meta("chain_length", str(self.chain.length)),
            on_rollback=lambda: self.chain.restore(saved),
        ):
            log = ChangeLog()
            self._logs.append(log)
            try:
                yield log
            finally:
                self._logs.pop()
            if self._logs:
                self._logs[-1].absorb(log)

    def _current_log(self) -> ChangeLog:
        assert self._logs, "writes run inside transaction()"
        return self._logs[-1]

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[None]:
        """Read from one consistent state of the file (exports); writers wait until it ends.

        The chain head is re-read inside it, so a header written from ``chain_head``
        matches the records and entries read after it.
        """
        with self.db.snapshot():
            self.chain.refresh()
            yield

    @contextlib.contextmanager
    def verified(self, progress: Callable[[str], None] | None = None, *,
                 keep_notes: bool = False) -> Iterator[None]:
        """Read the whole file from one consistent state that the audit chain vouches for.

        Every record and kept revision is compared with the chain first: at the first one
        that differs, is missing or was never audited, ``TamperedCase`` is raised before
        anything is read. Everything read inside the block is then one of those records.
        ``keep_notes``: the pass keeps the note rows it checked, for an output that writes
        every note (the timelines), so they are read from the file once.
        """
        with self.snapshot(), self.records.vouched(progress, keep_notes=keep_notes):
            yield

    # ------------------------------------------------------------ whole-file events
    def log_event(self, action: str, source: str = "") -> None:
        """Append a whole-file event (hand-off, rekey, merge…) to the audit chain."""
        with self.transaction():
            self.chain.append(action=action, entity="file", entity_id=self.file_id, source=source)

    def rekey(self, new_passphrase: str) -> None:
        """Change the passphrase in place with SQLCipher's journaled rekey; the salt is kept."""
        new_key = kdf.derive_key(new_passphrase, self._salt)
        self.db.rekey(kdf.raw_key_literal(new_key, self._salt))
        self._key = new_key
        with self.transaction() as log:
            self.chain.append(action="rekey", entity="file", entity_id=self.file_id)
            log.rekeyed = True

    def backup_to(self, target: str) -> None:
        """Copy the open database page by page into ``target`` (same key), through SQLite."""
        self.db.backup_to(target, self.raw_key())

    def extra_problems(self) -> list[str]:
        """What ``check`` finds beyond the core's checks, in this kind's own parts."""
        return []

    def counts(self) -> dict[str, int]:
        """Live records of each kind."""
        return {kind: self.records.count(cls) for kind, cls in self.KIND.by_kind.items()}
