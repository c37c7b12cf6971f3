"""The audit chain as stored: its head, appending entries, and reading them back.

``audit.py`` defines an entry and how entries link; this module keeps the open file's
chain: the head and length it has reached, the entries in ``seq`` order, and the index of
record hashes the chain committed to (``chain_index.ChainIndex``), which every read of a
record is compared with.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from irdesk.casefile import audit
from irdesk.casefile.chain_index import ChainIndex
from irdesk.casefile.database import Database
from irdesk.casefile.errors import TamperedCase
from irdesk.domain.fingerprint import GENESIS
from irdesk.domain.moment import Moment
from irdesk.domain.paths import shown

_COLUMNS = ", ".join(audit.COLUMNS)
_INSERT = f"INSERT INTO audit ({_COLUMNS}) VALUES ({', '.join('?' * len(audit.COLUMNS))})"
# The index needs the action and source of file entries, and of record entries only whether they
# amend (record entries' sources can be long).
_INDEX_ROWS = ("SELECT seq, entity, entity_id, unhex(record_hash), CASE WHEN entity = 'file' THEN action || ' ' || "
               "source WHEN action = 'amend' THEN 'amend' END FROM audit WHERE seq > ? AND seq <= ? "
               "ORDER BY seq LIMIT ?")


class AuditChain:
    """Appends and reads the chain of one open file; ``head`` is the last entry's hash."""

    def __init__(self, db: Database, *, actor: str, clock: Callable[[], Moment]) -> None:
        self._db = db
        self.actor, self.clock = actor, clock
        self.head = GENESIS
        self.length = 0
        self._index: ChainIndex | None = None

    def state(self) -> tuple[str, int]:
        return self.head, self.length

    def restore(self, state: tuple[str, int]) -> None:
        """Go back to a saved head (the transaction that moved it rolled back)."""
        if self._index is not None and self._index.length > state[1]:
            self._index = None  # built again on the next read: rollbacks are rare
        self.head, self.length = state

    def load_tail(self) -> None:
        """Check the last entry (hash, link, recorded length) and take it as the head."""
        rows = self._db.query(f"SELECT {_COLUMNS} FROM audit ORDER BY seq DESC LIMIT 2")
        entries = [audit.AuditEntry(*row) for row in reversed(rows)]
        path = self._db.path
        if not entries:
            raise TamperedCase(f"{path} has an empty audit chain.")
        last = entries[-1]
        before = entries[0].hash if len(entries) == 2 else GENESIS
        if last.compute_hash() != last.hash or last.prev_hash != before:
            raise TamperedCase(f"The audit chain of {path} is broken at its last entry.")
        length = self._db.meta("chain_length")
        if length is None or not length.isdigit() or int(length) != last.seq:
            raise TamperedCase(f"The audit chain of {path} does not match its recorded length.")
        self.head, self.length = last.hash, last.seq

    def refresh(self) -> bool:
        """Re-read the head (a reader does this after the writer commits); True if it moved."""
        before = self.length
        rows = self._db.query("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
        if rows:
            self.length, self.head = int(rows[0][0]), str(rows[0][1])
        if self._index is not None:
            if self._index.length > self.length:
                self._index = None
            else:
                self._extend(self._index)
        return self.length != before

    def append(self, *, action: str, entity: str, entity_id: str, record_hash: str = "",
               source: str = "") -> audit.AuditEntry:
        """Chain one entry after the head (inside the caller's transaction).

        A ``source`` naming a file whose name is not UTF-8 is recorded as ``shown`` writes it.
        """
        entry = audit.make_entry(
            seq=self.length + 1, at=self.clock().isoformat(), actor=self.actor, action=action,
            entity=entity, entity_id=entity_id, record_hash=record_hash, source=shown(source),
            prev_hash=self.head,
        )
        self._db.execute(_INSERT, entry.values())
        self.head, self.length = entry.hash, entry.seq
        if self._index is not None:
            self._index.add(entry.seq, entity, entity_id, record_hash, action, source)
        return entry

    def adopt(self, entries: Sequence[audit.AuditEntry]) -> None:
        """Copy a verified chain verbatim into an empty file (a restore from an export)."""
        for entry in entries:
            self._db.execute(_INSERT, entry.values())
            self.head, self.length = entry.hash, entry.seq
        self._index = None

    def entries(self, start: int = 1, batch: int = 5000) -> Iterator[audit.AuditEntry]:
        """The chain from ``start`` on, streamed in batches."""
        while True:
            rows = self._db.query(
                f"SELECT {_COLUMNS} FROM audit WHERE seq >= ? ORDER BY seq LIMIT ?", (start, batch))
            if not rows:
                return
            yield from (audit.AuditEntry(*row) for row in rows)
            start = rows[-1][0] + 1

    def json_rows(self, batch: int = 20000) -> Iterator[str]:
        """Every entry in order as a JSON array of ``audit.COLUMNS`` (SQLite encodes it)."""
        last = 0
        while True:
            rows = self._db.query(
                f"SELECT seq, json_array({_COLUMNS}) FROM audit WHERE seq > ? ORDER BY seq LIMIT ?",
                (last, batch))
            if not rows:
                return
            for _seq, text in rows:
                yield text
            last = rows[-1][0]

    def index(self) -> ChainIndex:
        """What the chain vouches for, built on first use and kept up to date after.

        Links are ``check``'s work (opening the file verified the tail); the scan itself
        refuses a chain with a missing entry.
        """
        if self._index is None:
            index = ChainIndex()
            self._extend(index)
            self._index = index
        return self._index

    def _extend(self, index: ChainIndex, batch: int = 20000) -> None:
        while index.length < self.length:
            rows = self._db.query(_INDEX_ROWS, (index.length, self.length, batch))
            if not rows:
                raise TamperedCase(f"The audit chain of {self._db.path} ends before its last entry.")
            index.add_rows(rows)

    def contains_head(self, head: str) -> bool:
        """True if ``head`` is (or was) the hash of an entry in this chain, or of a merged source."""
        return bool(self._db.scalar("SELECT 1 FROM audit WHERE hash = ? OR source LIKE ? LIMIT 1",
                                    (head, f"%{head}%")))
