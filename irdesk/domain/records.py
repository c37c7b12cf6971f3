"""The records a case file holds, as immutable dataclasses.

Every record has a UUID identity, a revision id and its parent revision (so two copies
of a case can merge), created/updated moments, an author and a tombstone flag.
Changing a record means building a new revision with ``dataclasses.replace``; the case
file stamps it and keeps the old one.

**Records evolve without rewriting history.** Each field belongs to the format version
that added it: its record type's ``FORMAT``, or, for a field added to an existing type
later, the version given with ``added_in``. Those later fields must have a default, and the
canonical JSON leaves them out while they hold it (``canonical.to_dict``), so adding one
changes the hash of no existing record and no audit entry. docs/FORMAT.md lists every
field with its version; tests/domain/test_canonical.py holds the two to each other.
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar, NewType

from irdesk.domain.enums import (
    ActionStatus,
    CaseStatus,
    ContactKind,
    CustodyAction,
    EvidenceKind,
    EvidenceStatus,
    Gap,
    IndicatorKind,
    Phase,
    RecordKind,
    Resolution,
    Severity,
    Tlp,
)
from irdesk.domain.moment import Moment

RecordId = NewType("RecordId", str)


def new_id() -> RecordId:
    return RecordId(str(uuid.uuid4()))


FORMAT_KEY = "format"  # where ``added_in`` keeps a field's format version in its metadata


def added_in(version: int, default: Any) -> Any:
    """Declare a field that format ``version`` added to an existing record type.

    The canonical JSON omits it while it holds ``default``, so records written before it
    existed keep their hashes.
    """
    return dataclasses.field(default=default, metadata={FORMAT_KEY: version})


@dataclass(frozen=True, kw_only=True)
class Record:
    """Fields every record carries. ``KIND`` names its table and its entries in the chain;
    ``FORMAT`` is the format version that added the record type (and its own fields)."""

    KIND: ClassVar[RecordKind]
    FORMAT: ClassVar[int] = 1

    id: RecordId
    rev: str
    parent_rev: str | None
    created: Moment
    updated: Moment
    author: str
    deleted: bool = False


KEY_TIMES = (
    "first_activity_at",
    "detected_at",
    "reported_at",
    "contained_at",
    "eradicated_at",
    "recovered_at",
    "closed_at",
)
SUMMARY_FIELDS = ("cause", "effects", "handling", "worked", "failed")


@dataclass(frozen=True, kw_only=True)
class Case(Record):
    """The incident itself: marking, status, key times and the post-incident summary."""

    KIND: ClassVar[RecordKind] = RecordKind.CASE

    title: str
    codename: str = ""
    severity: Severity = Severity.MEDIUM
    tlp: Tlp = Tlp.AMBER
    drill: bool = False
    status: CaseStatus = CaseStatus.OPEN
    first_activity_at: Moment | None = None
    detected_at: Moment | None = None
    reported_at: Moment | None = None
    contained_at: Moment | None = None
    eradicated_at: Moment | None = None
    recovered_at: Moment | None = None
    closed_at: Moment | None = None
    cause: str = ""
    effects: str = ""
    handling: str = ""
    worked: str = ""
    failed: str = ""
    # VERIS 1.4 classification (irdesk.domain.veris): what a VERIS record needs, in its terms.
    veris_discovery: str = added_in(7, "")  # internal/Log review, external/Customer, unknown…
    veris_actors: tuple[str, ...] = added_in(7, ())  # external/Organized crime, partner…
    veris_actions: tuple[str, ...] = added_in(7, ())  # malware/Ransomware, hacking/Use of stolen creds…
    veris_assets: tuple[str, ...] = added_in(7, ())  # S - File, U - Desktop, Unknown…


@dataclass(frozen=True, kw_only=True)
class Note(Record):
    """A timestamped note in one phase; ``gap`` marks where the response slowed down."""

    KIND: ClassVar[RecordKind] = RecordKind.NOTE

    phase: Phase
    body: str
    occurred: Moment
    gap: Gap | None = None
    tags: tuple[str, ...] = ()
    attack: tuple[str, ...] = added_in(7, ())  # ATT&CK technique ids (irdesk.domain.attack)


@dataclass(frozen=True, kw_only=True)
class Evidence(Record):
    KIND: ClassVar[RecordKind] = RecordKind.EVIDENCE

    label: str
    kind: EvidenceKind = EvidenceKind.OTHER
    source_system: str = ""
    status: EvidenceStatus = EvidenceStatus.NEEDED
    unavailable_reason: str = ""
    requested_from: RecordId | None = None
    requested_at: Moment | None = None
    collected_at: Moment | None = None
    holder: str = ""
    location: str = ""
    path: str = ""
    size: int | None = None
    sha256: str = ""
    attachment_id: RecordId | None = None


@dataclass(frozen=True, kw_only=True)
class CustodyEvent(Record):
    """One link in an evidence item's chain of custody. Append-only."""

    KIND: ClassVar[RecordKind] = RecordKind.CUSTODY

    evidence_id: RecordId
    action: CustodyAction
    at: Moment
    by_whom: str
    to_whom: str = ""
    location: str = ""
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class Contact(Record):
    KIND: ClassVar[RecordKind] = RecordKind.CONTACT

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
    notes: str = added_in(4, "")  # free text (vCard NOTE): escalation, when to call, what to ask


