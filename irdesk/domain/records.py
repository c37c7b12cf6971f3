"""The records a case file holds, as immutable dataclasses (the book's own: ``book.py``).

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
    RegimeKind,
    Resolution,
    Severity,
    Tlp,
)
from irdesk.domain.moment import Moment

RecordId = NewType("RecordId", str)


def new_id() -> RecordId:
    return RecordId(str(uuid.uuid4()))


# The case format that added systems (and evidence's link to one): after issue 21's regimes (5).
SYSTEMS_FORMAT = 6
ATTACK_FORMAT = 7  # ATT&CK tags on notes and indicators, the case's VERIS classification (issue 20)

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
    veris_discovery: str = added_in(ATTACK_FORMAT, "")  # internal/Log review, external/Customer, unknown…
    veris_actors: tuple[str, ...] = added_in(ATTACK_FORMAT, ())  # external/Organized crime, partner…
    veris_actions: tuple[str, ...] = added_in(ATTACK_FORMAT, ())  # malware/Ransomware, hacking/Use of stolen creds…
    veris_assets: tuple[str, ...] = added_in(ATTACK_FORMAT, ())  # S - File, U - Desktop, Unknown…


@dataclass(frozen=True, kw_only=True)
class Note(Record):
    """A timestamped note in one phase; ``gap`` marks where the response slowed down."""

    KIND: ClassVar[RecordKind] = RecordKind.NOTE

    phase: Phase
    body: str
    occurred: Moment
    gap: Gap | None = None
    tags: tuple[str, ...] = ()
    attack: tuple[str, ...] = added_in(ATTACK_FORMAT, ())  # ATT&CK technique ids (irdesk.domain.attack)


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
    system_id: RecordId | None = added_in(SYSTEMS_FORMAT, None)  # the system it comes from (a ``system``)


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
    attack: tuple[str, ...] = added_in(ATTACK_FORMAT, ())  # ATT&CK technique ids (irdesk.domain.attack)


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


@dataclass(frozen=True, kw_only=True)
class Regime(Record):
    """A notification regime that applies to the case, and the times that start its clocks.

    Which trigger times a regime uses, and its stages, are in ``irdesk.domain.regimes``; a
    custom regime carries its own stages as ``"name=duration[ after stage]"``.
    """

    KIND: ClassVar[RecordKind] = RecordKind.REGIME
    FORMAT: ClassVar[int] = 5

    kind: RegimeKind
    name: str = ""  # a custom regime's name; for the others, an optional note ("Dutch DPA")
    jurisdiction: str = ""  # ISO 3166 code (DE, US, US-NY) whose holidays business days skip
    time_zone: str = ""  # IANA zone for "local time"; empty: the offset each time was entered with
    aware_at: Moment | None = None
    classified_at: Moment | None = None  # classified as major (DORA)
    determined_at: Moment | None = None  # materiality determined (SEC 8-K)
    ransom_paid_at: Moment | None = None  # ransom paid (CIRCIA)
    stages: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Notification(Record):
    """A notification sent to a regulator under one stage of a regime."""

    KIND: ClassVar[RecordKind] = RecordKind.NOTIFICATION
    FORMAT: ClassVar[int] = 5

    regime_id: RecordId
    stage: str  # the stage's key, e.g. "early-warning"
    sent_at: Moment
    contact_id: RecordId  # to whom: a contact, typically of kind regulator
    reference: str = ""
    late_reason: str = ""


@dataclass(frozen=True, kw_only=True)
class System(Record):
    """A system and its log sources: who owns it, which logs it keeps and where, for how long,
    who can grant access, and how long getting its logs took last time."""

    KIND: ClassVar[RecordKind] = RecordKind.SYSTEM
    FORMAT: ClassVar[int] = SYSTEMS_FORMAT  # in a case; a readiness book has held systems from its first format

    name: str
    owner_id: RecordId | None = None  # a contact
    logs: str = ""  # which logs it keeps
    location: str = ""  # where they are kept
    retention_days: int | None = None
    access_from: str = ""  # who can grant access to them
    last_obtained_minutes: int | None = None  # how long getting its logs took, last time
    last_obtained_on: date | None = None


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
    Regime,
    Notification,
    System,
)
BY_KIND: dict[str, type[Record]] = {cls.KIND: cls for cls in RECORD_TYPES}  # a case's kinds


@dataclass(frozen=True)
class Revision:
    """An earlier (or, after a merge, a competing) version of a record."""

    record: Record
    superseded: Moment
    conflict: bool = False
