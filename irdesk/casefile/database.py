"""One SQLCipher connection: parameterised queries, nested transactions, the meta table.

Nothing outside ``irdesk.casefile`` touches the connection; the case file's modules read
and write through ``query`` and ``execute``. Errors that are the environment's fault come
out as ``CaseFileError``s (see ``connection.translate``).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import sqlcipher3

from irdesk.casefile import schema
from irdesk.casefile.connection import connect, translate, translated_errors, uri
from irdesk.casefile.errors import CaseClosed, StorageError

Params = Sequence[Any] | dict[str, Any]
Hook = Callable[[], None]


class Database:
    """The connection, a re-entrant lock around it, and transactions that nest."""

    def __init__(self, conn: sqlcipher3.Connection, path: str) -> None:
        self._conn: sqlcipher3.Connection | None = conn
        self.path = path
        self._mutex = threading.RLock()
        self._depth = 0

    @property
    def closed(self) -> bool:
        return self._conn is None

    def close(self) -> None:
        with self._mutex:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def reconnect(self, key_literal: str, *, writable: bool) -> None:
        """Close and open the same file again (after a migration's backup copy)."""
        with self._mutex:
            self.close()
            self._conn = connect(self.path, key_literal, writable=writable)

    def _live(self) -> sqlcipher3.Connection:
        if self._conn is None:
            raise CaseClosed()
        return self._conn

    # ------------------------------------------------------------ reading
    def query(self, sql: str, params: Params = ()) -> list[tuple[Any, ...]]:
        with self._mutex, translated_errors(self.path):
            return self._live().execute(sql, params).fetchall()

    def scalar(self, sql: str, params: Params = ()) -> Any:
        rows = self.query(sql, params)
        return rows[0][0] if rows else None

    def meta(self, key: str) -> str | None:
        value = self.scalar("SELECT value FROM meta WHERE key = ?", (key,))
        return None if value is None else str(value)

    def schema_objects(self) -> frozenset[tuple[Any, ...]]:
        return frozenset(self.query(schema.MASTER_QUERY))

    # ------------------------------------------------------------ writing
    @property
    def in_transaction(self) -> bool:
        return self._depth > 0

    def execute(self, sql: str, params: Params = ()) -> sqlcipher3.Cursor:
        """Run one statement inside the current transaction (the caller holds one)."""
        assert self._depth > 0, "writes run inside transaction()"
        with translated_errors(self.path):
            return self._live().execute(sql, params)

    def set_meta(self, key: str, value: str) -> None:
        self.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    @contextlib.contextmanager
    def transaction(self, *, before_commit: Hook | None = None, on_rollback: Hook | None = None
                    ) -> Iterator[bool]:
        """One atomic, durable change; nested uses join the outermost one.

        Yields whether this is the outermost transaction. The hooks run only for the
        outermost: ``before_commit`` inside it, ``on_rollback`` after a rollback.
        """
        with self._mutex:
            conn = self._live()
            outermost = self._depth == 0
            if outermost:
                with translated_errors(self.path):
                    conn.execute("BEGIN IMMEDIATE")
            self._depth += 1
            try:
                yield outermost
                if outermost and before_commit is not None:
                    before_commit()
            except BaseException:
                self._depth -= 1
                if outermost:
                    self._rollback(conn, on_rollback)
                raise
            self._depth -= 1
            if outermost:
                try:
                    with translated_errors(self.path):
                        conn.execute("COMMIT")
                except BaseException:
                    self._rollback(conn, on_rollback)
                    raise

    @staticmethod
    def _rollback(conn: sqlcipher3.Connection, on_rollback: Hook | None) -> None:
        with contextlib.suppress(sqlcipher3.Error):
            conn.execute("ROLLBACK")
        if on_rollback is not None:
            on_rollback()

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[None]:
        """Read from one consistent state of the file; writers wait until it ends.

        Inside a transaction (or another snapshot) it joins it: that is one state already.
        """
        with self._mutex:
            conn = self._live()
            if conn.in_transaction:
                yield
                return
            with translated_errors(self.path):
                conn.execute("BEGIN")
            try:
                yield
            finally:
                with contextlib.suppress(sqlcipher3.Error):
                    conn.execute("COMMIT")

    # ------------------------------------------------------------ whole-file work
    def rekey(self, key_literal: str) -> None:
        """SQLCipher's journaled re-encryption in place."""
        with self._mutex, translated_errors(self.path):
            self._live().execute(f'PRAGMA rekey = "{key_literal}"')

    def backup_to(self, target: str, key_literal: str) -> None:
        """Copy the open database page by page into ``target`` (same key), through SQLite."""
        with self._mutex, translated_errors(self.path):
            dest = connect(target, key_literal, writable=True, create=True)
            try:
                self._live().backup(dest)
            finally:
                dest.close()

    def export_to(self, target: str, key_literal: str) -> None:
        """Copy every table into a new file under another key (``sqlcipher_export``).

        The open connection ATTACHes ``target``, so no second descriptor is ever opened on
        this file (see DESIGN.md on POSIX locks). ``user_version`` and ``application_id``,
        which the export drops, are copied by hand.
        """
        alias = "export_target"
        with self._mutex:
            conn = self._live()
            try:
                # A URI (the connection was opened with URIs on), so a path of any bytes works.
                conn.execute(f"ATTACH DATABASE ? AS {alias} KEY ?", (uri(target, "rwc"), key_literal))
            except sqlcipher3.Error as exc:
                raise StorageError(f"{target} cannot be created: {exc}.") from None
            try:
                conn.execute(f"PRAGMA {alias}.journal_mode = DELETE")
                conn.execute(f"PRAGMA {alias}.synchronous = FULL")
                conn.execute(f"SELECT sqlcipher_export('{alias}')")
                version = int(conn.execute("PRAGMA main.user_version").fetchone()[0])
                conn.execute(f"PRAGMA {alias}.user_version = {version}")
                app_id = int(conn.execute("PRAGMA main.application_id").fetchone()[0])
                conn.execute(f"PRAGMA {alias}.application_id = {app_id}")
            except sqlcipher3.Error as exc:
                raise _export_error(exc, target) from None
            finally:
                with contextlib.suppress(sqlcipher3.Error):
                    conn.execute(f"DETACH DATABASE {alias}")

    def integrity_problems(self) -> list[str]:
        """What SQLCipher's page check and SQLite's integrity check (FTS5's too) report."""
        problems = [f"SQLCipher: {p}" for (p,) in self.query("PRAGMA cipher_integrity_check")]
        rows = self.query("PRAGMA integrity_check")
        if rows != [("ok",)]:
            problems.extend(f"SQLite: {p}" for (p,) in rows[:10])
        return problems


# sqlcipher_export() reports a failed write to its target as SQLITE_ERROR carrying the text
# SQLite gives the real result code (sqlite3_errstr); these are those exact texts.
_EXPORT_CODES = {"database or disk is full": sqlcipher3.SQLITE_FULL, "disk I/O error": sqlcipher3.SQLITE_IOERR}


def _export_error(exc: sqlcipher3.Error, target: str) -> StorageError:
    code = _EXPORT_CODES.get(str(exc))
    if code is not None:
        exc.sqlite_errorcode = code
    known = translate(exc, target)
    return known if isinstance(known, StorageError) else StorageError(f"{target} could not be written: {exc}.")