@dataclass(frozen=True, kw_only=True)
class Engagement(Record):
    """One time a contact was needed: needed → first attempt → reached → resolved."""

    KIND: ClassVar[RecordKind] = RecordKind.ENGAGEMENT

    contact_id: RecordId
    purpose: str
    needed_at: Moment
    first_attempt_at: Moment | None = None
    reached_at: Moment | None = None
    resolved_at: Moment | None = None
    outcome: str = ""


@dataclass(frozen=True, kw_only=True)
class ActionItem(Record):
    """A lesson turned into work; the case closes only when each is tested or waived."""

    KIND: ClassVar[RecordKind] = RecordKind.ACTION

    title: str
    source_note_id: RecordId | None = None
    owner: str = ""
    due: date | None = None
    status: ActionStatus = ActionStatus.PROPOSED
    waived_reason: str = ""
    verification: str = ""


@dataclass(frozen=True, kw_only=True)
class Attachment(Record):
    """A small file stored encrypted inside the case; the bytes live beside the record."""

    KIND: ClassVar[RecordKind] = RecordKind.ATTACHMENT

    name: str
    media_type: str = "application/octet-stream"
    size: int
    sha256: str


@dataclass(frozen=True, kw_only=True)
class ChecklistItem(Record):
    """A readiness item on the Preparation tab."""

    KIND: ClassVar[RecordKind] = RecordKind.CHECKLIST

    text: str
    done: bool = False
    position: int = 0


@dataclass(frozen=True, kw_only=True)
class ReportIssue(Record):
    """A report made from this case: its id, the chain head it covered and who signed it."""

    KIND: ClassVar[RecordKind] = RecordKind.REPORT

    report_id: str
    chain_head: str
    signer_name: str = ""
    signer_fingerprint: str = ""
    signed: bool = False


@dataclass(frozen=True, kw_only=True)
class Indicator(Record):
    """An indicator of compromise seen in this case (for threat-intelligence exports)."""

    KIND: ClassVar[RecordKind] = RecordKind.INDICATOR
    FORMAT: ClassVar[int] = 2

    kind: IndicatorKind
    value: str
    description: str = ""
    source_note_id: RecordId | None = None
    first_seen: Moment | None = None
    attack: tuple[str, ...] = added_in(7, ())  # ATT&CK technique ids (irdesk.domain.attack)


@dataclass(frozen=True, kw_only=True)
class Settlement(Record):
    """A conflict a merge left, settled: which competing version of which record, and how.

    It is a record of its own (since format 3), so it is chained like any change and travels
    with hand-off copies and merges: every copy agrees on which conflicts are still open.
    """

    KIND: ClassVar[RecordKind] = RecordKind.SETTLEMENT
    FORMAT: ClassVar[int] = 3

    record_kind: RecordKind
    record_id: RecordId
    settled_rev: str  # the competing revision that was settled
    how: Resolution


RECORD_TYPES: tuple[type[Record], ...] = (
    Case,
    Note,
    Evidence,
    CustodyEvent,
    Contact,
    Engagement,
    ActionItem,
    Attachment,
    ChecklistItem,
    ReportIssue,
    Indicator,
    Settlement,
)
BY_KIND: dict[str, type[Record]] = {cls.KIND: cls for cls in RECORD_TYPES}


@dataclass(frozen=True)
class Revision:
    """An earlier (or, after a merge, a competing) version of a record."""

    record: Record
    superseded: Moment
    conflict: bool = False
