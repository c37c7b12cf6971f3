"""The records of the readiness book (``.irbook``): the team's preparation and what each
filed incident and drill measured.

A book holds no note text: its register keeps figures and labels only (``docs/BOOK.md``
lists exactly which fields are copied from a case). Records that come from a case keep
that case's UUIDs (a register entry is the case's id, a filed engagement the engagement's),
so filing the same case again revises them instead of adding new ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from irdesk.domain.enums import ActionStatus, ContactKind, EvidenceStatus, Gap, RecordKind, Severity, Tlp
from irdesk.domain.moment import Moment
from irdesk.domain.records import ChecklistItem, Record, RecordId, ReportIssue, Settlement, System

STALE_AFTER_DAYS = 180  # a contact not verified for this long is stale


@dataclass(frozen=True, kw_only=True)
class Book(Record):
    """The book itself: its title and marking."""

    KIND: ClassVar[RecordKind] = RecordKind.BOOK

    title: str
    tlp: Tlp = Tlp.AMBER
    stale_after_days: int = STALE_AFTER_DAYS


@dataclass(frozen=True, kw_only=True)
class BookContact(Record):
    """A directory entry: everything a case contact has, plus escalation and on-call notes."""

    KIND: ClassVar[RecordKind] = RecordKind.BOOK_CONTACT

    name: str
    organisation: str = ""
    team: str = ""
    role: str = ""
    kind: ContactKind = ContactKind.INTERNAL
    phone: str = ""
    email: str = ""
    out_of_band: str = ""
    grants_access: str = ""
    last_verified: date | None = None
    notes: str = ""
    escalation: str = ""  # whom to go to when this person does not answer
    on_call: str = ""  # how and when they are on call
    last_reached: date | None = None  # the last time an incident or drill reached them


@dataclass(frozen=True, kw_only=True)
class Vendor(Record):
    """A vendor and its contract: support line, SLA, contract reference, who may call them."""

    KIND: ClassVar[RecordKind] = RecordKind.VENDOR

    name: str
    support_line: str = ""
    sla: str = ""
    contract_ref: str = ""
    may_call: str = ""
    contact_id: RecordId | None = None  # the account manager in the directory


@dataclass(frozen=True, kw_only=True)
class RegisterEntry(Record):
    """One filed case or drill (its id is the case's): marking, key times, when it was filed."""

    KIND: ClassVar[RecordKind] = RecordKind.REGISTER

    title: str
    codename: str = ""
    tlp: Tlp = Tlp.AMBER
    drill: bool = False
    severity: Severity = Severity.MEDIUM
    first_activity_at: Moment | None = None
    detected_at: Moment | None = None
    reported_at: Moment | None = None
    contained_at: Moment | None = None
    eradicated_at: Moment | None = None
    recovered_at: Moment | None = None
    closed_at: Moment | None = None
    filed_at: Moment
    case_head: str = ""  # the case's audit-chain head when it was last filed


@dataclass(frozen=True, kw_only=True)
class FiledEngagement(Record):
    """One engagement's times, filed from a case (its id is the engagement's)."""

    KIND: ClassVar[RecordKind] = RecordKind.FILED_ENGAGEMENT

    entry_id: RecordId
    contact_id: RecordId
    contact_name: str
    needed_at: Moment
    first_attempt_at: Moment | None = None
    reached_at: Moment | None = None
    resolved_at: Moment | None = None


@dataclass(frozen=True, kw_only=True)
class FiledEvidence(Record):
    """One evidence item's time to obtain, filed from a case (its id is the item's)."""

    KIND: ClassVar[RecordKind] = RecordKind.FILED_EVIDENCE

    entry_id: RecordId
    label: str
    system_id: RecordId | None = None
    system_name: str = ""
    status: EvidenceStatus = EvidenceStatus.NEEDED
    unavailable_reason: str = ""
    requested_at: Moment | None = None
    collected_at: Moment | None = None


@dataclass(frozen=True, kw_only=True)
class FiledGap(Record):
    """How often a case slowed down for one reason, and with whom or what (``subject``)."""

    KIND: ClassVar[RecordKind] = RecordKind.FILED_GAP

    entry_id: RecordId
    category: Gap
    subject: str = ""  # a system, team or vendor; "" when the case did not say
    count: int = 1


@dataclass(frozen=True, kw_only=True)
class BookAction(Record):
    """A filed case's action item (its id is the item's): owner, due date, status, verification."""

    KIND: ClassVar[RecordKind] = RecordKind.BOOK_ACTION

    entry_id: RecordId
    title: str
    owner: str = ""
    due: date | None = None
    status: ActionStatus = ActionStatus.PROPOSED
    waived_reason: str = ""
    verification: str = ""


BOOK_RECORD_TYPES: tuple[type[Record], ...] = (
    Book,
    BookContact,
    System,
    Vendor,
    RegisterEntry,
    FiledEngagement,
    FiledEvidence,
    FiledGap,
    BookAction,
    ChecklistItem,
    Settlement,
    ReportIssue,  # a programme report issued from the book (book format 2)
)
