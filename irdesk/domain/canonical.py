"""Records to and from plain JSON values, and the canonical bytes the audit chain hashes.

One encoding serves the audit chain, the JSON export and the merge, so a record means
the same thing everywhere: moments as ISO 8601 with their offset, dates as YYYY-MM-DD,
enums as their kebab-case value, tuples as lists, absent values as null.

A field added to an existing record type by a later format (``records.added_in``) is left out
while it holds its declared default; every other field, a record type's own, is always written,
as it was when those records were hashed.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import types
import typing
from collections.abc import Callable
from datetime import date
from enum import Enum
from typing import Any, TypeVar

import orjson

from irdesk.domain.moment import Moment
from irdesk.domain.records import FORMAT_KEY, Record
from irdesk.domain.registry import ALL_BY_KIND

R = TypeVar("R", bound=Record)
JsonDict = dict[str, Any]


class RecordFormatError(ValueError):
    """A JSON value does not describe a valid record."""


T = TypeVar("T")


def per_record_type(fn: Callable[[type[Record]], T]) -> Callable[[type[Record]], T]:
    """Memoise a function of a record class (``functools.cache`` with types mypy accepts)."""
    cache: dict[type[Record], T] = {}

    @functools.wraps(fn)
    def wrapper(cls: type[Record]) -> T:
        try:
            return cache[cls]
        except KeyError:
            value = cache[cls] = fn(cls)
            return value

    return wrapper


@per_record_type
def field_types(cls: type[Record]) -> dict[str, Any]:
    """Each field's type, with ``X | None`` reduced to ``X``; in declaration order."""
    hints = typing.get_type_hints(cls)
    result: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        hint = hints[f.name]
        if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
            args = [a for a in typing.get_args(hint) if a is not type(None)]
            hint = args[0]
        result[f.name] = hint
    return result


@per_record_type
def field_formats(cls: type[Record]) -> dict[str, int]:
    """The format version that added each field: ``added_in``'s, else its record type's."""
    return {f.name: int(f.metadata.get(FORMAT_KEY, cls.FORMAT)) for f in dataclasses.fields(cls)}


@per_record_type
def omitted_defaults(cls: type[Record]) -> tuple[tuple[str, Any], ...]:
    """(field, its default as canonically encoded) for each field left out at its default: the
    fields ``added_in`` a format after their record type's (its own fields are always written)."""
    result = []
    for f in dataclasses.fields(cls):
        if FORMAT_KEY not in f.metadata:
            continue
        if field_formats(cls)[f.name] <= cls.FORMAT:
            raise TypeError(f"{cls.__name__}.{f.name} is declared added_in({field_formats(cls)[f.name]}), "
                            f"but {cls.__name__} itself is of format {cls.FORMAT}")
        if f.default is dataclasses.MISSING:
            raise TypeError(f"{cls.__name__}.{f.name} was added in format {field_formats(cls)[f.name]} "
                            "and so needs a default")
        result.append((f.name, encode_value(f.default)))
    return tuple(result)


def omit_defaults(cls: type[Record], data: JsonDict) -> JsonDict:
    """Drop from a record's encoded fields those of a later format that hold their default."""
    for name, default in omitted_defaults(cls):
        value = data.get(name, default)
        if type(value) is type(default) and value == default:
            data.pop(name, None)
    return data


@per_record_type
def nullable_fields(cls: type[Record]) -> frozenset[str]:
    """The fields declared ``X | None``: the only ones that may be null."""
    hints = typing.get_type_hints(cls)
    return frozenset(name for name, hint in hints.items() if type(None) in typing.get_args(hint))


def encode_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Moment):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [encode_value(v) for v in value]
    raise TypeError(f"cannot encode {type(value).__name__}")


def decode_value(hint: Any, value: Any, name: str) -> Any:
    """Turn a JSON value back into the field's type, or raise RecordFormatError."""
    if value is None:
        return None
    try:
        if hint is Moment:
            return Moment.parse(_expect(value, str, name))
        if hint is date:
            return date.fromisoformat(_expect(value, str, name))
        if isinstance(hint, type) and issubclass(hint, Enum):
            return hint(value)
        if hint is bool:
            return _expect(value, bool, name)
        if hint is int:
            if isinstance(value, bool):
                raise RecordFormatError(f"field {name!r} must be a whole number")
            return _expect(value, int, name)
        if typing.get_origin(hint) is tuple:
            items = _expect(value, list, name)
            return tuple(_expect(v, str, name) for v in items)
        return _expect(value, str, name)  # str and NewType ids over str
    except RecordFormatError:
        raise
    except (ValueError, TypeError) as exc:
        raise RecordFormatError(f"field {name!r}: {exc}") from None


def _expect(value: Any, kind: type, name: str) -> Any:
    if not isinstance(value, kind):
        raise RecordFormatError(f"field {name!r} must be {kind.__name__}")
    return value


def to_dict(record: Record) -> JsonDict:
    """The record as a JSON object, with its record kind under ``"type"``; fields of a later
    format that hold their default are left out (``omit_defaults``).

    (Not ``"kind"``: evidence and contacts have a ``kind`` field of their own.)
    """
    out: JsonDict = {"type": record.KIND}
    for name in field_types(type(record)):
        out[name] = encode_value(getattr(record, name))
    return omit_defaults(type(record), out)


def from_dict(data: JsonDict, expected: type[R] | None = None) -> R:
    """Build a record from ``to_dict`` output; unknown kinds and fields are refused."""
    if not isinstance(data, dict):
        raise RecordFormatError("a record must be a JSON object")
    kind = data.get("type")
    cls = ALL_BY_KIND.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise RecordFormatError(f"unknown record kind {kind!r}")
    if expected is not None and cls is not expected:
        raise RecordFormatError(f"expected a {expected.KIND} record, got {kind!r}")
    types_ = field_types(cls)
    unknown = set(data) - set(types_) - {"type"}
    if unknown:
        raise RecordFormatError(f"unknown field {sorted(unknown)[0]!r} in a {kind} record")
    values: JsonDict = {}
    nullable = nullable_fields(cls)
    for f in dataclasses.fields(cls):
        if f.name in data and data[f.name] is None and f.name not in nullable:
            raise RecordFormatError(f"the field {f.name!r} of a {kind} record cannot be null")
        if f.name in data:
            values[f.name] = decode_value(types_[f.name], data[f.name], f.name)
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise RecordFormatError(f"a {kind} record needs the field {f.name!r}")
    try:
        return typing.cast(R, cls(**values))
    except (TypeError, ValueError) as exc:
        raise RecordFormatError(f"invalid {kind} record: {exc}") from None


def canonical_json(value: Any) -> bytes:
    """Deterministic UTF-8 JSON: what the audit chain hashes (docs/FORMAT.md, "Canonical JSON").

    Keys sorted, no whitespace, non-ASCII written as is, only the escapes JSON requires.
    orjson writes exactly the bytes of ``json.dumps(sort_keys=True, separators=(",", ":"),
    ensure_ascii=False)``, ten times faster; tests/domain/test_canonical.py holds it to that.
    """
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def record_hash(record: Record) -> str:
    """SHA-256 (hex) of the record's canonical JSON: what the audit chain commits to."""
    return hashlib.sha256(canonical_json(to_dict(record))).hexdigest()
