"""Streaming a whole case out as canonical JSON, verified against the audit chain as it goes.

Stored values are already in canonical form, so a row becomes its record's canonical JSON
without building record objects; its SHA-256 must equal the hash the chain last committed
to for that record, or the stream stops with ``TamperedCase``. Exports, hand-offs and
reports read through here, so they never carry a tampered record out of the file.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from irdesk.casefile import audit, codec, schema
from irdesk.casefile.errors import TamperedCase
from irdesk.casefile.store import CaseFile
from irdesk.domain.canonical import canonical_json, field_types, per_record_type
from irdesk.domain.records import BY_KIND, Record


@dataclass
class ChainIndex:
    """What the chain says each record should be: the latest hash, and every hash it ever had."""

    latest: dict[tuple[str, str], str] = field(default_factory=dict)
    ever: set[tuple[str, str, str]] = field(default_factory=set)


def chain_index(case: CaseFile) -> ChainIndex:
    """Index the record hashes the chain committed to, to check records against as they stream.

    The links of the chain themselves are ``irdesk check``'s work; opening a case already
    verified the tail.
    """
    index = ChainIndex()
    last = 0
    while True:
        rows = case._query(
            "SELECT seq, entity, entity_id, record_hash FROM audit WHERE seq > ? ORDER BY seq LIMIT 20000", (last,)
        )
        if not rows:
            return index
        for _seq, entity, entity_id, record_hash in rows:
            if entity in BY_KIND:
                index.latest[(entity, entity_id)] = record_hash
                index.ever.add((entity, entity_id, record_hash))
        last = rows[-1][0]


def audit_json_rows(case: CaseFile, batch: int = 20000) -> Iterator[str]:
    """The audit chain in order, each entry as a JSON array of ``audit.COLUMNS``.

    SQLite's own JSON encoder builds the arrays: no hash depends on these bytes.
    """
    last = 0
    while True:
        rows = case._query(
            f"SELECT seq, json_array({', '.join(audit.COLUMNS)}) FROM audit WHERE seq > ? ORDER BY seq LIMIT ?",
            (last, batch),
        )
        if not rows:
            return
        for _seq, text in rows:
            yield text
        last = rows[-1][0]


@per_record_type
def _fixups(cls: type[Record]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    hints = field_types(cls)
    flags = tuple(n for n, h in hints.items() if h is bool)
    lists = tuple(n for n, h in hints.items() if getattr(h, "__origin__", None) is tuple)
    return flags, lists


def canonical_records(
    case: CaseFile, cls: type[Record], index: ChainIndex, batch: int = 5000
) -> Iterator[bytes]:
    """Each record of ``cls`` (tombstones included) as its canonical JSON bytes, chain-verified."""
    cols = codec.columns(cls)
    flags, lists = _fixups(cls)
    table = schema.TABLES[cls.KIND]
    select = ", ".join(cols)
    last = 0
    while True:
        rows = case._query(f"SELECT seq, {select} FROM {table} WHERE seq > ? ORDER BY seq LIMIT ?", (last, batch))
        if not rows:
            return
        for row in rows:
            data = dict(zip(cols, row[1:], strict=True))
            data["type"] = cls.KIND
            for name in flags:
                data[name] = bool(data[name])
            for name in lists:
                data[name] = [] if data[name] == "[]" else json.loads(data[name])
            text = canonical_json(data)
            expected = index.latest.get((cls.KIND, data["id"]))
            if expected != hashlib.sha256(text).hexdigest():
                raise TamperedCase(
                    f"The {cls.KIND} {data['id']} differs from its audited version; run `irdesk check`."
                )
            yield text
        last = rows[-1][0]


def canonical_revisions(case: CaseFile, index: ChainIndex) -> Iterator[tuple[str, bool, str]]:  # noqa: E501
    """(superseded, conflict, canonical JSON) of every kept revision, each one once audited."""
    last = 0
    while True:
        rows = case._query(
            "SELECT seq, kind, record_id, superseded, conflict, json FROM revisions WHERE seq > ? "
            "ORDER BY seq LIMIT 5000", (last,))
        if not rows:
            return
        for _seq, kind, record_id, superseded, conflict, text in rows:
            digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
            if (kind, record_id, digest) not in index.ever:
                raise TamperedCase(f"A kept revision of the {kind} {record_id} was never audited.")
            yield superseded, bool(conflict), text
        last = rows[-1][0]
