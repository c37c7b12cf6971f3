"""``CaseFile``: one open, unlocked case: the shared core (``container.EncryptedFile``) with
the case's own parts.

- ``db``, ``chain``, ``records``: the connection, the audit chain, the verified reader and the
  one write path (see ``container.py``);
- ``notes`` (``notes.NoteQueries``): note lists, counts and full-text search;
- ``timeline`` (``timeline.TimelineQueries``): every dated thing on one axis, paged in SQL.

Changes are made only by the named operations in ``irdesk.casefile.operations``; each runs in
one ``transaction()``, whose change log says what it changed. Every read goes through the
verified reader (``records`` and ``notes``): a record the audit chain does not vouch for is
never given out. ``verified()`` checks the whole case first, for everything that leaves it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Self

from irdesk.casefile import audit
from irdesk.casefile.container import Clock, EncryptedFile
from irdesk.casefile.database import Database
from irdesk.casefile.errors import CaseFileError, CorruptCase, TamperedCase
from irdesk.casefile.kinds import CASE
from irdesk.casefile.lock import WriterLock
from irdesk.casefile.notes import NoteFilter, NoteQueries, SearchHit, fts_query
from irdesk.casefile.outputs import Notice
from irdesk.casefile.timeline import TimelineQueries
from irdesk.domain.enums import Tlp
from irdesk.domain.moment import Moment
from irdesk.domain.records import ActionItem, Attachment, Case, CustodyEvent, Engagement, RecordId

__all__ = ["ATTACHMENT_LIMIT", "CaseFile", "NoteFilter", "SearchHit", "fts_query"]

ATTACHMENT_LIMIT = 16 * 1024 * 1024  # larger evidence is referenced by path and hash


class CaseFile(EncryptedFile):
    """An open, unlocked case. Use ``CaseFile.create`` or ``CaseFile.open``; close when done."""

    KIND = CASE

    def __init__(self, db: Database, *, salt: bytes, key: bytes, lock: WriterLock | None,
                 actor: str, clock: Clock = Moment.now) -> None:
        super().__init__(db, salt=salt, key=key, lock=lock, actor=actor, clock=clock)
        self.notes = NoteQueries(db, self.records)
        self.timeline = TimelineQueries(db, self.records)

    @property
    def case_id(self) -> RecordId:
        """The case's identity: the id of its case record, kept by every copy."""
        return self.file_id

    # ------------------------------------------------------------ creating
    @classmethod
    def create(cls, path: str, passphrase: str, *, title: str, actor: str, tlp: Tlp = Tlp.AMBER,
               drill: bool = False, codename: str = "", clock: Clock = Moment.now,
               fill: Callable[[Self], object] | None = None, notice: Notice | None = None) -> Self:
        """Create a new case file (mode 0600). An existing file is never overwritten.

        ``fill`` writes more in the creating transaction (a case started from a book).
        ``notice`` hears of partials an interrupted command left in the folder and that were removed.
        """
        return cls._create_identity(path, passphrase, actor=actor, clock=clock, fill=fill, notice=notice,
                                    title=title, tlp=tlp, drill=drill, codename=codename)

    @classmethod
    def restore(cls, path: str, passphrase: str, *, case: Case, chain: Sequence[audit.AuditEntry],
                actor: str, source: str, fill: Callable[[Self], None], clock: Clock = Moment.now,
                notice: Notice | None = None) -> Self:
        """Create a case file that continues an exported case (``irdesk import`` into a new file).

        The export's audit chain is copied verbatim (it must link from the start), then the
        case record and whatever ``fill`` writes are chained as imports after it, all in the
        creating transaction: on any error no file is left behind.
        """
        problems = audit.chain_problems(chain, limit=1)
        if problems:
            raise TamperedCase(f"The exported audit chain is broken: {problems[0]}")

        def fill_all(new: Self) -> None:
            new.chain.adopt(chain)
            new._adopt_identity(case.id)
            new.records.put(case, action="import", source=source, as_is=True)
            fill(new)
            new.records.verify_all()  # the new file holds exactly what its chain vouches for

        return cls._create_file(path, passphrase, actor=actor, clock=clock, fill=fill_all, notice=notice)

    # ------------------------------------------------------------ opening
    def _repair_on_open(self) -> None:
        self.repair_search_index()

    def _upgraded(self, from_version: int, file_id: str) -> None:
        from irdesk.casefile import schema

        if from_version < schema.CONFLICTS_VOUCHED:
            self._vouch_for_conflicts(file_id)

    def _vouch_for_conflicts(self, case_id: str) -> None:
        """Chain a ``conflict`` entry for every competing version an older format kept, so the
        conflict marks of the upgraded file are vouched for like the new ones."""
        from irdesk.casefile.chain_index import revision_source

        for kind, record_id, rev in self.db.query(
                "SELECT kind, record_id, rev FROM revisions WHERE conflict = 1 ORDER BY seq"):
            self.chain.append(action="conflict", entity="file", entity_id=case_id,
                              source=revision_source(str(kind), str(record_id), str(rev)))

    # ------------------------------------------------------------ the search index
    def search_index_problem(self) -> str:
        """How the full-text index disagrees with the notes, or "" (read-only: ``check``)."""
        from irdesk.casefile.search_index import compare

        return compare(self.db)

    def repair_search_index(self) -> bool:
        """Rebuild the full-text index if it disagrees with the notes (a writer, on open).

        Only an index that disagrees costs more than FTS5's check: then the whole case is
        verified first, and a case the chain does not vouch for is left as it is (nothing is
        ever appended to a damaged case; whatever reads it next refuses). Returns True when
        the index was rebuilt; the rebuild is chained as a ``reindex`` entry.
        """
        from irdesk.casefile.search_index import agrees, rebuild

        if agrees(self.db):
            return False
        try:
            with self.snapshot():
                self.records.verify_all()
        except CaseFileError:
            return False
        with self.transaction():
            rebuild(self.db)
            self.chain.append(action="reindex", entity="file", entity_id=self.file_id,
                              source="the search index disagreed with the notes")
        return True

    # ------------------------------------------------------------ reading, by what it means
    def case(self) -> Case:
        return self.records.get(Case, self.case_id)

    def closing_blockers(self) -> list[ActionItem]:
        """Action items that hold the case open: neither tested nor waived."""
        return [a for a in self.records.all(ActionItem) if not a.status.settled]

    def custody_for(self, evidence_id: str) -> list[CustodyEvent]:
        events = self.records.select(CustodyEvent, where="evidence_id = ?", params=(evidence_id,))
        return sorted(events, key=lambda e: e.at.utc)

    def engagements_for(self, contact_id: str) -> list[Engagement]:
        found = self.records.select(Engagement, where="contact_id = ?", params=(contact_id,))
        return sorted(found, key=lambda e: e.needed_at.utc)

    def attachment_bytes(self, attachment_id: str) -> bytes:
        """The attachment's bytes, checked against its recorded SHA-256."""
        record = self.records.get(Attachment, attachment_id)
        data = self.records.attachment_content(attachment_id)
        if data is None or hashlib.sha256(data).hexdigest() != record.sha256:
            raise CorruptCase(f"The attachment {record.name} does not match its recorded hash.")
        return data

    def extra_problems(self) -> list[str]:
        """The search index against the notes, exactly one case record, attachment bytes."""
        found = []
        problem = self.search_index_problem()
        if problem:
            found.append(problem)
        if self.db.query("SELECT id FROM cases") != [(self.case_id,)]:
            found.append("The file does not hold exactly one case record, the one its identity names.")
        for attachment in self.records.iter_all(Attachment):
            try:
                self.attachment_bytes(attachment.id)
            except CaseFileError:
                found.append(f"The attachment {attachment.id} does not match its recorded hash.")
        return found
