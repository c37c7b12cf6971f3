"""What a drill asks of the team: reach these people, request these logs.

A drill is generated from the readiness book. It picks the contacts verified least recently
(never-verified ones first) and the systems whose logs were obtained least recently (never
first), or exactly the ones named, and words one task for each:

- "reach NAME through CHANNEL and ask for DOCUMENT" (an engagement in the drill case);
- "request the logs of SYSTEM (LOGS) from OWNER" (an evidence request).

Pure: the book's records in, a plan out. ``casefile/drilling.py`` writes the plan into a case.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from irdesk.domain.book import BookContact
from irdesk.domain.enums import ContactKind
from irdesk.domain.errors import BadInput
from irdesk.domain.records import Record, System

R = TypeVar("R", bound=Record)

DEFAULT_CONTACTS = 2  # when nothing is named and no count is given
DEFAULT_SYSTEMS = 1
MAX_PICKS = 50  # a drill is a small exercise: more than this is a typo

# What to ask each kind of contact for: a document a responder would need from them in an
# incident, so the drill tests both the channel and that the document exists and is current.
DOCUMENTS: dict[ContactKind, str] = {
    ContactKind.INTERNAL: "the current on-call rota and who stands in for them",
    ContactKind.VENDOR: "the incident-support terms of the contract: the SLA and who may call",
    ContactKind.LAW_ENFORCEMENT: "the current procedure and form for reporting a cybercrime",
    ContactKind.REGULATOR: "the current breach-notification form and where to send it",
    ContactKind.LEGAL: "the pre-approved template for notices to customers",
    ContactKind.COMMUNICATIONS: "the holding statement for a security incident",
    ContactKind.OTHER: "their current contact details and who stands in for them",
}


@dataclass(frozen=True)
class ContactTask:
    contact: BookContact
    channel: str  # "phone +31 10 555 0142", or "" when the directory has no channel
    document: str

    def sentence(self) -> str:
        how = self.channel or "a channel the directory does not have yet (find one, then add it)"
        return f"Drill: reach {self.contact.name} through {how} and ask for {self.document}"


@dataclass(frozen=True)
class SystemTask:
    system: System
    owner: BookContact | None  # the system's owner in the directory, if it has one

    def sentence(self) -> str:
        logs = f" ({self.system.logs})" if self.system.logs.strip() else ""
        if self.owner is not None:
            source = self.owner.name
        elif self.system.access_from.strip():
            source = self.system.access_from.strip()
        else:
            source = "its owner (the book names none: find out who)"
        return f"Drill: request the logs of {self.system.name}{logs} from {source}"


@dataclass(frozen=True)
class DrillPlan:
    contacts: list[ContactTask]
    systems: list[SystemTask]

    @property
    def tasks(self) -> int:
        return len(self.contacts) + len(self.systems)

    def sentences(self) -> list[str]:
        return [t.sentence() for t in self.contacts] + [t.sentence() for t in self.systems]

    def people(self) -> list[BookContact]:
        """Every directory entry the drill case needs: those to reach and the systems' owners."""
        found: dict[str, BookContact] = {t.contact.id: t.contact for t in self.contacts}
        for t in self.systems:
            if t.owner is not None:
                found.setdefault(t.owner.id, t.owner)
        return list(found.values())

    def title(self, day: date) -> str:
        """'Drill 2026-12-01: reach 2 contact(s), request logs of 1 system(s)' (a part with none left out)."""
        parts = ([f"reach {len(self.contacts)} contact(s)"] if self.contacts else []) + (
            [f"request logs of {len(self.systems)} system(s)"] if self.systems else [])
        return f"Drill {day.isoformat()}: {', '.join(parts)}"


def channel_of(contact: BookContact) -> str:
    """The channel a drill tests: the out-of-band one first (what a compromise leaves working),
    then the phone, then e-mail."""
    if contact.out_of_band.strip():
        return f"the out-of-band channel {contact.out_of_band.strip()}"
    if contact.phone.strip():
        return f"phone {contact.phone.strip()}"
    if contact.email.strip():
        return f"e-mail {contact.email.strip()}"
    return ""


def least_recently_verified(contacts: Iterable[BookContact]) -> list[BookContact]:
    """Live contacts, never verified first, then the longest ago, then by name."""
    live = [c for c in contacts if not c.deleted]
    return sorted(live, key=lambda c: (c.last_verified is not None, c.last_verified or date.min, c.name.casefold()))


def least_recently_obtained(systems: Iterable[System]) -> list[System]:
    """Live systems, logs never obtained first, then the longest ago, then by name."""
    live = [s for s in systems if not s.deleted]
    return sorted(live, key=lambda s: (s.last_obtained_on is not None, s.last_obtained_on or date.min,
                                       s.name.casefold()))


def _choose(ranked: Sequence[R], named: Sequence[str], count: int | None, default: int, what: str) -> list[R]:
    by_id: dict[str, R] = {r.id: r for r in ranked}
    chosen: dict[str, R] = {}
    for given in named:
        found = by_id.get(given.strip())
        if found is None:
            raise BadInput(f"The book has no {what} with the id {given.strip()[:80]!r}.")
        chosen.setdefault(found.id, found)
    if count is None:
        count = len(chosen) if named else default
    if count < len(chosen):
        raise BadInput(f"You named {len(chosen)} {what}s but asked for {count}.")
    if count > MAX_PICKS:
        raise BadInput(f"A drill takes at most {MAX_PICKS} {what}s.")
    for r in ranked:
        if len(chosen) >= count:
            break
        chosen.setdefault(r.id, r)
    return list(chosen.values())


def plan_drill(contacts: Iterable[BookContact], systems: Iterable[System], *,
               contact_count: int | None = None, system_count: int | None = None,
               named_contacts: Sequence[str] = (), named_systems: Sequence[str] = ()) -> DrillPlan:
    """Pick who to reach and which logs to request.

    With nothing named and no count, the ``DEFAULT_CONTACTS`` contacts verified least recently
    and the ``DEFAULT_SYSTEMS`` systems obtained least recently. Naming some contacts or systems
    picks exactly those (and, of the other kind, only what a count asks for); a count tops the
    named ones up with the least recently verified.

    Raises:
        BadInput: an id the book does not hold (or a deleted one), a count below the number
            named or above ``MAX_PICKS``, or nothing at all to drill.
    """
    directory = list(contacts)
    anything_named = bool(named_contacts or named_systems)
    people = _choose(least_recently_verified(directory), named_contacts, contact_count,
                     0 if anything_named else DEFAULT_CONTACTS, "contact")
    machines = _choose(least_recently_obtained(systems), named_systems, system_count,
                       0 if anything_named else DEFAULT_SYSTEMS, "system")
    if not people and not machines:
        raise BadInput("There is nothing to drill: the book has no contacts or systems yet (or none were asked for).")
    owners: Mapping[str, BookContact] = {c.id: c for c in directory if not c.deleted}
    return DrillPlan(
        [ContactTask(c, channel_of(c), DOCUMENTS.get(c.kind, DOCUMENTS[ContactKind.OTHER])) for c in people],
        [SystemTask(s, owners.get(s.owner_id or "")) for s in machines],
    )
