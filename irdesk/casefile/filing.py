"""Filing a case (or a drill) into the readiness book: figures and labels in, never note text.

``file_case`` reads the case through its verified reader (every record it copies is compared
with the case's chain) and writes, in one transaction of the book:

- the register entry (its id is the case's): title, codename, marking, drill flag, key times;
- each engagement's times with the contact's name, each evidence item's time to obtain with
  its system and (when unavailable) its reason, the gaps by category and subject, and the
  action items with owner, due date, status and verification note;
- the directory: changed phone numbers, e-mail addresses and out-of-band channels (the newer
  change wins; the older stays in the contact's history), "last reached", and a contact
  reached during the case counts as verified on that date;
- each system's last observed time to obtain its logs.

Filing again revises the same records (ids come from the case), so an unchanged case writes
nothing at all, and what was filed before but is gone from the case becomes a tombstone.
``docs/BOOK.md`` lists exactly which fields are copied.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from irdesk.casefile.book_store import BookFile
from irdesk.casefile.errors import NotAllowed
from irdesk.casefile.notes import NoteFilter
from irdesk.casefile.operations.base import operation
from irdesk.casefile.operations.book import FILED_PARTS
from irdesk.casefile.store import CaseFile
from irdesk.domain.book import BookAction, BookContact, FiledEngagement, FiledEvidence, FiledGap, RegisterEntry
from irdesk.domain.readiness import case_gaps, gap_id
from irdesk.domain.records import ActionItem, Case, Contact, Engagement, Evidence, Record, RecordId, System

R = TypeVar("R", bound=Record)
CHANNELS = ("phone", "email", "out_of_band")  # what a case may update in the directory


@dataclass(frozen=True)
class CaseFigures:
    """What a case gives the book, read in one verified pass (labels and figures only)."""

    case: Case
    chain_head: str
    contacts: list[Contact]
    engagements: list[Engagement]
    evidence: list[Evidence]
    actions: list[ActionItem]
    gaps: dict[tuple[Any, str], int]


@dataclass
class Filing:
    """What a filing did, for the command line and the GUI to say."""

    entry: RegisterEntry
    first: bool  # the case was not in the register before (or had been unfiled)
    changed: int = 0  # records written in the book
    contacts_updated: list[str] = field(default_factory=list)
    contacts_added: list[str] = field(default_factory=list)
    not_in_book: list[Contact] = field(default_factory=list)  # offered for adding
    systems_updated: list[str] = field(default_factory=list)

    def sentence(self) -> str:
        if not self.changed:
            return f"“{self.entry.title}” is already filed as it is; the book is unchanged."
        verb = "Filed" if self.first else "Updated the filing of"
        parts = [f"{verb} “{self.entry.title}”"]
        if self.contacts_updated:
            parts.append(f"{len(self.contacts_updated)} contact(s) updated")
        if self.contacts_added:
            parts.append(f"{len(self.contacts_added)} added to the directory")
        if self.systems_updated:
            parts.append(f"{len(self.systems_updated)} system(s) with a new time to obtain logs")
        return ", ".join(parts) + "."


def read_case(case: CaseFile, subjects: Iterable[str]) -> CaseFigures:
    """The figures of ``case``, from one consistent state, each record read through the verified
    reader (a record the chain does not vouch for is refused, exit 4, and nothing is filed).

    Only what filing copies is read, so a 20k-note case costs its gap notes, not 20k hashes.
    """
    with case.snapshot():
        contacts = case.records.all(Contact)
        engagements = case.records.all(Engagement)
        evidence = case.records.all(Evidence)
        gap_notes = case.notes.page(NoteFilter(gaps_only=True))
        gaps = case_gaps(gap_notes, evidence, engagements, {c.id: c for c in contacts}, subjects)
        return CaseFigures(case.case(), case.chain_head, contacts, engagements, evidence,
                           case.records.all(ActionItem), gaps)


def subjects_of(book: BookFile) -> list[str]:
    """Names a gap's tag may match: systems, teams, organisations and vendors in the book."""
    from irdesk.domain.book import Vendor

    names = [s.name for s in book.records.all(System)] + [v.name for v in book.records.all(Vendor)]
    for c in book.records.all(BookContact):
        names += [c.team, c.organisation]
    return [n for n in names if n.strip()]


