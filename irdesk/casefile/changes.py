"""What an operation changed: the typed change set every view refreshes from.

Anki's ``OpChanges`` is the model. The case file records each write as it happens (the
kind and id of the record, a conflict settled or kept, a new key), so an operation cannot
forget to announce a change, and a view asks only about the kinds it shows:
``if changes.touches(RecordKind.NOTE): …``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from irdesk.domain.enums import RecordKind
from irdesk.domain.records import RecordId

T = TypeVar("T")


@dataclass(frozen=True)
class Changes:
    """Record ids by kind, plus the changes that are not one record's."""

    records: Mapping[RecordKind, frozenset[RecordId]] = field(default_factory=dict)
    conflicts: bool = False  # a conflict was kept or settled
    rekeyed: bool = False  # the passphrase changed: readers must reopen

    @property
    def empty(self) -> bool:
        return not self.records and not self.conflicts and not self.rekeyed

    @property
    def kinds(self) -> frozenset[RecordKind]:
        return frozenset(self.records)

    def touches(self, *kinds: RecordKind) -> bool:
        """True when a record of any of ``kinds`` changed."""
        return any(kind in self.records for kind in kinds)

    def ids(self, kind: RecordKind) -> frozenset[RecordId]:
        return self.records.get(kind, frozenset())

    def __or__(self, other: Changes) -> Changes:
        merged = {kind: self.ids(kind) | other.ids(kind) for kind in self.kinds | other.kinds}
        return Changes(merged, self.conflicts or other.conflicts, self.rekeyed or other.rekeyed)


NO_CHANGES = Changes()


class ChangeLog:
    """Collects the changes of one transaction (and of the operations nested in it)."""

    def __init__(self) -> None:
        self._records: dict[RecordKind, set[RecordId]] = {}
        self.conflicts = False
        self.rekeyed = False

    def record(self, kind: RecordKind, record_id: RecordId) -> None:
        self._records.setdefault(kind, set()).add(record_id)

    def absorb(self, other: ChangeLog) -> None:
        for kind, ids in other._records.items():
            self._records.setdefault(kind, set()).update(ids)
        self.conflicts = self.conflicts or other.conflicts
        self.rekeyed = self.rekeyed or other.rekeyed

    def freeze(self) -> Changes:
        return Changes(
            {kind: frozenset(ids) for kind, ids in self._records.items()}, self.conflicts, self.rekeyed
        )


@dataclass(frozen=True)
class Done(Generic[T]):
    """What an operation returns: its result and what it changed."""

    value: T
    changes: Changes


def changes_of(kinds: Iterable[RecordKind]) -> Changes:
    """A change set naming whole kinds (no ids): what a test or a reload announces."""
    return Changes({kind: frozenset() for kind in kinds})
