"""The complete JSON export of a case (schema in docs/JSON.md), streamed record by record."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import IO

from irdesk import __version__
from irdesk.casefile.store import CaseFile
from irdesk.domain.canonical import to_dict
from irdesk.domain.records import RECORD_TYPES, Attachment

FORMAT_NAME = "irdesk-case-export"
FORMAT_VERSION = 1


def _dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def write_json(case: CaseFile, out: IO[str], progress: Callable[[int], None] | None = None) -> int:
    """Write the whole case as one JSON document; returns the number of records written."""
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
    out.write("{\n")
    for key, value in header.items():
        out.write(f"{_dump(key)}: {_dump(value)},\n")
    written = 0
    out.write('"records": [')
    first = True
    for cls in RECORD_TYPES:
        for record in case.iter_all(cls):
            out.write(("\n" if first else ",\n") + _dump(to_dict(record)))
            first = False
            written += 1
            if progress and written % 5000 == 0:
                progress(written)
    out.write('\n],\n"revisions": [')
    first = True
    for cls in RECORD_TYPES:
        for revision in case.all_revisions(cls):
            item = {"superseded": revision.superseded.isoformat(), "conflict": revision.conflict,
                    "record": to_dict(revision.record)}
            out.write(("\n" if first else ",\n") + _dump(item))
            first = False
    out.write('\n],\n"attachments": {')
    first = True
    for attachment in case.all(Attachment, include_deleted=True):
        data = base64.b64encode(case.attachment_bytes(attachment.id)).decode("ascii")
        out.write(("\n" if first else ",\n") + f"{_dump(attachment.id)}: {_dump(data)}")
        first = False
    out.write('\n},\n"audit": [')
    first = True
    for entry in case.audit_entries():
        out.write(("\n" if first else ",\n") + _dump(entry.__dict__))
        first = False
    out.write("\n]\n}\n")
    return written