@operation
def file_case(book: BookFile, case: CaseFile, *, accept_tlp: bool = False, add_contacts: bool = False) -> Filing:
    """File ``case`` into ``book`` (see the module's docstring); one transaction of the book.

    Raises:
        NotAllowed: the case is marked stricter than the book and ``accept_tlp`` is not given.
    """
    figures = read_case(case, subjects_of(book))
    marking, book_marking = figures.case.tlp, book.book().tlp
    if marking.rank > book_marking.rank and not accept_tlp:
        raise NotAllowed(f"The case is marked {marking.label}, stricter than the book's {book_marking.label}; "
                         "file it with --accept-tlp to keep it in the book under its own marking.")
    return _Filer(book, figures, add_contacts).run()


class _Filer:
    def __init__(self, book: BookFile, figures: CaseFigures, add_contacts: bool) -> None:
        self.book, self.f, self.add_contacts = book, figures, add_contacts
        self.source = f"filed from case {figures.case.id} at chain head {figures.chain_head}"
        self.changed = 0

    def run(self) -> Filing:
        c = self.f.case
        previous = self.book.records.find(RegisterEntry, c.id)
        first = previous is None or previous.deleted
        filed_at = self.book.clock() if previous is None else previous.filed_at
        entry = self._upsert(RegisterEntry, c.id, title=c.title, codename=c.codename, tlp=c.tlp, drill=c.drill,
                             severity=c.severity, first_activity_at=c.first_activity_at,
                             detected_at=c.detected_at, reported_at=c.reported_at, contained_at=c.contained_at,
                             eradicated_at=c.eradicated_at, recovered_at=c.recovered_at, closed_at=c.closed_at,
                             filed_at=filed_at, case_head=self.f.chain_head)
        filing = Filing(entry, first)
        self._parts(entry.id)
        self._directory(filing)
        self._systems(filing)
        filing.changed = self.changed
        return filing

    # ------------------------------------------------------------ the register
    def _upsert(self, cls: type[R], record_id: str, **fields: Any) -> R:
        """The record with this id made to hold ``fields``: added, revived, revised, or left."""
        current = self.book.records.find(cls, record_id)
        if current is None:
            now = self.book.clock()
            record = cls(id=RecordId(record_id), rev=str(uuid.uuid4()), parent_rev=None, created=now,
                         updated=now, author=self.book.actor, **fields)
            self.book.records.put(record, action="file", source=self.source)
            self.changed += 1
            return record
        revised = self.book.records.revise(cls, record_id, deleted=False, **fields)
        self.changed += revised.rev != current.rev
        return revised

    def _parts(self, entry_id: RecordId) -> None:
        names = {c.id: c.name for c in self.f.contacts}
        wanted: dict[type[Record], set[str]] = {cls: set() for cls in FILED_PARTS}
        for e in self.f.engagements:
            wanted[FiledEngagement].add(e.id)
            self._upsert(FiledEngagement, e.id, entry_id=entry_id, contact_id=e.contact_id,
                         contact_name=names.get(e.contact_id, "(a deleted contact)"), needed_at=e.needed_at,
                         first_attempt_at=e.first_attempt_at, reached_at=e.reached_at, resolved_at=e.resolved_at)
        for item in self.f.evidence:
            wanted[FiledEvidence].add(item.id)
            self._upsert(FiledEvidence, item.id, entry_id=entry_id, label=item.label,
                         system_id=item.system_id, system_name=item.source_system,
                         status=item.status, unavailable_reason=item.unavailable_reason,
                         requested_at=item.requested_at, collected_at=item.collected_at)
        for (category, subject), count in self.f.gaps.items():
            gid = gap_id(entry_id, category, subject)
            wanted[FiledGap].add(gid)
            self._upsert(FiledGap, gid, entry_id=entry_id, category=category, subject=subject, count=count)
        for a in self.f.actions:
            wanted[BookAction].add(a.id)
            self._upsert(BookAction, a.id, entry_id=entry_id, title=a.title, owner=a.owner, due=a.due,
                         status=a.status, waived_reason=a.waived_reason, verification=a.verification)
        for cls, ids in wanted.items():  # filed before, gone from the case since
            for gone in self.book.records.select(cls, where="entry_id = ?", params=(entry_id,)):
                if gone.id not in ids:
                    self.book.records.revise(cls, gone.id, deleted=True)
                    self.changed += 1

    # ------------------------------------------------------------ the directory
    def _directory(self, filing: Filing) -> None:
        reached: dict[str, date] = {}
        for e in self.f.engagements:
            if e.reached_at is not None:
                day = e.reached_at.local.date()
                reached[e.contact_id] = max(day, reached.get(e.contact_id, day))
        for contact in self.f.contacts:
            current = self.book.records.find(BookContact, contact.id)
            if current is None or current.deleted:
                if self.add_contacts:
                    self._add_contact(contact, reached.get(contact.id))
                    filing.contacts_added.append(contact.name)
                else:
                    filing.not_in_book.append(contact)
                continue
            changes: dict[str, Any] = {}
            if contact.updated.utc > current.updated.utc:  # the newer change wins
                changes.update({name: getattr(contact, name) for name in CHANNELS
                                if getattr(contact, name) and getattr(contact, name) != getattr(current, name)})
            when = reached.get(contact.id)
            if when is not None:
                day = when
                if current.last_reached is None or day > current.last_reached:
                    changes["last_reached"] = day
                if current.last_verified is None or day > current.last_verified:
                    changes["last_verified"] = day
            if changes:
                self.book.records.revise(BookContact, contact.id, **changes)
                self.changed += 1
                filing.contacts_updated.append(contact.name)

    def _add_contact(self, contact: Contact, reached: date | None) -> None:
        fields = {f.name: getattr(contact, f.name) for f in dataclasses.fields(BookContact)
                  if f.name not in _NOT_COPIED and hasattr(contact, f.name)}
        if reached is not None:
            fields["last_reached"] = reached
            fields["last_verified"] = max(reached, contact.last_verified) if contact.last_verified else reached
        self._upsert(BookContact, contact.id, **fields)

    # ------------------------------------------------------------ systems
    def _systems(self, filing: Filing) -> None:
        systems = self.book.records.all(System)
        by_id: dict[str, System] = {s.id: s for s in systems}
        by_name = {s.name.casefold(): s for s in systems}
        latest: dict[str, Evidence] = {}
        for item in self.f.evidence:
            if item.requested_at is None or item.collected_at is None:
                continue
            system = by_id.get(str(item.system_id or "")) or by_name.get(
                item.source_system.casefold())
            if system is None:
                continue
            before = latest.get(system.id)
            if before is None or before.collected_at is None or item.collected_at > before.collected_at:
                latest[system.id] = item
        for system_id, item in latest.items():
            assert item.collected_at is not None and item.requested_at is not None
            system = by_id[system_id]
            day = item.collected_at.local.date()
            if system.last_obtained_on is not None and day < system.last_obtained_on:
                continue  # a later incident measured it already
            minutes = int((item.collected_at - item.requested_at).total_seconds() // 60)
            revised = self.book.records.revise(System, system_id, last_obtained_minutes=minutes,
                                               last_obtained_on=day)
            if revised.rev != system.rev:
                self.changed += 1
                filing.systems_updated.append(system.name)


_STAMPS = frozenset({"id", "rev", "parent_rev", "created", "updated", "author", "deleted"})
# A case contact's free-text notes may hold the incident's details: the directory's own are
# written in the book, never copied from a case.
_NOT_COPIED = _STAMPS | {"notes"}
