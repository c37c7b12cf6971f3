"""The complete JSON export of a case (schema in docs/JSON.md), streamed record by record.

Each record is written as its canonical JSON, the very bytes the audit chain hashes, so a
reader can verify any record against the ``audit`` array without irdesk.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from typing import IO

from irdesk import __version__
from irdesk.casefile.audit import COLUMNS as AUDIT_COLUMNS
from irdesk.casefile.store import CaseFile
from irdesk.casefile.stream import canonical_records, canonical_revisions
from irdesk.domain.records import RECORD_TYPES, Attachment

FORMAT_NAME = "irdesk-case-export"
# 2: records may hold fields of a later case-file format (contacts' ``notes``), each left out
# at its default as in the canonical JSON. A reader of version 1 would refuse such a field, so
# it is told the export is newer; irdesk reads 1 and 2 alike.
# 3: regime and notification records (case format 5); a reader of 1 or 2 refuses the export
# whole, saying it is newer, instead of stumbling on an unknown record type.
# 4: systems, and evidence linked to one (case format 6).
# 5: notes and indicators may hold ATT&CK technique ids (``attack``), and the case its VERIS
# classification (case format 7). irdesk reads every version up to this one.
FORMAT_VERSION = 5


def _dump(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8")


def _write_batched(out: IO[bytes], parts: Iterator[bytes], batch: int = 1000) -> None:
    """Write ``parts`` joined a thousand at a time: a few calls per section, not two per record."""
    pending: list[bytes] = []
    add = pending.append
    for part in parts:
        add(part)
        if len(pending) >= batch:
            out.write(b"".join(pending))
            pending.clear()
    if pending:
        out.write(b"".join(pending))


def write_json(case: CaseFile, out: IO[bytes], progress: Callable[[int], None] | None = None) -> int:
    """Write the whole case as one JSON document; returns the number of records written.

    Raises:
        TamperedCase: a record or revision does not match the audit chain.
    """
    header = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "exported_by": f"irdesk {__version__}",
        "exported_at": case.clock().isoformat(),
        "case_id": case.case_id,
        "chain_head": case.chain_head,
        "chain_length": case.chain_length,
        "fingerprint": case.fingerprint(),
    }
    out.write(b"{\n")
    for key, value in header.items():
        out.write(_dump(key) + b": " + _dump(value) + b",\n")
    written = 0

    def records() -> Iterator[bytes]:
        nonlocal written
        separator = b"\n"
        for cls in RECORD_TYPES:
            for text in canonical_records(case, cls):
                yield separator
                yield text
                separator = b",\n"
                written += 1
                if progress and written % 5000 == 0:
                    progress(written)

    def revisions() -> Iterator[bytes]:
        separator = b"\n"
        for superseded, conflict, revision in canonical_revisions(case):
            yield (separator + b'{"conflict":' + (b"true" if conflict else b"false") + b',"record":'
                   + revision.encode("utf-8") + b',"superseded":' + _dump(superseded) + b"}")
            separator = b",\n"

    def audit() -> Iterator[bytes]:
        separator = b"\n"
        for entry in case.chain.json_rows():
            yield separator
            yield entry.encode("utf-8")
            separator = b",\n"

    out.write(b'"records": [')
    _write_batched(out, records())
    out.write(b'\n],\n"revisions": [')
    _write_batched(out, revisions())
    out.write(b'\n],\n"attachments": {')
    separator = b"\n"
    for attachment in case.records.all(Attachment, include_deleted=True):
        data = base64.b64encode(case.attachment_bytes(attachment.id))
        out.write(separator + _dump(attachment.id) + b': "' + data + b'"')
        separator = b",\n"
    out.write(b'\n},\n"audit_columns": ' + _dump(list(AUDIT_COLUMNS)) + b',\n"audit": [')
    _write_batched(out, audit())
    out.write(b"\n]\n}\n")
    return written
