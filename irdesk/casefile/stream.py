"""Streaming a whole case out as canonical JSON, verified against the audit chain as it goes.

Stored values are already in canonical form, so a row becomes its record's canonical JSON
without building record objects; its SHA-256 must equal the hash the chain last committed
to for that record, or the stream stops with ``TamperedCase``. Exports and reports read
through here, so they never carry a tampered record out of the file.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator

from irdesk.casefile import codec
from irdesk.casefile.chain import ChainIndex
from irdesk.casefile.errors import TamperedCase
from irdesk.casefile.store import CaseFile
from irdesk.domain.canonical import canonical_json, field_types, omit_defaults, per_record_type
from irdesk.domain.records import Record


@per_record_type
def _fixups(cls: type[Record]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    hints = field_types(cls)
    flags = tuple(n for n, h in hints.items() if h is bool)
    lists = tuple(n for n, h in hints.items() if getattr(h, "__origin__", None) is tuple)
    return flags, lists


def canonical_records(case: CaseFile, cls: type[Record], index: ChainIndex, batch: int = 5000) -> Iterator[bytes]:
    """Each record of ``cls`` (tombstones included) as its canonical JSON bytes, chain-verified."""
    cols = codec.columns(cls)
    flags, lists = _fixups(cls)
    for row in case.records.rows(cls, batch):
        data = dict(zip(cols, row, strict=True))
        data["type"] = cls.KIND
        for name in flags:
            data[name] = bool(data[name])
        for name in lists:
            data[name] = [] if data[name] == "[]" else json.loads(data[name])
        text = canonical_json(omit_defaults(cls, data))  # as ``to_dict`` does: the same hash
        expected = index.latest.get((cls.KIND, data["id"]))
        if expected != hashlib.sha256(text).hexdigest():
            raise TamperedCase(f"The {cls.KIND} {data['id']} differs from its audited version; run `irdesk check`.")
        yield text


def canonical_revisions(case: CaseFile, index: ChainIndex) -> Iterator[tuple[str, bool, str]]:
    """(superseded, conflict, canonical JSON) of every kept revision, each one once audited."""
    for kind, record_id, superseded, conflict, text in case.records.revision_rows():
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if (kind, record_id, digest) not in index.ever:
            raise TamperedCase(f"A kept revision of the {kind} {record_id} was never audited.")
        yield superseded, conflict, text
