"""What a report shows, read from the case in one pass: plain data, no reportlab.

The snapshot is taken on whatever thread reads the case; layout and signing can then run
anywhere without touching the database.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from irdesk.casefile.store import CaseFile
from irdesk.domain.enums import Phase
from irdesk.domain.metrics import KeyDurations, Wait, evidence_waits, key_durations, person_waits
from irdesk.domain.moment import Moment
from irdesk.domain.records import (
    ActionItem,
    Case,
    Contact,
    CustodyEvent,
    Engagement,
    Evidence,
    Note,
)


def new_report_id() -> str:
    """A report id that is short enough to print on every page: 'IR-' and 12 hex digits."""
    return "IR-" + uuid.uuid4().hex[:12].upper()


@dataclass(frozen=True)
class Signer:
    """Who the report says signed it (shown on the cover; the signature itself proves it)."""

    name: str
    fingerprint: str


@dataclass(frozen=True)
class ReportContent:
    case: Case
    case_id: str
    fingerprint: str  # the case fingerprint (four groups of four hex digits)
    chain_head: str
    chain_length: int
    report_id: str
    made_at: Moment
    responder: str
    durations: KeyDurations
    notes: dict[Phase, list[Note]]
    person_waits: list[Wait]
    evidence_waits: list[Wait]
    evidence: list[Evidence]
    custody: dict[str, list[CustodyEvent]]
    contacts: list[Contact]
    engagements: dict[str, list[Engagement]]
    actions: list[ActionItem]
    signer: Signer | None = None
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def gap_notes(self) -> list[Note]:
        found = [n for phase in Phase for n in self.notes[phase] if n.gap is not None]
        return sorted(found, key=lambda n: n.occurred.utc)


def gather(
    case: CaseFile, *, responder: str, signer: Signer | None = None, report_id: str | None = None
) -> ReportContent:
    """Read everything the report shows from ``case`` (live records only).

    The whole case is vouched for first: a report is never made from a case the audit chain
    does not vouch for (``TamperedCase``), so nothing is signed, written or recorded.
    """
    with case.verified():
        return _gather(case, responder=responder, signer=signer, report_id=report_id)


def _gather(case: CaseFile, *, responder: str, signer: Signer | None, report_id: str | None) -> ReportContent:
    record = case.case()
    now = case.clock()
    notes: dict[Phase, list[Note]] = {phase: [] for phase in Phase}
    for note in case.notes.page():
        notes[note.phase].append(note)
    contacts = case.records.all(Contact)
    everyone: dict[str, Contact] = {c.id: c for c in case.records.all(Contact, include_deleted=True)}
    engagements = case.records.all(Engagement)
    by_contact: dict[str, list[Engagement]] = {}
    for e in sorted(engagements, key=lambda e: e.needed_at.utc):
        by_contact.setdefault(e.contact_id, []).append(e)
    evidence = case.records.all(Evidence)
    custody: dict[str, list[CustodyEvent]] = {}
    for event in sorted(case.records.all(CustodyEvent), key=lambda e: e.at.utc):
        custody.setdefault(event.evidence_id, []).append(event)
    actions = sorted(
        case.records.all(ActionItem), key=lambda a: (a.due is None, a.due or now.utc.date(), a.title)
    )
    return ReportContent(
        case=record,
        case_id=case.case_id,
        fingerprint=case.fingerprint(),
        chain_head=case.chain_head,
        chain_length=case.chain_length,
        report_id=report_id or new_report_id(),
        made_at=now,
        responder=responder,
        durations=key_durations(record),
        notes=notes,
        person_waits=person_waits(engagements, everyone, now),
        evidence_waits=evidence_waits(evidence, now),
        evidence=evidence,
        custody=custody,
        contacts=contacts,
        engagements=by_contact,
        actions=actions,
        signer=signer,
        counts=case.counts(),
    )
