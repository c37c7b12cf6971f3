"""Records, revisions and audit entries as JSON text built by SQLite itself, for fast exports.

Each row becomes the same JSON object ``to_dict`` gives (keys sorted), because rows hold the
canonical encoding already: SQLite only has to quote them. A 20,000-note case exports at
close to the speed of reading it, which Python-side encoding cannot reach.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from irdesk.casefile import audit, schema
from irdesk.casefile.store import CaseFile
from irdesk.domain.canonical import field_types
from irdesk.domain.records import BY_KIND, Record

BATCH = 2000


def _value_sql(column: str, hint: object) -> str:
    if hint is bool:
        return f"json(CASE WHEN {column} THEN 'true' ELSE 'false' END)"
    if getattr(hint, "__origin__", None) is tuple:
        return f"json({column})"
    return column


@functools.cache
def _record_sql(kind: str) -> str:
    cls = BY_KIND[kind]
    pairs = [("type", f"'{cls.KIND}'")]
    pairs += [(name, _value_sql(name, hint)) for name, hint in field_types(cls).items()]
    args = ", ".join(f"'{key}', {value}" for key, value in sorted(pairs))
    return f"SELECT seq, json_object({args}) FROM {schema.TABLES[cls.KIND]} WHERE seq > ? " \
           "ORDER BY seq LIMIT ?"


def record_json(case: CaseFile, cls: type[Record]) -> Iterator[str]:
    """Every record of a kind (tombstones too) in ``seq`` order, as JSON object text."""
    yield from _batched(case, _record_sql(cls.KIND))


def revision_json(case: CaseFile, cls: type[Record]) -> Iterator[str]:
    """Every kept revision of a kind, oldest first: {conflict, record, superseded}."""
    sql = ("SELECT seq, json_object('conflict', json(CASE WHEN conflict THEN 'true' ELSE 'false' "
           "END), 'record', json(json), 'superseded', superseded) FROM revisions "
           f"WHERE kind = '{cls.KIND}' AND seq > ? ORDER BY seq LIMIT ?")
    yield from _batched(case, sql)


def audit_json(case: CaseFile) -> Iterator[str]:
    """The audit chain in order, each entry as JSON object text."""
    args = ", ".join(f"'{c}', {c}" for c in sorted(audit.COLUMNS))
    yield from _batched(case, f"SELECT seq, json_object({args}) FROM audit WHERE seq > ? "
                              "ORDER BY seq LIMIT ?")


def _batched(case: CaseFile, sql: str) -> Iterator[str]:
    last = 0
    while True:
        rows = case._query(sql, (last, BATCH))
        if not rows:
            return
        for _seq, text in rows:
            yield text
        last = rows[-1][0]
