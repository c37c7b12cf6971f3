"""``CaseFile``: one open, unlocked case, composed of its parts.

- ``db`` (``database.Database``): the SQLCipher connection, queries and transactions;
- ``chain`` (``chain.AuditChain``): the audit chain's head and entries;
- ``records`` (``records.RecordStore``): records by id and kind, and the one write path;
- ``notes`` (``notes.NoteQueries``): note lists, counts and full-text search.

Changes are made only by the named operations in ``irdesk.casefile.ops``; each runs in one
``transaction()``, whose change log says what it changed. Every read goes through the
verified reader (``records`` and ``notes``): a record the audit chain does not vouch for is
never given out. ``verified()`` checks the whole case first, for everything that leaves it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import Self

from irdesk.casefile import audit, kdf, schema
from irdesk.casefile.chain import AuditChain
from irdesk.casefile.changes import ChangeLog
from irdesk.casefile.connection import connect, read_salt, translated_errors
from irdesk.casefile.database import Database
from irdesk.casefile.errors import (
    CaseExists,
    CaseFileError,
    CorruptCase,
    NewerFormat,
    NotACaseFile,
    StorageError,
    TamperedCase,
)
from irdesk.casefile.files import Partial, atomic_copy
from irdesk.casefile.lock import WriterLock
from irdesk.casefile.notes import NoteFilter, NoteQueries, SearchHit, fts_query
from irdesk.casefile.outputs import Notice, check_destination, remove_leftovers
from irdesk.casefile.records import RecordStore
from irdesk.domain.enums import Tlp
from irdesk.domain.fingerprint import case_fingerprint
from irdesk.domain.moment import Moment
from irdesk.domain.records import ActionItem, Attachment, Case, CustodyEvent, Engagement, RecordId, new_id

__all__ = ["ATTACHMENT_LIMIT", "CaseFile", "NoteFilter", "SearchHit", "fts_query"]

ATTACHMENT_LIMIT = 16 * 1024 * 1024  # larger evidence is referenced by path and hash
Clock = Callable[[], Moment]


def _free_name(path: str) -> str:
    """``path``, or the first of ``path-2``, ``path-3``… that does not exist: a backup never
    replaces an earlier one."""
    candidate, n = path, 1
    while os.path.lexists(candidate):
        n += 1
        candidate = f"{path}-{n}"
    return candidate


class CaseFile:
    """An open, unlocked case. Use ``CaseFile.create`` or ``CaseFile.open``; close when done."""

    def __init__(self, db: Database, *, salt: bytes, key: bytes, lock: WriterLock | None,
                 actor: str, clock: Clock = Moment.now) -> None:
        self.db = db
        self.path = db.path
        self._salt, self._key = salt, key
        self._writer_lock = lock
        self.chain = AuditChain(db, actor=actor, clock=clock)
        self._logs: list[ChangeLog] = []
        self.case_id = RecordId("")
        self.records = RecordStore(db, self.chain, self._current_log, lambda: self.case_id)
        self.notes = NoteQueries(db, self.records)
        self._salvaging = False

    @property
    def actor(self) -> str:
        return self.chain.actor

    @property
    def clock(self) -> Clock:
        return self.chain.clock

    # ------------------------------------------------------------ creating and opening
    @classmethod
    def create(cls, path: str, passphrase: str, *, title: str, actor: str, tlp: Tlp = Tlp.AMBER,
               drill: bool = False, codename: str = "", clock: Clock = Moment.now,
               notice: Notice | None = None) -> Self:
        """Create a new case file (mode 0600). An existing file is never overwritten.

        ``notice`` hears of partials an interrupted command left in the folder and that were removed.
        """

        def fill(case: Self) -> None:
            now = clock()
            record = Case(id=new_id(), rev=str(uuid.uuid4()), parent_rev=None, created=now,
                          updated=now, author=actor, title=title, tlp=tlp, drill=drill,
                          codename=codename)
            case._adopt_identity(record.id)
            case.records.put(record, action="create")

        return cls._create_file(path, passphrase, actor=actor, clock=clock, fill=fill, notice=notice)

    @classmethod
    def restore(cls, path: str, passphrase: str, *, case: Case, chain: Sequence[audit.AuditEntry],
                actor: str, source: str, fill: Callable[[Self], None], clock: Clock = Moment.now,
                notice: Notice | None = None) -> Self:
        """Create a case file that continues an exported case (``irdesk import`` into a new file).

        The export's audit chain is copied verbatim (it must link from the start), then the
        case record and whatever ``fill`` writes are chained as imports after it, all in the
        creating transaction: on any error no file is left behind.
        """
        problems = audit.chain_problems(chain, limit=1)
        if problems:
            raise TamperedCase(f"The exported audit chain is broken: {problems[0]}")

        def fill_all(new: Self) -> None:
            new.chain.adopt(chain)
            new._adopt_identity(case.id)
            new.records.put(case, action="import", source=source, as_is=True)
            fill(new)
            new.records.verify_all()  # the new file holds exactly what its chain vouches for

        return cls._create_file(path, passphrase, actor=actor, clock=clock, fill=fill_all, notice=notice)

    def _adopt_identity(self, case_id: RecordId) -> None:
        self.case_id = case_id
        self.db.set_meta("case_id", case_id)

    @classmethod
    def _create_file(cls, path: str, passphrase: str, *, actor: str, clock: Clock,
                     fill: Callable[[Self], None], notice: Notice | None = None,
                     replace: bool = False) -> Self:
        """Fill a new file under a hidden, locked partial name, then give it ``path``.

        A kill while it is filled leaves only the partial, which the next irdesk command
        writing into the folder removes (and says so); never a half-made case at ``path``.
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
        case: Self | None = None
        try:
            # The partial's locked descriptor is the new case's writer lock from the start.
            lock = WriterLock.held(partial.take_fd(), owned=True)
            try:
                db = Database(connect(partial.path, kdf.raw_key_literal(key, salt), writable=True,
                                      create=True), partial.path)
            except BaseException:
                lock.release()
                raise
            case = cls(db, salt=salt, key=key, lock=lock, actor=actor, clock=clock)
            with case.transaction():
                schema.migrate(db.execute, 0)
                db.set_meta("format_version", str(kdf.FORMAT_VERSION))
                fill(case)
            db.close()  # SQLite names the journal after the path: reopen under the real one
            if replace:
                check_destination(path, replace=True)  # still not a case, after the slow fill
            partial.publish(overwrite=replace)
            case.path = db.path = path
            db.reconnect(case.raw_key(), writable=True)
        except OSError as exc:
            if case is not None:
                case.close()
            partial.discard()
            raise StorageError(f"{path} cannot be created: {exc.strerror or exc}.") from None
        except BaseException:
            if case is not None:
                case.close()
            partial.discard()
            raise
        return case

    @classmethod
    def open(cls, path: str, passphrase: str | None = None, *, key: bytes | None = None, actor: str = "",
             writable: bool = True, clock: Clock = Moment.now, repair_search: bool = True,
             salvaging: bool = False, lock: WriterLock | None = None) -> Self:
        """Unlock a case with its passphrase (or its derived key) and run the cheap checks.

        A writer also checks the search index against the notes and rebuilds it if they
        disagree (``repair_search``; the GUI does that after its first paint instead).
        ``salvaging`` (read-only) opens a case whose chain tail is broken too: ``salvage``
        trusts the chain only up to its first broken link anyway.
        ``lock``: a writer lock already held on the file (a new copy's partial), else one is taken.

        Raises:
            CaseFileError: missing file, wrong passphrase, not a case file, tampered, in use.
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
        case = cls(db, salt=salt, key=key, lock=lock, actor=actor, clock=clock)
        case._salvaging = salvaging and not writable
        try:
            with translated_errors(path):
                case._load()
                if writable and repair_search:
                    case.repair_search_index()
        except BaseException:
            case.close()
            raise
        return case

    def _load(self) -> None:
        version = self.db.scalar("PRAGMA user_version")
        if version == 0:
            raise NotACaseFile(f"{self.path} is an encrypted database, but not a case file.")
        if not isinstance(version, int) or version > schema.SCHEMA_VERSION:
            raise NewerFormat(
                f"{self.path} was written by a newer irdesk (format {version}); update irdesk to open it.")
        if self.db.schema_objects() != schema.expected_objects(version):
            extra = sorted(str(row[1]) for row in self.db.schema_objects() - schema.expected_objects(version))
            what = f" (unexpected: {', '.join(extra[:3])})" if extra else ""
            raise TamperedCase(f"{self.path} does not have the schema of a case file{what}.")
        try:
            self.chain.load_tail()
        except TamperedCase:
            if not self._salvaging:
                raise
            self.chain.refresh()
        if version < schema.SCHEMA_VERSION:
            if self._writer_lock is None:
                raise CaseFileError(f"{self.path} uses an older format; open it once in irdesk to upgrade it.")
            self._upgrade(version)
        case_id = self.db.meta("case_id")
        if case_id is None:
            raise TamperedCase(f"{self.path} has no case identity.")
        self.case_id = RecordId(case_id)

    def _upgrade(self, from_version: int) -> None:
        """Back the file up beside itself, then migrate in one transaction."""
        self.db.close()
        atomic_copy(self.path, _free_name(f"{self.path}.format{from_version}-backup"), overwrite=False)
        self.db.reconnect(self.raw_key(), writable=True)
        case_id = self.db.meta("case_id") or ""
        with self.transaction():
            schema.migrate(self.db.execute, from_version)
            if from_version < schema.CONFLICTS_VOUCHED:
                self._vouch_for_conflicts(case_id)
            self.chain.append(action="migrate", entity="file", entity_id=case_id,
                              source=f"format {from_version}")

    def _vouch_for_conflicts(self, case_id: str) -> None:
        """Chain a ``conflict`` entry for every competing version an older format kept, so the
        conflict marks of the upgraded file are vouched for like the new ones."""
        from irdesk.casefile.chain_index import revision_source

        for kind, record_id, rev in self.db.query(
                "SELECT kind, record_id, rev FROM revisions WHERE conflict = 1 ORDER BY seq"):
            self.chain.append(action="conflict", entity="file", entity_id=case_id,
                              source=revision_source(str(kind), str(record_id), str(rev)))

    def reader(self) -> Self:
        """A second, read-only connection to the same case (no key derivation); it builds its
        own chain index.

        The GUI reads through it on its own thread while writes commit on a worker, so a
        slow fsync on a USB stick never holds the reader's Python lock.
        """
        db = Database(connect(self.path, self.raw_key(), writable=False), self.path)
        other = type(self)(db, salt=self._salt, key=self._key, lock=None, actor=self.actor, clock=self.clock)
        other.case_id = self.case_id
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
        return case_fingerprint(self.case_id, self.chain.head)

    def refresh_head(self) -> None:
        """Re-read the chain head (a reader does this after the writer commits)."""
        self.chain.refresh()

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
    def verified(self, progress: Callable[[str], None] | None = None) -> Iterator[None]:
        """Read the whole case from one consistent state that the audit chain vouches for.

        Every record and kept revision is compared with the chain first: at the first one
        that differs, is missing or was never audited, ``TamperedCase`` is raised before
        anything is read. Everything read inside the block is then one of those records.
        Reports, every export, ``show``, ``search`` and merges read inside it.
        """
        with self.snapshot(), self.records.vouched(progress):
            yield

    # ------------------------------------------------------------ the search index
    def search_index_problem(self) -> str:
        """How the full-text index disagrees with the notes, or "" (read-only: ``check``)."""
        from irdesk.casefile.search_index import compare

        return compare(self.db)

    def repair_search_index(self) -> bool:
        """Rebuild the full-text index if it disagrees with the notes (a writer, on open).

        Only an index that disagrees costs more than FTS5's check: then the whole case is
        verified first, and a case the chain does not vouch for is left as it is (nothing is
        ever appended to a damaged case; whatever reads it next refuses). Returns True when
        the index was rebuilt; the rebuild is chained as a ``reindex`` entry.
        """
        from irdesk.casefile.search_index import agrees, rebuild

        if agrees(self.db):
            return False
        try:
            with self.snapshot():
                self.records.verify_all()
        except CaseFileError:
            return False
        with self.transaction():
            rebuild(self.db)
            self.chain.append(action="reindex", entity="file", entity_id=self.case_id,
                              source="the search index disagreed with the notes")
        return True

    def log_event(self, action: str, source: str = "") -> None:
        """Append a whole-file event (hand-off, rekey, merge…) to the audit chain."""
        with self.transaction():
            self.chain.append(action=action, entity="file", entity_id=self.case_id, source=source)

    def rekey(self, new_passphrase: str) -> None:
        """Change the passphrase in place with SQLCipher's journaled rekey; the salt is kept."""
        new_key = kdf.derive_key(new_passphrase, self._salt)
        self.db.rekey(kdf.raw_key_literal(new_key, self._salt))
        self._key = new_key
        with self.transaction() as log:
            self.chain.append(action="rekey", entity="file", entity_id=self.case_id)
            log.rekeyed = True

    def backup_to(self, target: str) -> None:
        """Copy the open database page by page into ``target`` (same key), through SQLite."""
        self.db.backup_to(target, self.raw_key())

    # ------------------------------------------------------------ reading, by what it means
    def case(self) -> Case:
        return self.records.get(Case, self.case_id)

    def closing_blockers(self) -> list[ActionItem]:
        """Action items that hold the case open: neither tested nor waived."""
        return [a for a in self.records.all(ActionItem) if not a.status.settled]

    def custody_for(self, evidence_id: str) -> list[CustodyEvent]:
        events = self.records.select(CustodyEvent, where="evidence_id = ?", params=(evidence_id,))
        return sorted(events, key=lambda e: e.at.utc)

    def engagements_for(self, contact_id: str) -> list[Engagement]:
        found = self.records.select(Engagement, where="contact_id = ?", params=(contact_id,))
        return sorted(found, key=lambda e: e.needed_at.utc)

    def attachment_bytes(self, attachment_id: str) -> bytes:
        """The attachment's bytes, checked against its recorded SHA-256."""
        record = self.records.get(Attachment, attachment_id)
        data = self.records.attachment_content(attachment_id)
        if data is None or hashlib.sha256(data).hexdigest() != record.sha256:
            raise CorruptCase(f"The attachment {record.name} does not match its recorded hash.")
        return data

    def counts(self) -> dict[str, int]:
        """Live records of each kind."""
        from irdesk.domain.records import BY_KIND

        return {kind: self.records.count(cls) for kind, cls in BY_KIND.items()}
