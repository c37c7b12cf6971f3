"""``BookFile``: the team's readiness book (``.irbook``), the shared core with the book's parts.

Everything a case file has holds for it: the Argon2id key, the audit chain, the verified
reader, ``check``, hand-off copies and merge (``container.EncryptedFile``). Its records are
the book's (``irdesk.domain.book``); its changes are the operations in
``irdesk.casefile.operations.book`` and filing (``irdesk.casefile.filing``).
"""

from __future__ import annotations

from typing import Self

from irdesk.casefile.container import Clock, EncryptedFile
from irdesk.casefile.kinds import BOOK
from irdesk.casefile.outputs import Notice
from irdesk.domain.book import Book
from irdesk.domain.enums import Tlp
from irdesk.domain.moment import Moment
from irdesk.domain.records import RecordId


class BookFile(EncryptedFile):
    """An open, unlocked readiness book. Use ``BookFile.create`` or ``BookFile.open``."""

    KIND = BOOK

    @property
    def book_id(self) -> RecordId:
        return self.file_id

    @classmethod
    def create(cls, path: str, passphrase: str, *, title: str, actor: str, tlp: Tlp = Tlp.AMBER,
               clock: Clock = Moment.now, notice: Notice | None = None) -> Self:
        """Create a new, empty book (mode 0600). An existing file is never overwritten."""
        return cls._create_identity(path, passphrase, actor=actor, clock=clock, notice=notice, title=title,
                                    tlp=tlp)

    def book(self) -> Book:
        return self.records.get(Book, self.file_id)

    def extra_problems(self) -> list[str]:
        if self.db.query("SELECT id FROM book") != [(self.file_id,)]:
            return ["The file does not hold exactly one book record, the one its identity names."]
        return []
