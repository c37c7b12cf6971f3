"""The rows as they lie in the file, before anything vouches for them.

Only the verified reader (``reader.py``), ``check`` and ``salvage`` read them: everything
else reads records through ``CaseFile.records``, which compares each row with the audit
chain first. Stored values are already in canonical form, so ``canonical_row`` turns a row
into its record's canonical JSON (the bytes the chain hashes) without building a record.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from irdesk.casefile import codec, schema
from irdesk.casefile.database import Database
from irdesk.domain.canonical import canonical_json, field_types, per_record_type
from irdesk.domain.records import Note, Record

Row = tuple[Any, ...]


@per_record_type
def stored_columns(cls: type[Record]) -> tuple[str, ...]:
    """The columns read for a record: its fields, then (notes) the derived UTC sort key."""
    return codec.columns(cls) + (("occurred_utc",) if cls is Note else ())


@per_record_type
def _fixups(cls: type[Record]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    hints = field_types(cls)
    flags = tuple(n for n, h in hints.items() if h is bool)
    lists = tuple(n for n, h in hints.items() if getattr(h, "__origin__", None) is tuple)
    return flags, lists


def canonical_row(cls: type[Record], row: Row) -> bytes:
    """The canonical JSON of the record a stored row holds (``stored_columns`` order).

    Raises:
        ValueError: a value cannot be part of a record at all (the row was altered).
    """
    cols = codec.columns(cls)
    data = dict(zip(cols, row[: len(cols)], strict=True))
    data["type"] = cls.KIND
    flags, lists = _fixups(cls)
    for name in flags:
        data[name] = bool(data[name])
    for name in lists:
        data[name] = [] if data[name] == "[]" else json.loads(data[name])
    try:
        return canonical_json(data)
    except TypeError as exc:  # orjson: a lone surrogate, a number beyond 64 bits
        raise ValueError(str(exc)) from None


def row_digest(cls: type[Record], row: Row) -> bytes:
    """SHA-256 of the row's canonical JSON; b"" when the row cannot hold a record."""
    try:
        return hashlib.sha256(canonical_row(cls, row)).digest()
    except (ValueError, RecursionError):
        return b""


def utc_key_of(text: Any) -> str:
    """The UTC sort key a stored ``occurred`` time must have (``codec.utc_key``), or ""."""
    try:
        return datetime.fromisoformat(text).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    except (TypeError, ValueError, OverflowError):
        return ""


@dataclass(frozen=True)
class RevisionRow:
    """A kept revision as stored: ``json`` is its canonical JSON, the rest is bookkeeping."""

    kind: str
    record_id: str
    rev: str
    superseded: str
    conflict: Any  # 0 or 1 in any file irdesk wrote
    json: str


_REVISION_COLUMNS = "kind, record_id, rev, superseded, conflict, json"


class StoredRows:
    """Unverified access to the record tables and kept revisions of one open file."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def select(self, cls: type[Record], where: str = "", params: Sequence[Any] = (), order: str = "seq",
               prefix: str = "") -> list[Row]:
        """Rows of a kind (``where`` and ``order`` are fixed SQL from this package)."""
        cols = ", ".join(f"{prefix}{c}" for c in stored_columns(cls))
        alias = f" {prefix[:-1]}" if prefix else ""
        sql = f"SELECT {cols} FROM {schema.TABLES[cls.KIND]}{alias}"
        if where:
            sql += f" WHERE {where}"
        return self._db.query(f"{sql} ORDER BY {order}", params)

    def scan(self, cls: type[Record], batch: int = 2000) -> Iterator[Row]:
        """Every row of a kind, tombstones included, in ``seq`` order, fetched in batches."""
        cols = ", ".join(stored_columns(cls))
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

    def by_ids(self, cls: type[Record], record_ids: Sequence[str], batch: int = 500) -> Iterator[Row]:
        cols = ", ".join(stored_columns(cls))
        for start in range(0, len(record_ids), batch):
            chunk = list(record_ids[start : start + batch])
            marks = ", ".join("?" * len(chunk))
            yield from self._db.query(
                f"SELECT {cols} FROM {schema.TABLES[cls.KIND]} WHERE id IN ({marks})", chunk)

    def count(self, cls: type[Record], where: str = "deleted = 0") -> int:
        return int(self._db.scalar(f"SELECT count(*) FROM {schema.TABLES[cls.KIND]} WHERE {where}"))

    def current_revs(self, cls: type[Record]) -> dict[str, str]:
        """Every id of a kind (tombstones included) with its current revision, in seq order."""
        return dict(self._db.query(f"SELECT id, rev FROM {schema.TABLES[cls.KIND]} ORDER BY seq"))

    def attachment_content(self, attachment_id: str) -> bytes | None:
        data = self._db.scalar("SELECT content FROM attachments WHERE id = ?", (attachment_id,))
        return None if data is None else bytes(data)

    # ------------------------------------------------------------ kept revisions
    def revisions(self, where: str = "", params: Sequence[Any] = ()) -> list[RevisionRow]:
        sql = f"SELECT {_REVISION_COLUMNS} FROM revisions"
        if where:
            sql += f" WHERE {where}"
        return [RevisionRow(*row) for row in self._db.query(sql + " ORDER BY seq", params)]

    def scan_revisions(self, batch: int = 5000) -> Iterator[RevisionRow]:
        last = 0
        while True:
            rows = self._db.query(
                f"SELECT seq, {_REVISION_COLUMNS} FROM revisions WHERE seq > ? ORDER BY seq LIMIT ?",
                (last, batch))
            if not rows:
                return
            for row in rows:
                yield RevisionRow(*row[1:])
            last = rows[-1][0]

    def revision_revs(self, kind: str, record_id: str | None = None) -> list[tuple[str, str]]:
        """(record id, revision id) of the kept revisions of a kind (or of one record)."""
        if record_id is None:
            return self._db.query("SELECT record_id, rev FROM revisions WHERE kind = ?", (kind,))
        return self._db.query("SELECT record_id, rev FROM revisions WHERE kind = ? AND record_id = ?",
                              (kind, record_id))
