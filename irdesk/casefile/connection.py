"""Opening the SQLCipher database: file sanity, key, pragmas, and error translation."""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator

import sqlcipher3

from irdesk.casefile.errors import (
    CaseFileError,
    CaseInUse,
    CorruptCase,
    DiskFull,
    NoCaseFile,
    NotACaseFile,
    NotAllowed,
    StorageError,
    WrongPassphrase,
)
from irdesk.casefile.kdf import SALT_SIZE

PAGE_SIZE = 4096

# Applied to every connection; see DESIGN.md and docs/FORMAT.md.
PRAGMAS = (
    "PRAGMA synchronous = FULL",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA secure_delete = ON",
    "PRAGMA trusted_schema = OFF",
    "PRAGMA cell_size_check = ON",
    "PRAGMA mmap_size = 0",
    "PRAGMA foreign_keys = OFF",
    "PRAGMA busy_timeout = 5000",
)


SQLITE_HEADER = b"SQLite format 3\x00"  # a plain, unencrypted SQLite database starts so


def read_salt(path: str) -> bytes:
    """Check the file looks like a case file and return its salt (its first 16 bytes).

    Called before SQLite connects, never while it has the file open.
    """
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        raise NoCaseFile(f"There is no case file at {path}.") from None
    except ValueError:  # a NUL in the name (only a program, never a command line, can pass one)
        raise NoCaseFile("The case file's name is not a valid file name.") from None
    except OSError as exc:
        raise CaseFileError(f"{path} cannot be read: {exc.strerror}.") from None
    if stat.S_ISDIR(st.st_mode):
        raise NoCaseFile(f"{path} is a folder, not a case file.")
    problem = _size_problem(st.st_size)
    if problem:
        raise NotACaseFile(f"{path} {problem}")
    try:
        with open(path, "rb") as handle:
            salt = handle.read(SALT_SIZE)
    except OSError as exc:
        raise CaseFileError(f"{path} cannot be read: {exc.strerror}.") from None
    problem = _header_problem(salt)
    if problem:
        raise NotACaseFile(f"{path} {problem}")
    return salt


def looks_like_case(path: str) -> bool:
    """Whether ``path`` passes the checks ``read_salt`` makes: a file that may be a case or a
    book, and so must never be written over (it may also be a book or a hand-off copy)."""
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode) or _size_problem(st.st_size):
            return False
        with open(path, "rb") as handle:
            return not _header_problem(handle.read(SALT_SIZE))
    except OSError:
        return False


def _size_problem(size: int) -> str:
    if size == 0:
        return "is empty: it is not a case file."
    if size % PAGE_SIZE:
        return ("is not a whole number of pages: it is truncated, has bytes appended, "
                "or is not a case file.")
    return ""


def _header_problem(salt: bytes) -> str:
    if salt == bytes(SALT_SIZE):
        return "starts with zero bytes: it is not a case file."
    if salt == SQLITE_HEADER:
        return "is a plain SQLite database, not an encrypted case file."
    return ""


def connect(path: str, key_literal: str, *, writable: bool, create: bool = False) -> sqlcipher3.Connection:
    """Connect, apply the key and pragmas, and prove the key opens the first page."""
    mode = "rwc" if create else ("rw" if writable else "ro")
    try:
        conn = sqlcipher3.connect(uri(path, mode), uri=True, isolation_level=None, check_same_thread=False)
    except sqlcipher3.Error as exc:
        raise CaseFileError(f"{path} cannot be opened: {exc}.") from None
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f'PRAGMA key = "{key_literal}"')
        try:
            # Page 1 decrypts: the key is right. Reading the schema may reach further pages.
            conn.execute("PRAGMA user_version").fetchone()
        except sqlcipher3.DatabaseError as exc:
            # SQLCipher reports a page 1 it cannot decrypt as "not a database": a wrong key or a
            # damaged first page, which cannot be told apart. "Malformed" means page 1 was
            # fine and a later page is missing or damaged (a file cut short by whole pages).
            if (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF == sqlcipher3.SQLITE_CORRUPT:
                raise CorruptCase(f"{path} is damaged: it is truncated or a page after the first is "
                                  "corrupt.") from None
            raise WrongPassphrase() from None
        with translated_errors(path):
            for pragma in PRAGMAS:
                conn.execute(pragma)
            journal = "PRAGMA journal_mode = DELETE" if writable else "PRAGMA journal_mode"
            mode_now = conn.execute(journal).fetchone()[0]
        if str(mode_now).lower() != "delete":
            raise CorruptCase(f"{path} uses journal mode {mode_now}, which a case file never does.")
        return conn
    except BaseException:
        conn.close()
        raise


def uri(path: str, mode: str) -> str:
    """A ``file:`` URI for SQLite, for a path of any bytes (percent-encoded byte by byte, not as UTF-8)."""
    from urllib.parse import quote

    return "file:" + quote(os.fsencode(os.path.abspath(path))) + f"?mode={mode}"


@contextlib.contextmanager
def translated_errors(path: str) -> Iterator[None]:
    """Turn SQLite errors that are the environment's fault into CaseFileErrors."""
    try:
        yield
    except sqlcipher3.Error as exc:
        raise translate(exc, path) from None
    except UnicodeEncodeError:  # a value bound to a statement: text from a command line, not UTF-8
        raise NotAllowed("A value given is not valid UTF-8 text.") from None
    except OverflowError:  # a whole number beyond SQLite's 64 bits
        raise NotAllowed("A number given is too large for a case file.") from None


# Primary result codes (https://sqlite.org/rescode.html); extended codes carry them in the low byte.
_BUSY, _LOCKED, _NOMEM, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = (
    sqlcipher3.SQLITE_BUSY, sqlcipher3.SQLITE_LOCKED, sqlcipher3.SQLITE_NOMEM,
    sqlcipher3.SQLITE_READONLY, sqlcipher3.SQLITE_IOERR, sqlcipher3.SQLITE_CORRUPT,
    sqlcipher3.SQLITE_FULL, sqlcipher3.SQLITE_CANTOPEN, sqlcipher3.SQLITE_NOTADB,
)
_CONSTRAINT, _MISMATCH = sqlcipher3.SQLITE_CONSTRAINT, sqlcipher3.SQLITE_MISMATCH
_READONLY_RECOVERY = (_READONLY | (1 << 8), _READONLY | (3 << 8))  # RECOVERY, ROLLBACK


def translate(exc: sqlcipher3.Error, path: str) -> Exception:
    """Classify by SQLite's result code; an error not on the list is a bug (kept as it is)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if not isinstance(code, int):
        return exc
    primary = code & 0xFF
    if primary in (_BUSY, _LOCKED):
        return CaseInUse(path)
    if primary == _FULL:
        return DiskFull(f"The disk holding {path} is full; the last change was not saved.")
    if code in _READONLY_RECOVERY:
        return StorageError(f"{path} has an unfinished change from a crash; open it with a writing command first.")
    if primary == _READONLY:
        return StorageError(f"{path} is read-only; the change was not saved.")
    if primary == _IOERR:
        return StorageError(f"The disk reported an error while using {path}.")
    if primary == _CANTOPEN:
        return StorageError(f"{path} cannot be opened.")
    if primary == _NOMEM:
        return StorageError("The machine ran out of memory; the last change was not saved.")
    if primary in (_CORRUPT, _NOTADB):
        return CorruptCase(f"{path} is damaged: a page failed its integrity check.")
    if primary in (_CONSTRAINT, _MISMATCH):  # values our own writes never produce
        return CorruptCase(f"{path} is damaged or was altered: {exc}.")
    return exc  # a bug in irdesk: keep the traceback
