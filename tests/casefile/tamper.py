"""Helpers to build hostile case files: raw SQLCipher access, page surgery, content dumps."""

from __future__ import annotations

import sqlcipher3

from irdesk.casefile.check import check_case
from irdesk.casefile.errors import CaseFileError
from irdesk.casefile.store import CaseFile
from irdesk.domain.canonical import to_dict
from irdesk.domain.records import RECORD_TYPES

PAGE = 4096


def raw_connect(path: str, raw_key: str) -> sqlcipher3.Connection:
    conn = sqlcipher3.connect(path, isolation_level=None)
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f'PRAGMA key = "{raw_key}"')
    return conn


def pages(data: bytes) -> list[bytes]:
    return [data[i : i + PAGE] for i in range(0, len(data), PAGE)]


def dump(case: CaseFile) -> list[dict]:
    """Everything the case says, as plain data."""
    return [to_dict(r) for cls in RECORD_TYPES for r in case.records.iter_all(cls)]


def verdict(path: str, passphrase: str) -> tuple[str, list[dict] | None]:
    """'rejected' (typed error on open), 'flagged' (check found problems) or 'clean' + content."""
    try:
        case = CaseFile.open(path, passphrase, actor="t", writable=False)
    except CaseFileError as exc:
        return f"rejected:{type(exc).__name__}", None
    try:
        report = check_case(case)
        if not report.ok:
            return "flagged", None
        return "clean", dump(case)
    except CaseFileError as exc:
        return f"rejected:{type(exc).__name__}", None
    finally:
        case.close()
