"""Streaming a whole case out as canonical JSON, verified against the audit chain as it goes.

Stored values are already in canonical form, so a row becomes its record's canonical JSON
without building record objects (``rows.canonical_row``); the verified reader must vouch
for the row, or the stream stops with ``TamperedCase``. Once a kind is streamed, every
record the chain names must have come by; once the kept revisions are, every earlier
version the chain names. The JSON export writes these very bytes, so this one pass is
both its read and its check.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from irdesk.casefile.reader import refusal
from irdesk.casefile.rows import StoredRows, canonical_row
from irdesk.casefile.store import CaseFile
from irdesk.domain.records import Record


def canonical_records(case: CaseFile, cls: type[Record], batch: int = 5000) -> Iterator[bytes]:
    """Each record of ``cls`` (tombstones included) as its canonical JSON bytes, chain-verified."""
    reader = case.records
    seen: set[str] = set()
    for row in StoredRows(case.db, case.KIND.schema.tables).scan(cls, batch):
        try:
            text = canonical_row(cls, row)
        except (ValueError, RecursionError):
            text = b""
        digest = hashlib.sha256(text).digest() if text else b""
        fault = reader.fault(cls, row, digest) or (
            f"The {cls.KIND} {row[0]} is stored twice." if row[0] in seen else "")
        if fault:
            raise refusal(fault)
        seen.add(row[0])
        yield text
    missing = case.chain.index().ids(cls.KIND) - seen
    if missing:
        raise refusal(f"The {cls.KIND} {min(missing)} is in the audit chain but missing from the file.")


def canonical_revisions(case: CaseFile) -> Iterator[tuple[str, bool, str]]:
    """(superseded, conflict, canonical JSON) of every kept revision, each one vouched for."""
    reader, index = case.records, case.chain.index()
    kept: dict[tuple[str, str], set[bytes]] = {}
    for row in StoredRows(case.db, case.KIND.schema.tables).scan_revisions():
        problem, revision = reader.checked_revision(row)
        if revision is None:
            raise refusal(problem)
        kept.setdefault((row.kind, row.record_id), set()).add(hashlib.sha256(row.json.encode("utf-8")).digest())
        yield row.superseded, bool(row.conflict), row.json
    for key in set(kept) | set(index.edited()):
        if kept.get(key, set()) != index.earlier(*key):
            raise refusal(f"Earlier versions of the {key[0]} {key[1]} are missing or extra.")
