"""The complete JSON export of a case (schema in docs/JSON.md), streamed record by record."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterable
from itertools import chain
from typing import IO

from irdesk import __version__
from irdesk.casefile.jsonrows import audit_json, record_json, revision_json
from irdesk.casefile.store import CaseFile
from irdesk.domain.records import RECORD_TYPES, Attachment

FORMAT_NAME = "irdesk-case-export"
FORMAT_VERSION = 1


def _dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _write_list(out: IO[str], items: Iterable[str],
                progress: Callable[[int], None] | None = None) -> int:
    """Write JSON texts as the items of a list already opened; returns how many."""
    count, pending = 0, []
    for text in items:
        pending.append(text)
        count += 1
        if count % 2000 == 0:  # fewer, larger writes
            out.write(("\n" if count == len(pending) else ",\n") + ",\n".join(pending))
            pending = []
            if progress:
                progress(count)
    if pending:
        out.write(("\n" if count == len(pending) else ",\n") + ",\n".join(pending))
    return count


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
    out.write('"records": [')
    written = _write_list(out, chain.from_iterable(record_json(case, c) for c in RECORD_TYPES),
                          progress)
    out.write('\n],\n"revisions": [')
    _write_list(out, chain.from_iterable(revision_json(case, c) for c in RECORD_TYPES))
    out.write('\n],\n"attachments": {')
    first = True
    for attachment in case.all(Attachment, include_deleted=True):
        data = base64.b64encode(case.attachment_bytes(attachment.id)).decode("ascii")
        out.write(("\n" if first else ",\n") + f"{_dump(attachment.id)}: {_dump(data)}")
        first = False
    out.write('\n},\n"audit": [')
    _write_list(out, audit_json(case))
    out.write("\n]\n}\n")
    return written

