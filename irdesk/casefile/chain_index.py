"""What the audit chain vouches for, indexed: the verified reader compares every record with it.

Built from one scan of the ``audit`` table in ``seq`` order (the table itself, never the
``audit_entity`` index, whose pages could be spliced in from an older copy), it holds:

- for every record, the hash the chain last committed to (``latest``): the only version
  of it the file may show, print or export;
- for every record edited since it was made, the hashes of its earlier versions: each must
  be kept in ``revisions``, and nothing else may be (but for a version an ``amend`` entry
  replaced: a typing session's working version of a note, chained but not kept);
- the competing versions a merge or an import kept as conflicts (``conflict`` file
  entries, since format 3), and those the format 2 ``resolve`` entries settled.

Digests are kept as 32 bytes and ids once per record, so 100,000 records cost about 20 MB
and a fraction of a second. The index follows ``append`` as entries are written, and a
reader's ``refresh`` adds what the writer committed since.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, KeysView, Mapping
from types import MappingProxyType

from irdesk.casefile.errors import TamperedCase
from irdesk.domain.registry import ALL_BY_KIND

# A file entry that names one revision: "note <id> revision <rev>" ("<how>: …" when settled).
_NAMED_REVISION = re.compile(r"^(?:[^:]+: )?(\S+) (\S+) revision (\S+)$")
Revision = tuple[str, str, str]  # (kind, record id, revision id)
AMEND = "amend"  # a record entry whose version replaces the one before without keeping it


def digest_of(hex_hash: str) -> bytes:
    """A record hash as its 32 bytes (anything else as given: it then matches nothing)."""
    try:
        return bytes.fromhex(hex_hash)
    except (ValueError, TypeError):
        return str(hex_hash).encode("utf-8", "replace")


def named_revision(source: str) -> Revision | None:
    """The (kind, id, revision) a ``conflict`` or ``resolve`` entry's source names."""
    found = _NAMED_REVISION.match(source or "")
    return (found.group(1), found.group(2), found.group(3)) if found else None


def revision_source(kind: str, record_id: str, rev: str) -> str:
    """How a ``conflict`` entry names the competing revision it vouches for."""
    return f"{kind} {record_id} revision {rev}"


class ChainIndex:
    """The record hashes, earlier versions and conflicts the chain vouches for, up to ``length``."""

    def __init__(self) -> None:
        self._latest: dict[str, dict[str, bytes]] = {kind: {} for kind in ALL_BY_KIND}
        self._earlier: dict[tuple[str, str], set[bytes]] = {}
        self.conflicts: set[Revision] = set()  # kept as competing versions
        self.legacy_settled: set[Revision] = set()  # settled by a format 2 "resolve" entry
        self.length = 0

    # ------------------------------------------------------------ what it says
    def latest(self, kind: str, record_id: str) -> bytes | None:
        return self._latest[kind].get(record_id)

    def latest_of(self, kind: str) -> Mapping[str, bytes]:
        """Every record id of a kind with its latest digest (read-only: for a whole-case pass)."""
        return MappingProxyType(self._latest[kind])

    def vouches(self, kind: str, record_id: str, digest: bytes) -> bool:
        """True if the chain ever committed to this version of the record."""
        if self._latest[kind].get(record_id) == digest:
            return True
        return digest in self._earlier.get((kind, record_id), ())

    def earlier(self, kind: str, record_id: str) -> frozenset[bytes]:
        """Every earlier version of the record: what ``revisions`` must keep of it."""
        return frozenset(self._earlier.get((kind, record_id), ()))

    def ids(self, kind: str) -> KeysView[str]:
        return self._latest[kind].keys()

    def edited(self) -> Iterable[tuple[str, str]]:
        """(kind, id) of every record that has earlier versions."""
        return self._earlier.keys()

    # ------------------------------------------------------------ building it
    def add(self, seq: int, entity: str, entity_id: str, record_hash: str, action: str = "",
            source: str = "") -> None:
        """Take in the entry ``seq``; entries must come one by one, in order."""
        if seq != self.length + 1:
            raise TamperedCase(f"Audit entry {self.length + 1} is missing; run `irdesk check`.")
        self.length = seq
        of_kind = self._latest.get(entity)
        if of_kind is not None:
            digest = digest_of(record_hash)
            before = of_kind.get(entity_id)
            if before is not None and before != digest and action != AMEND:
                earlier = self._earlier.setdefault((entity, entity_id), set())
                earlier.add(before)
                earlier.discard(digest)  # re-affirmed as current (after keeping an older one)
            of_kind[entity_id] = digest
        elif entity == "file" and action in ("conflict", "resolve"):
            named = named_revision(source)
            if named is not None:
                (self.conflicts if action == "conflict" else self.legacy_settled).add(named)

    def add_rows(self, rows: Iterable[tuple[int, str, str, bytes | None, str | None]]) -> None:
        """Rows of (seq, entity, entity_id, the record hash's bytes, "action source" of a file
        entry), as ``AuditChain`` selects them; ``add`` written out for the 100,000 of an open."""
        latest, length = self._latest, self.length
        try:
            for seq, entity, entity_id, digest, event in rows:
                if seq != length + 1:
                    raise TamperedCase(f"Audit entry {length + 1} is missing; run `irdesk check`.")
                length = seq
                of_kind = latest.get(entity)
                if event == AMEND and of_kind is not None:  # replaces its version without keeping it
                    of_kind[entity_id] = digest or b""
                    continue
                if of_kind is None:
                    if event:
                        action, _, source = event.partition(" ")
                        self.length = seq - 1
                        self.add(seq, entity, entity_id, "", action, source)
                    continue
                digest = digest or b""  # not hex: it then matches nothing
                before = of_kind.get(entity_id)
                if before is not None and before != digest:
                    earlier = self._earlier.setdefault((entity, entity_id), set())
                    earlier.add(before)
                    earlier.discard(digest)
                of_kind[entity_id] = digest
        finally:
            self.length = length
