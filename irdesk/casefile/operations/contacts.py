"""Operations on the contact book and its engagement log, and bringing contacts in."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from irdesk.casefile.container import EncryptedFile
from irdesk.casefile.errors import NotAllowed
from irdesk.casefile.operations.base import operation
from irdesk.casefile.store import CaseFile
from irdesk.domain.book import BookContact
from irdesk.domain.moment import Moment
from irdesk.domain.records import Contact, Engagement, RecordId, new_id


@operation
def add_contact(case: CaseFile, name: str, **fields: Any) -> Contact:
    return case.records.create(Contact, name=name, **fields)


@operation
def edit_contact(case: CaseFile, contact_id: str, **changes: Any) -> Contact:
    return case.records.revise(Contact, contact_id, **changes)


@operation
def add_engagement(case: CaseFile, contact_id: str, purpose: str, *, needed_at: Moment | None = None,
                   **fields: Any) -> Engagement:
    """A person is needed (now, by the case's clock, unless ``needed_at`` says when); ``fields``
    may already say when they were tried, reached and the matter resolved (a call logged later)."""
    case.records.get(Contact, contact_id)  # the contact must exist
    return case.records.create(Engagement, contact_id=RecordId(contact_id), purpose=purpose,
                               needed_at=needed_at or case.clock(), **fields)


@operation
def edit_engagement(case: CaseFile, engagement_id: str, **changes: Any) -> Engagement:
    return case.records.revise(Engagement, engagement_id, **changes)


@dataclass(frozen=True)
class IncomingContact:
    """A contact from an address book: its UID (when the card had one) and its fields."""

    uid: str | None
    fields: Mapping[str, Any]


@dataclass
class ContactImport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0

    def sentence(self) -> str:
        return f"{self.added} contact(s) added, {self.updated} updated, {self.unchanged} already up to date."


@operation
def import_contacts(case: EncryptedFile, incoming: Sequence[IncomingContact], *, source: str,
                    cls: type[Contact] | type[BookContact] = Contact) -> ContactImport:
    """Add each contact, or update the one it already is: the same UID, else (for a card
    without one) the same name and e-mail address. ``cls``: a case's contacts, or a book's
    directory (``BookContact``)."""
    summary = ContactImport()
    seen: set[str] = set()
    by_name_and_email: dict[tuple[str, str], Contact | BookContact] = {
        (c.name, c.email): c for c in case.records.all(cls)}
    for item in incoming:
        if item.uid is not None and item.uid in seen:
            raise NotAllowed(f"The file holds two cards with the UID {item.uid}.")
        if item.uid is not None:
            seen.add(item.uid)
            current = case.records.find(cls, item.uid)
        else:
            current = by_name_and_email.get((str(item.fields.get("name", "")), str(item.fields.get("email", ""))))
        now = case.clock()
        if current is None:
            record = cls(id=RecordId(item.uid) if item.uid else new_id(), rev=str(uuid.uuid4()),
                             parent_rev=None, created=now, updated=now, author=case.actor, **item.fields)
            case.records.put(record, action="import", source=source)
            summary.added += 1
            continue
        changed = dataclasses.replace(current, deleted=False, **item.fields)
        if changed == current:
            summary.unchanged += 1
            continue
        case.records.put(dataclasses.replace(changed, rev=str(uuid.uuid4()), parent_rev=current.rev,
                                             updated=now, author=case.actor), action="import", source=source)
        summary.updated += 1
    return summary
