"""The full-text index against the notes: is it the index of exactly these notes?

No hash covers the FTS5 tables (they are derived), so a page spliced in from an older copy
could make ``search`` miss a note that exists. Since format 3 the index holds every row of
``notes`` (tombstones too; ``search`` leaves them out), so FTS5's own ``integrity-check``
with a non-zero rank compares it with the notes exactly. That command needs a writable
connection: a writer runs it on open and rebuilds a disagreeing index; ``check``, which
never writes, builds a fresh index of the notes in the connection's in-memory temporary
schema and compares the two term by term and note by note.
"""

from __future__ import annotations

import contextlib

from irdesk.casefile.database import Database
from irdesk.casefile.errors import CaseFileError

TOKENIZE = "unicode61 remove_diacritics 2"
_SECURE_DELETE = ("secure-delete", 1)


def _secure_delete_on(db: Database) -> bool:
    return bool(db.query("SELECT 1 FROM notes_fts_config WHERE k = ? AND v = ?", _SECURE_DELETE))


def agrees(db: Database) -> bool:
    """FTS5's exact check of the index against the notes (needs a writable connection)."""
    try:
        with db.transaction():
            db.execute("INSERT INTO notes_fts (notes_fts, rank) VALUES ('integrity-check', 1)")
    except CaseFileError:  # SQLITE_CORRUPT_VTAB: the index is not the index of these notes
        return False
    return _secure_delete_on(db)


def rebuild(db: Database) -> None:
    """Index every note again (inside the caller's transaction)."""
    db.execute("INSERT INTO notes_fts (notes_fts) VALUES ('rebuild')")
    db.execute("INSERT INTO notes_fts (notes_fts, rank) VALUES ('secure-delete', 1)")


_FRESH = "irdesk_fresh"
_VOCABS = {"main": ("main", "notes_fts"), "fresh": ("temp", _FRESH)}


def compare(db: Database) -> str:
    """How the index disagrees with the notes, in one sentence, or "" (read-only)."""
    try:
        return _compare(db)
    except CaseFileError:
        return "The search index is damaged."
    finally:
        for name in ("irdesk_vocab_main", "irdesk_vocab_fresh", _FRESH):
            with contextlib.suppress(CaseFileError):
                db.query(f"DROP TABLE IF EXISTS temp.{name}")


def _compare(db: Database) -> str:
    if not _secure_delete_on(db):
        return "The search index has lost its secure-delete setting."
    db.query(f"CREATE VIRTUAL TABLE temp.{_FRESH} USING fts5 (body, tokenize='{TOKENIZE}')")
    db.query(f"INSERT INTO temp.{_FRESH} (rowid, body) SELECT seq, body FROM main.notes")
    for name, (schema, table) in _VOCABS.items():
        db.query(f"CREATE VIRTUAL TABLE temp.irdesk_vocab_{name} USING fts5vocab ({schema}, {table}, row)")
    terms = "SELECT term, doc, cnt FROM temp.irdesk_vocab_{0} EXCEPT SELECT term, doc, cnt FROM temp.irdesk_vocab_{1}"
    sizes = "SELECT id, sz FROM {0}_docsize EXCEPT SELECT id, sz FROM {1}_docsize"
    mismatched = (
        db.scalar(f"SELECT count(*) FROM ({terms.format('main', 'fresh')})")
        or db.scalar(f"SELECT count(*) FROM ({terms.format('fresh', 'main')})")
        or db.scalar(f"SELECT count(*) FROM ({sizes.format('main.notes_fts', 'temp.' + _FRESH)})")
        or db.scalar(f"SELECT count(*) FROM ({sizes.format('temp.' + _FRESH, 'main.notes_fts')})")
    )
    if mismatched:
        return ("The search index does not match the notes (search could miss notes or find the wrong "
                "ones); it is rebuilt the next time the case is opened for writing.")
    return ""
