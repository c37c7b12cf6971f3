"""Operations on the readiness book's own records: the directory, systems (a case has them
too), vendors, and taking a filed case out of the register again."""

from __future__ import annotations

from typing import Any

from irdesk.casefile.book_store import BookFile
from irdesk.casefile.container import EncryptedFile
from irdesk.casefile.operations.base import operation
from irdesk.domain.book import BookAction, BookContact, FiledEngagement, FiledEvidence, FiledGap, RegisterEntry, Vendor
from irdesk.domain.records import Contact, Record, RecordId, System

FILED_PARTS = (FiledEngagement, FiledEvidence, FiledGap, BookAction)  # what an entry holds besides itself


@operation
def add_book_contact(book: BookFile, name: str, **fields: Any) -> BookContact:
    return book.records.create(BookContact, name=name, **fields)


@operation
def edit_book_contact(book: BookFile, contact_id: str, **changes: Any) -> BookContact:
    return book.records.revise(BookContact, contact_id, **changes)


def _contact_kind(file: EncryptedFile) -> type[Record]:
    return BookContact if isinstance(file, BookFile) else Contact


@operation
def add_system(file: EncryptedFile, name: str, *, owner_id: str | None = None, **fields: Any) -> System:
    """A system and its log sources, in a book or a case; its owner must be one of its contacts."""
    if owner_id:
        file.records.get(_contact_kind(file), owner_id)
    return file.records.create(System, name=name, owner_id=RecordId(owner_id) if owner_id else None, **fields)


@operation
def edit_system(file: EncryptedFile, system_id: str, **changes: Any) -> System:
    if changes.get("owner_id"):
        file.records.get(_contact_kind(file), changes["owner_id"])
    return file.records.revise(System, system_id, **changes)


@operation
def add_vendor(book: BookFile, name: str, *, contact_id: str | None = None, **fields: Any) -> Vendor:
    if contact_id:
        book.records.get(BookContact, contact_id)
    return book.records.create(Vendor, name=name, contact_id=RecordId(contact_id) if contact_id else None,
                               **fields)


@operation
def edit_vendor(book: BookFile, vendor_id: str, **changes: Any) -> Vendor:
    return book.records.revise(Vendor, vendor_id, **changes)


@operation
def unfile(book: BookFile, case_id: str) -> RegisterEntry:
    """Take a filed case out of the register: its entry and everything filed with it become
    tombstones (so copies of the book merge the removal). Filing the case again revives them."""
    entry = book.records.get(RegisterEntry, case_id)
    for cls in FILED_PARTS:
        for part in book.records.select(cls, where="entry_id = ?", params=(case_id,)):
            book.records.revise(cls, part.id, deleted=True)
    return book.records.revise(RegisterEntry, entry.id, deleted=True)
