"""What a report shows, read from the case in one pass: plain data, no reportlab.

The snapshot is taken on whatever thread reads the case; layout and signing can then run
anywhere without touching the database. Every figure is computed from the snapshot by the
functions ``irdesk show`` uses too (``domain.metrics``), measured to one "as of" moment.
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass, field
from functools import cached_property

from irdesk.casefile.store import CaseFile
from irdesk.domain.deadlines import Deadline, schedule
from irdesk.domain.enums import CaseStatus, Phase
from irdesk.domain.metrics import Glance, Wait, as_of, at_a_glance, evidence_waits, person_waits
from irdesk.domain.moment import Moment
from irdesk.domain.records import (
    SUMMARY_FIELDS,
    ActionItem,
    Case,
    Contact,
    CustodyEvent,
    Engagement,
    Evidence,
    Indicator,
    Note,
    Notification,
    Regime,
    ReportIssue,
)
from irdesk.report.history import History


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
    notes: dict[Phase, list[Note]]
    evidence: list[Evidence]
    custody: dict[str, list[CustodyEvent]]
    contacts: list[Contact]
    engagements: dict[str, list[Engagement]]  # by contact id, in the order they were needed
    actions: list[ActionItem]
    indicators: list[Indicator] = field(default_factory=list)
    issued: list[ReportIssue] = field(default_factory=list)  # reports made from this case before
    everyone: dict[str, Contact] = field(default_factory=dict)  # contacts, deleted ones included
    signer: Signer | None = None
    counts: dict[str, int] = field(default_factory=dict)
    deadlines: list[Deadline] = field(default_factory=list)  # the regulators' clocks, as of made_at
    history: History | None = None  # the team's earlier cases, from the book (``report --book``)

    @cached_property
    def gap_notes(self) -> list[Note]:
        found = [n for phase in Phase for n in self.notes[phase] if n.gap is not None]
        return sorted(found, key=lambda n: n.occurred.utc)

    @cached_property
    def notes_by_id(self) -> dict[str, Note]:
        return {n.id: n for phase in Phase for n in self.notes[phase]}

    @property
    def as_of(self) -> Moment:
        """Open waits are measured to this moment (printed on the cover)."""
        return as_of(self.case, self.made_at)

    @cached_property
    def glance(self) -> Glance:
        return at_a_glance(
            self.case,
            engagements=self._engagements,
            contacts=self._names,
            evidence=self.evidence,
            gap_notes=self.gap_notes,
            actions=self.actions,
            made_at=self.made_at,
        )

    @cached_property
    def person_waits(self) -> list[Wait]:
        return person_waits(self._engagements, self._names, self.as_of)

    @cached_property
    def evidence_waits(self) -> list[Wait]:
        return evidence_waits(self.evidence, self.as_of)

    @property
    def _engagements(self) -> list[Engagement]:
        return [e for rows in self.engagements.values() for e in rows]

    @property
    def _names(self) -> dict[str, Contact]:
        return self.everyone or {c.id: c for c in self.contacts}

    @property
    def missing_summary(self) -> list[str]:
        """The post-incident summary fields not written yet (the report is a DRAFT while any is)."""
        return [name for name in SUMMARY_FIELDS if not getattr(self.case, name).strip()]

    @property
    def draft(self) -> bool:
        return bool(self.missing_summary)

    @property
    def interim(self) -> bool:
        return self.case.status is not CaseStatus.CLOSED


def _seen_order(indicator: Indicator) -> tuple[bool, float, str]:
    seen = indicator.first_seen
    return seen is None, seen.utc.timestamp() if seen else 0.0, indicator.value


def gather(
    case: CaseFile, *, responder: str, signer: Signer | None = None, report_id: str | None = None,
    history: History | None = None,
) -> ReportContent:
    """Read everything the report shows from ``case`` (live records only).

    The whole case is vouched for first: a report is never made from a case the audit chain
    does not vouch for (``TamperedCase``), so nothing is signed, written or recorded.
    """
    with case.verified():
        content = _gather(case, responder=responder, signer=signer, report_id=report_id)
    return dataclasses.replace(content, history=history) if history is not None else content


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
    indicators = sorted(case.records.all(Indicator), key=_seen_order)
    issued = sorted(case.records.all(ReportIssue), key=lambda r: r.created.utc)
    return ReportContent(
        case=record,
        case_id=case.case_id,
        fingerprint=case.fingerprint(),
        chain_head=case.chain_head,
        chain_length=case.chain_length,
        report_id=report_id or new_report_id(),
        made_at=now,
        responder=responder,
        notes=notes,
        evidence=evidence,
        custody=custody,
        contacts=contacts,
        engagements=by_contact,
        actions=actions,
        indicators=indicators,
        issued=issued,
        everyone=everyone,
        signer=signer,
        counts=case.counts(),
        deadlines=schedule(case.records.all(Regime), case.records.all(Notification), now),
    )
