"""Records to table rows and back, column for field, using the canonical value encoding.

Decoding is on every hot path (opening a 100k-note case, search results, exports), so
each record type gets a precompiled list of converters, and the stored values, already
in canonical form, are checked and converted without going through the generic decoder.
Rows may come from a colleague's file, so every value is still type-checked.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any, TypeVar, get_origin

from irdesk.casefile.errors import TamperedCase
from irdesk.domain.canonical import encode_value, field_types, per_record_type
from irdesk.domain.moment import Moment
from irdesk.domain.records import Note, Record

R = TypeVar("R", bound=Record)
Converter = Callable[[Any], Any]


@per_record_type
def columns(cls: type[Record]) -> tuple[str, ...]:
    """The columns that hold the record's fields, in field order."""
    return tuple(field_types(cls))


def to_row(record: Record) -> dict[str, Any]:
    """Column values for a record; notes also get their UTC sort key."""
    row: dict[str, Any] = {}
    for name in field_types(type(record)):
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


def _moment(value: Any) -> Moment:
    parsed = datetime.fromisoformat(_text(value))
    offset = parsed.utcoffset()
    if offset is None:
        raise ValueError("a stored time has no UTC offset")
    moment = object.__new__(Moment)  # skip __post_init__: converted right here
    moment.__dict__.update(utc=parsed.astimezone(UTC), offset_minutes=int(offset.total_seconds()) // 60)
    return moment


def _text(value: Any) -> str:
    if type(value) is not str:
        raise ValueError(f"expected text, found {type(value).__name__}")
    return value


def _integer(value: Any) -> int:
    if type(value) is not int:
        raise ValueError(f"expected a whole number, found {type(value).__name__}")
    return value


def _flag(value: Any) -> bool:
    if value not in (0, 1):
        raise ValueError("expected 0 or 1")
    return bool(value)


def _tags(value: Any) -> tuple[str, ...]:
    if value == "[]":
        return ()
    items = json.loads(_text(value))
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise ValueError("expected a list of texts")
    return tuple(items)


def _enum(cls: type[Enum]) -> Converter:
    members = {m.value: m for m in cls}

    def convert(value: Any) -> Enum:
        try:
            return members[value]
        except (KeyError, TypeError):
            raise ValueError(f"{value!r} is not a valid {cls.__name__}") from None

    return convert


def _converter(hint: Any) -> Converter:
    if hint is Moment:
        return _moment
    if hint is date:
        return lambda v: date.fromisoformat(_text(v))
    if isinstance(hint, type) and issubclass(hint, Enum):
        return _enum(hint)
    if hint is bool:
        return _flag
    if hint is int:
        return _integer
    if get_origin(hint) is tuple:
        return _tags
    return _text  # str and NewType ids over str


@per_record_type
def _decoders(cls: type[Record]) -> tuple[tuple[str, Converter], ...]:
    return tuple((name, _converter(hint)) for name, hint in field_types(cls).items())


def from_row(cls: type[R], row: tuple[Any, ...] | list[Any]) -> R:
    """Rebuild a record from a row selected as ``columns(cls)``.

    Raises:
        TamperedCase: a value is not of its field's type (a damaged or hostile file).
    """
    values: dict[str, Any] = {}
    seen: dict[Any, Moment] = {}  # created == updated on most records: parse that time once
    try:
        for (name, convert), value in zip(_decoders(cls), row, strict=True):
            if value is None:
                values[name] = None
            elif convert is _moment:
                moment = seen.get(value)
                if moment is None:
                    moment = seen[value] = _moment(value)
                values[name] = moment
            else:
                values[name] = convert(value)
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        reason = str(exc)[:80]
        raise TamperedCase(f"A stored {cls.KIND} record is malformed ({reason}); the file was altered.") from None
    record = object.__new__(cls)  # frozen dataclass: fill its fields without __setattr__
    record.__dict__.update(values)
    return record
