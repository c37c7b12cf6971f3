"""A case that starts from the readiness book: the directory's contacts, the systems and the
book's readiness checklist are copied in, keeping the contacts' and systems' UUIDs, so that
filing the case later updates the very same directory entries and systems."""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from typing import Any

from irdesk.casefile.book_store import BookFile
from irdesk.casefile.store import CaseFile
from irdesk.domain.book import BookContact
from irdesk.domain.moment import Moment
from irdesk.domain.records import ChecklistItem, Contact, System

_STAMPS = frozenset({"id", "rev", "parent_rev", "created", "updated", "author", "deleted"})


@dataclass(frozen=True)
class Started:
    contacts: int
    checklist: int
    systems: int = 0

    def sentence(self) -> str:
        return (f"Started from the book: {self.contacts} contact(s), {self.systems} system(s), "
                f"{self.checklist} checklist item(s).")


def contact_from_directory(entry: BookContact, *, now: Moment, actor: str) -> Contact:
    """The case contact for a directory entry: the same id and every field a case contact has."""
    fields: dict[str, Any] = {f.name: getattr(entry, f.name) for f in dataclasses.fields(Contact)
              if f.name not in _STAMPS and hasattr(entry, f.name)}
    return Contact(id=entry.id, rev=str(uuid.uuid4()), parent_rev=None, created=now, updated=now, author=actor,
                   **fields)


def start_from_book(case: CaseFile, book: BookFile) -> Started:
    """Copy the book's live contacts, systems and checklist into ``case`` (in the caller's transaction)."""
    with book.verified():
        entries = book.records.all(BookContact)
        systems = book.records.all(System)
        checklist = sorted(book.records.all(ChecklistItem), key=lambda i: i.position)
    source = f"from the book {book.book_id} at chain head {book.chain_head}"
    with case.transaction():
        # said once for the whole case too, so an empty book's case still knows where it started
        case.chain.append(action="start", entity="file", entity_id=case.case_id, source=source)
        now = case.clock()
        for entry in entries:
            case.records.put(contact_from_directory(entry, now=now, actor=case.actor), action="create", source=source)
        for system in systems:  # the same record, its owner the same contact (the ids are kept)
            case.records.put(dataclasses.replace(system, rev=str(uuid.uuid4()), parent_rev=None, created=now,
                                                 updated=now, author=case.actor), action="create", source=source)
        start = max((i.position for i in case.records.all(ChecklistItem)), default=-1) + 1
        for n, item in enumerate(checklist):
            case.records.create(ChecklistItem, text=item.text, done=False, position=start + n)
    return Started(len(entries), len(checklist), len(systems))


def started_from(case: CaseFile, book_id: str) -> bool:
    """True when ``case`` was started from the book ``book_id`` (its audit chain says so)."""
    return bool(case.db.scalar("SELECT 1 FROM audit WHERE source LIKE ? LIMIT 1",
                               (f"from the book {book_id} at chain head %",)))
