"""The two kinds of file on the one core: a case (``.ircase``) and a readiness book (``.irbook``).

Both are the same SQLCipher file with the same key derivation, audit chain, verified reader,
check, hand-off and merge. What differs is described here: the extension, the value in
``PRAGMA application_id`` that tells them apart once unlocked, the schema and its
migrations, the record kinds each may hold and the record that gives the file its identity.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from irdesk.casefile import book_schema, schema
from irdesk.domain.book import BOOK_RECORD_TYPES, Book
from irdesk.domain.records import RECORD_TYPES, Case, Record

Executor = Callable[[str], Any]

# PRAGMA application_id (offset 68 of the header, encrypted like the rest of page 1).
CASE_APPLICATION_ID = 0x69724353  # "irCS"
BOOK_APPLICATION_ID = 0x6972424B  # "irBK"


class Schema(Protocol):
    """A file kind's schema: its version, its record tables, its migrations and allow-list."""

    @property
    def version(self) -> int: ...

    @property
    def tables(self) -> Mapping[str, str]: ...

    def migrate(self, execute: Executor, from_version: int, to_version: int | None = None) -> None: ...

    def expected_objects(self, version: int) -> frozenset[tuple[str, str, str, str | None]]: ...


class CaseSchema:
    """The case's schema: ``irdesk.casefile.schema``, read at each use (tests replace parts of it)."""

    @property
    def version(self) -> int:
        return schema.SCHEMA_VERSION

    @property
    def tables(self) -> Mapping[str, str]:
        return schema.TABLES

    def migrate(self, execute: Executor, from_version: int, to_version: int | None = None) -> None:
        schema.migrate(execute, from_version, to_version)

    def expected_objects(self, version: int) -> frozenset[tuple[str, str, str, str | None]]:
        return schema.expected_objects(version)


@dataclass(frozen=True, eq=False)
class StepSchema:
    """A schema given as its migration steps (the book's): ``steps[n]`` brings n to n + 1."""

    steps: Mapping[int, Callable[[Executor], None]]
    tables: Mapping[str, str]
    version: int = field(default=0)

    def migrate(self, execute: Executor, from_version: int, to_version: int | None = None) -> None:
        for version in range(from_version, self.version if to_version is None else to_version):
            self.steps[version](execute)
            execute(f"PRAGMA user_version = {version + 1}")

    def expected_objects(self, version: int) -> frozenset[tuple[str, str, str, str | None]]:
        return _expected(self, version)


@functools.cache
def _expected(steps: StepSchema, version: int) -> frozenset[tuple[str, str, str, str | None]]:
    import sqlcipher3

    conn = sqlcipher3.connect(":memory:", isolation_level=None)
    try:
        steps.migrate(conn.execute, 0, version)
        return frozenset(conn.execute(schema.MASTER_QUERY).fetchall())
    finally:
        conn.close()


@dataclass(frozen=True, eq=False)
class FileKind:
    name: str  # "case", "book": what messages call it
    noun: str  # "a case file", "a readiness book"
    extension: str
    application_id: int
    schema: Schema
    record_types: tuple[type[Record], ...]
    identity: type[Record]  # the one record that names the file (its id is the file's)

    @functools.cached_property
    def by_kind(self) -> dict[str, type[Record]]:
        return {cls.KIND: cls for cls in self.record_types}

    def holds(self, kind: str) -> bool:
        return kind in self.by_kind


CASE = FileKind("case", "a case file", ".ircase", CASE_APPLICATION_ID, CaseSchema(), RECORD_TYPES, Case)
BOOK = FileKind("book", "a readiness book", ".irbook", BOOK_APPLICATION_ID,
                StepSchema(book_schema.MIGRATIONS, book_schema.TABLES, book_schema.SCHEMA_VERSION),
                BOOK_RECORD_TYPES, Book)
KINDS = (CASE, BOOK)


def by_application_id(value: int) -> FileKind | None:
    for kind in KINDS:
        if kind.application_id == value:
            return kind
    return None


def by_extension(path: str) -> FileKind:
    """The kind a path's extension names: ``.irbook`` is a book, anything else a case."""
    return BOOK if str(path).lower().endswith(BOOK.extension) else CASE
