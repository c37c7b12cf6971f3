"""The audit chain: every change appends an entry linked to the one before by SHA-256.

An entry's hash covers its canonical JSON (every column but ``hash``) including the
previous entry's hash, so changing, dropping or reordering any entry breaks the chain
from there on. ``record_hash`` commits to the record's canonical JSON after the change.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, replace

from irdesk.domain.canonical import canonical_json
from irdesk.domain.fingerprint import GENESIS

COLUMNS = (
    "seq",
    "at",
    "actor",
    "action",
    "entity",
    "entity_id",
    "record_hash",
    "source",
    "prev_hash",
    "hash",
)


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str  # ISO 8601 with the local offset
    actor: str
    action: str  # create, update, delete, merge, import, keep, migrate, rekey, handoff
    entity: str  # a record kind, or "file" for events about the whole file
    entity_id: str
    record_hash: str  # SHA-256 of the record's canonical JSON; "" for file events
    source: str  # where a merged or imported change came from; "" otherwise
    prev_hash: str
    hash: str

    def values(self) -> tuple[object, ...]:
        """The entry's values in ``COLUMNS`` order (``dataclasses.astuple`` deep-copies: slow)."""
        return tuple(getattr(self, column) for column in COLUMNS)

    def compute_hash(self) -> str:
        body = dict(self.__dict__)  # every field but the hash itself (asdict deep-copies: slow)
        del body["hash"]
        return hashlib.sha256(canonical_json(body)).hexdigest()


def make_entry(
    *,
    seq: int,
    at: str,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    record_hash: str,
    source: str,
    prev_hash: str,
) -> AuditEntry:
    draft = AuditEntry(seq, at, actor, action, entity, entity_id, record_hash, source, prev_hash, "")
    return replace(draft, hash=draft.compute_hash())


def chain_problems(entries: Iterable[AuditEntry], limit: int = 20) -> list[str]:
    """Every break in a chain read in ``seq`` order, as sentences (at most ``limit``)."""
    problems: list[str] = []
    expected_seq, prev = 1, GENESIS
    for entry in entries:
        if entry.seq != expected_seq:
            problems.append(f"Audit entry {expected_seq} is missing (found {entry.seq}).")
        elif entry.prev_hash != prev:
            problems.append(f"Audit entry {entry.seq} does not follow the entry before it.")
        elif entry.compute_hash() != entry.hash:
            problems.append(f"Audit entry {entry.seq} was altered.")
        if len(problems) >= limit:
            break
        expected_seq, prev = entry.seq + 1, entry.hash
    return problems
