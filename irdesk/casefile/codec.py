"""Records to table rows and back, column for field, using the canonical value encoding."""

from __future__ import annotations

import functools
import json
from typing import Any, TypeVar

from irdesk.domain.canonical import decode_value, encode_value, field_types
from irdesk.domain.records import Note, Record

R = TypeVar("R", bound=Record)


@functools.cache
def columns(cls: type[Record]) -> tuple[str, ...]:
    """The columns that hold the record's fields, in field order."""
    return tuple(field_types(cls))


def to_row(record: Record) -> dict[str, Any]:
    """Column values for a record; notes also get their UTC sort key."""
    row: dict[str, Any] = {}
    for name, hint in field_types(type(record)).items():
        value = getattr(record, name)
        if isinstance(value, bool):
            row[name] = int(value)
        elif isinstance(value, tuple):
            row[name] = json.dumps(list(value), ensure_ascii=False)
        else:
            row[name] = encode_value(value)
    if isinstance(record, Note):
        row["occurred_utc"] = utc_key(record)
    return row


def utc_key(note: Note) -> str:
    """A text that sorts in UTC order: 2026-11-28T01:35:00.000000Z."""
    return note.occurred.utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def from_row(cls: type[R], row: tuple[Any, ...]) -> R:
    """Rebuild a record from a row selected as ``columns(cls)``."""
    values: dict[str, Any] = {}
    for (name, hint), value in zip(field_types(cls).items(), row, strict=True):
        if hint is bool:
            values[name] = bool(value)
        elif getattr(hint, "__origin__", None) is tuple:
            values[name] = tuple(json.loads(value))
        else:
            values[name] = decode_value(hint, value, name)
    return cls(**values)
