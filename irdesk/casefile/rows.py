"""The rows as they lie in the file, before anything vouches for them.

Only the verified reader (``reader.py``), the JSON stream it vouches for (``stream.py``) and
``salvage`` read them: everything else reads records through ``CaseFile.records``, which
compares each row with the audit chain first. Stored values are already in canonical form,
so ``canonical_row`` turns a row into its record's canonical JSON (the bytes the chain
hashes) without building a record.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from irdesk.casefile import codec
from irdesk.casefile.database import Database
from irdesk.domain.canonical import canonical_json, field_types, omitted_defaults, per_record_type
from irdesk.domain.records import Note, Record

Row = tuple[Any, ...]


# A note's UTC sort key is derived, not hashed: SQLite checks it names the same instant as
# "occurred" (to the millisecond: all a forger could shift is the order of two notes within it).
_NOTE_KEY_HOLDS = "coalesce(abs(julianday({0}occurred) - julianday({0}occurred_utc)) * 86400000.0 < 0.5, 0)"


def select_list(cls: type[Record], prefix: str = "") -> str:
    """What to select for a record: its fields' columns, then (notes) whether the sort key holds (1)."""
    columns = [f"{prefix}{c}" for c in codec.columns(cls)]
    if cls is Note:
        columns.append(_NOTE_KEY_HOLDS.format(prefix))
    return ", ".join(columns)


Encoder = Callable[[Row], bytes]


@per_record_type
def _encoder(cls: type[Record]) -> Encoder:
    """``canonical_row`` for one record type, with its columns and fix-ups worked out once
    (it runs for every row of every whole-case pass)."""
    hints = field_types(cls)
    cols = codec.columns(cls)
    width, kind = len(cols), cls.KIND.value
    flags = tuple(n for n, h in hints.items() if h is bool)
    lists = tuple(n for n, h in hints.items() if getattr(h, "__origin__", None) is tuple)

    omitted = omitted_defaults(cls)  # fields of a later format: left out while at their default
    loads, dumps = orjson.loads, canonical_json

    def encode(row: Row) -> bytes:
        data = dict(zip(cols, row[:width], strict=True))
        data["type"] = kind
        for name in flags:
            data[name] = bool(data[name])
        for name in lists:
            data[name] = [] if data[name] == "[]" else loads(data[name])
        for name, default in omitted:  # as ``omit_defaults`` does (inlined: it runs per row)
            value = data.get(name, default)
            if type(value) is type(default) and value == default:
                data.pop(name, None)
        try:
            return dumps(data)  # as ``to_dict`` does: the same hash
        except TypeError as exc:  # orjson: a lone surrogate, a number beyond 64 bits
            raise ValueError(str(exc)) from None

    return encode


def canonical_row(cls: type[Record], row: Row) -> bytes:
    """The canonical JSON of the record a stored row holds (``select_list`` order).

    Raises:
        ValueError: a value cannot be part of a record at all (the row was altered).
    """
    return _encoder(cls)(row)


def row_digest(cls: type[Record], row: Row) -> bytes:
    """SHA-256 of the row's canonical JSON; b"" when the row cannot hold a record."""
    try:
        return hashlib.sha256(canonical_row(cls, row)).digest()
    except (ValueError, RecursionError):
        return b""


def sort_key_holds(cls: type[Record], row: Row) -> bool:
    """A note row's derived UTC sort key names its ``occurred`` instant (other rows: True)."""
    return cls is not Note or row[-1] == 1


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

    def __init__(self, db: Database, tables: Mapping[str, str]) -> None:
        self._db = db
        self._tables = tables  # record kind -> table, for the file's kind

    def select(self, cls: type[Record], where: str = "", params: Sequence[Any] = (), order: str = "seq",
               prefix: str = "") -> list[Row]:
        """Rows of a kind (``where`` and ``order`` are fixed SQL from this package)."""
        cols = select_list(cls, prefix)
        alias = f" {prefix[:-1]}" if prefix else ""
        sql = f"SELECT {cols} FROM {self._tables[cls.KIND]}{alias}"
        if where:
            sql += f" WHERE {where}"
        return self._db.query(f"{sql} ORDER BY {order}", params)

    def scan(self, cls: type[Record], batch: int = 2000) -> Iterator[Row]:
        """Every row of a kind, tombstones included, in ``seq`` order, fetched in batches."""
        cols = select_list(cls)
        table = self._tables[cls.KIND]
        last = 0
        while True:
            rows = self._db.query(
                f"SELECT seq, {cols} FROM {table} WHERE seq > ? ORDER BY seq LIMIT ?", (last, batch))
            if not rows:
                return
            for row in rows:
                yield row[1:]
            last = rows[-1][0]

    def in_time_order(self, cls: type[Record]) -> list[Row]:
        """Every note row, tombstones included, in the notes' time order (``occurred``, then
        entry order), in one query: for a pass that keeps the rows it checks."""
        return self._db.query(f"SELECT {select_list(cls)} FROM {self._tables[cls.KIND]} "
                              "ORDER BY occurred_utc, seq")

    def by_ids(self, cls: type[Record], record_ids: Sequence[str], batch: int = 500) -> Iterator[Row]:
        cols = select_list(cls)
        for start in range(0, len(record_ids), batch):
            chunk = list(record_ids[start : start + batch])
            marks = ", ".join("?" * len(chunk))
            yield from self._db.query(
                f"SELECT {cols} FROM {self._tables[cls.KIND]} WHERE id IN ({marks})", chunk)

    def count(self, cls: type[Record], where: str = "deleted = 0") -> int:
        return int(self._db.scalar(f"SELECT count(*) FROM {self._tables[cls.KIND]} WHERE {where}"))

    def current_revs(self, cls: type[Record]) -> dict[str, str]:
        """Every id of a kind (tombstones included) with its current revision, in seq order."""
        return dict(self._db.query(f"SELECT id, rev FROM {self._tables[cls.KIND]} ORDER BY seq"))

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
