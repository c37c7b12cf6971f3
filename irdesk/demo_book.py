"""The demo readiness book: Example Logistics' directory, systems and vendors, three past
incidents filed over the 18 months before the demo case, each handled faster than the last,
with one gap that keeps coming back (the core firewall's logs are never there in time), and
two drills between them, generated and filed the way ``irdesk drill new`` and ``book file`` do.

``irdesk demo CASE --book BOOK`` writes it, then starts the demo case from it.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from irdesk.casefile import operations as ops
from irdesk.casefile.book_store import BookFile
from irdesk.casefile.drilling import plan_from_book, start_drill
from irdesk.casefile.filing import file_case
from irdesk.casefile.operations.book import add_book_contact, add_system, add_vendor
from irdesk.casefile.starting import start_from_book
from irdesk.casefile.store import CaseFile
from irdesk.domain.book import BookContact
from irdesk.domain.enums import ActionStatus, CaseStatus, ContactKind, EvidenceStatus, Gap, Phase, Severity
from irdesk.domain.moment import Moment
from irdesk.domain.records import Contact, Engagement, Evidence, System

BOOK_TITLE = "Example Logistics — incident readiness"
CET = 60

DIRECTORY: list[dict[str, Any]] = [
    dict(name="Marta Kowalczyk", organisation="Example Logistics", team="Infrastructure",
         role="Infrastructure on-call", phone="+31 10 555 0142", email="m.kowalczyk@example.net",
         out_of_band="Signal: +31 6 5550 0142", grants_access="vCenter, storage", last_verified=date(2026, 3, 2),
         notes="Can grant span port access, router ACL changes.\nEscalate via duty phone after 18:00.",
         escalation="Infrastructure manager Joost Bakker, +31 10 555 0100",
         on_call="Rota week 1 and 3; mobile answers only after three rings"),
    dict(name="Daniel Okafor", organisation="Example Logistics", team="Legal", role="Counsel",
         kind=ContactKind.LEGAL, phone="+31 10 555 0190", email="d.okafor@example.net",
         grants_access="Approval for contractual notices", last_verified=date(2026, 9, 20),
         escalation="General counsel's office, +31 10 555 0199", on_call="Office hours; deputy out of hours"),
    dict(name="Priya Raman", organisation="NorthSea MSP", role="Service delivery manager", kind=ContactKind.VENDOR,
         phone="+31 20 555 7781", email="priya.raman@northsea-msp.example",
         grants_access="Jump hosts, service accounts", last_verified=date(2025, 11, 5),
         notes="Contract IR-7731: 4-hour response. Only the duty manager may approve changes to our jump hosts.",
         escalation="NorthSea MSP duty desk, +31 20 555 7700"),
    dict(name="Backup appliance support", organisation="VaultCo", kind=ContactKind.VENDOR,
         phone="+44 20 5550 1000", email="support@vaultco.example", grants_access="Appliance recovery",
         on_call="24/7 with contract number VC-88213"),
    dict(name="Cybercrime desk", organisation="National Police", kind=ContactKind.LAW_ENFORCEMENT,
         phone="+31 88 555 0000", last_verified=date(2026, 6, 1)),
    dict(name="Sanne de Vries", organisation="Example Logistics", team="Communications", role="Press officer",
         kind=ContactKind.COMMUNICATIONS, email="s.devries@example.net", last_verified=date(2026, 8, 14)),
]

CHECKLIST = [
    "Contacts verified in the last 90 days",
    "Access for responders arranged in advance",
    "Forensic tools ready and tested",
    "Baselines documented for critical systems",
    "Reporting channels defined (regulator, police, insurer)",
]


@dataclass(frozen=True)
class Past:
    """One past incident, its figures in hours from detection."""

    title: str
    codename: str
    detected: datetime
    detect_after: float  # first activity → detected
    contain: float
    recover: float
    reach_infra: float  # needed → reached, the infrastructure on-call
    reach_legal: float
    firewall_hours: float  # asked for firewall logs: never had them
    actions: tuple[tuple[str, str, date, ActionStatus, str], ...]


PAST = [
    Past("Business e-mail compromise at Finance", "COPPER GATE",
         datetime(2025, 4, 14, 9, 20, tzinfo=timezone(timedelta(hours=2))), 62.0, 40.0, 96.0, 7.5, 9.0, 3.0,
         (("Publish a 24/7 on-call rota for infrastructure", "Infrastructure manager", date(2025, 6, 30),
           ActionStatus.TESTED, "Rota drill on 2025-07-02 reached the on-call in 25 min."),
          ("MFA on every mailbox", "IT operations", date(2025, 7, 31), ActionStatus.TESTED,
           "Conditional-access report shows 100 % coverage."),
          ("Keep firewall logs for 90 days", "Network lead", date(2025, 9, 30), ActionStatus.ACCEPTED, ""))),
    Past("Credential stuffing on the customer portal", "SILVER KITE",
         datetime(2025, 12, 2, 14, 5, tzinfo=timezone(timedelta(hours=1))), 18.0, 14.0, 40.0, 4.0, 6.0, 2.0,
         (("Rate-limit logins on the customer portal", "Web team", date(2026, 1, 31), ActionStatus.TESTED,
           "Load test on 2026-02-03 blocked the replayed list."),
          ("Pre-approved legal template for customer notices", "Legal", date(2026, 3, 31),
           ActionStatus.IMPLEMENTED, "Template in the legal wiki; not yet used in an exercise."))),
    Past("Cryptominer on the build server", "AMBER FIELD",
         datetime(2026, 5, 19, 8, 45, tzinfo=timezone(timedelta(hours=2))), 9.0, 6.0, 20.0, 3.0, 4.5, 2.5,
         (("Baseline the build servers' outbound traffic", "Platform team", date(2026, 8, 31),
           ActionStatus.PROPOSED, ""),)),
]


@dataclass(frozen=True)
class PastDrill:
    """One past drill: whom it reached (hours to reach them, ``None``: never) and whose logs it
    obtained (hours from request to receipt, ``None``: unavailable), and what it taught."""

    started: datetime
    reach: tuple[tuple[str, float | None], ...]
    logs: tuple[tuple[str, float | None], ...]
    actions: tuple[tuple[str, str, date, ActionStatus, str], ...] = ()


PAST_DRILLS = [
    PastDrill(datetime(2025, 9, 16, 10, 0, tzinfo=timezone(timedelta(hours=2))),
              (("Priya Raman", 5.0), ("Backup appliance support", 0.75), ("Cybercrime desk", None)),
              (("Core firewall", 26.0),),
              (("Standing read-only export of the core firewall's logs for the SOC", "Network lead",
                date(2025, 12, 31), ActionStatus.IMPLEMENTED, "Export runs nightly; not yet used in a drill."),
               ("Check the police cybercrime desk's number each quarter", "SOC lead", date(2025, 10, 31),
                ActionStatus.TESTED, "Reached the desk in the February drill."))),
    PastDrill(datetime(2026, 2, 10, 9, 30, tzinfo=timezone(timedelta(hours=1))),
              (("Priya Raman", 2.0), ("Cybercrime desk", 1.5)),
              (("Core firewall", 6.0), ("JMP02", 3.0)),
              (("Ask NorthSea MSP for a named deputy of the service delivery manager", "SOC lead",
                date(2026, 4, 30), ActionStatus.ACCEPTED, ""),)),
]


def build_demo_book(path: str, passphrase: str, *, actor: str) -> None:
    """Write the demo book at ``path``: directory, systems, vendors, three filed incidents and two
    filed drills."""
    with BookFile.create(path, passphrase, title=BOOK_TITLE, actor=actor) as book:
        people = {p["name"]: add_book_contact(book, **p).value for p in DIRECTORY}
        infra, msp = people["Marta Kowalczyk"], people["Priya Raman"]
        add_system(book, "Core firewall", owner_id=infra.id, logs="traffic, VPN sessions", location="on the appliance",
                   retention_days=7, access_from="Network lead (read access needs a change ticket)")
        add_system(book, "FS01", owner_id=infra.id, logs="Windows security and SMB audit",
                   location="local event logs", retention_days=30, access_from="Infrastructure on-call")
        add_system(book, "JMP02", owner_id=msp.id, logs="Windows security", location="MSP SIEM",
                   retention_days=90, access_from="NorthSea MSP service delivery")
        add_vendor(book, "NorthSea MSP", support_line="+31 20 555 7700", sla="4 h response, 24/7",
                   contract_ref="NS-2024-117", may_call="SOC lead, IT operations manager", contact_id=msp.id)
        add_vendor(book, "VaultCo", support_line="+44 20 5550 1000", sla="next business day",
                   contract_ref="VC-88213", may_call="Backup administrators",
                   contact_id=people["Backup appliance support"].id)
        ops.add_checklist_items(book, CHECKLIST)
        folder = os.path.dirname(os.path.abspath(path))
        for past in PAST:
            _file_past(book, past, folder, passphrase, actor)
        for drill in PAST_DRILLS:
            _file_drill(book, drill, folder, passphrase, actor)


@contextlib.contextmanager
def _passing_case(folder: str) -> Iterator[str]:
    """A path for a case that lives only while it is filed, and is removed after."""
    fd, path = tempfile.mkstemp(prefix=".demo-past-", suffix=".ircase", dir=folder)
    os.close(fd)
    os.unlink(path)  # a case is never created over a file
    try:
        yield path
    finally:
        for leftover in (path, path + "-journal"):
            with contextlib.suppress(OSError):
                os.unlink(leftover)


def _file_past(book: BookFile, past: Past, folder: str, passphrase: str, actor: str) -> None:
    """Run one past incident as a case (started from the book), file it, and remove the case."""
    with _passing_case(folder) as path, CaseFile.create(path, passphrase, title=past.title, codename=past.codename,
                                                         actor=actor, fill=lambda new: start_from_book(new, book)
                                                         ) as case:
        _run_past(case, past)
        file_case(book, case)


def _file_drill(book: BookFile, drill: PastDrill, folder: str, passphrase: str, actor: str) -> None:
    """Generate one past drill from the book as ``drill new`` does, log it, file it, remove the case."""
    people = {c.name: c.id for c in book.records.all(BookContact)}
    systems = {s.name: s.id for s in book.records.all(System)}
    plan = plan_from_book(book, named_contacts=[people[name] for name, _h in drill.reach],
                          named_systems=[systems[name] for name, _h in drill.logs])
    t0 = Moment(drill.started.astimezone(UTC), CET)

    def at(hours: float) -> Moment:
        return Moment(t0.utc + timedelta(hours=hours), CET)

    with _passing_case(folder) as path, CaseFile.create(
            path, passphrase, title=plan.title(t0.local.date()), actor=actor, drill=True, tlp=book.book().tlp,
            clock=lambda: t0, fill=lambda new: start_drill(new, plan, book_id=book.book_id,
                                                           book_head=book.chain_head)) as case:
        hours_to_reach = dict(drill.reach)
        hours_to_logs = dict(drill.logs)
        names = {c.id: c.name for c in case.records.all(Contact)}
        in_case = {s.id: s.name for s in case.records.all(System)}
        with case.transaction():
            for n, engagement in enumerate(case.records.all(Engagement)):
                reach = hours_to_reach[names[engagement.contact_id]]
                ops.edit_engagement(case, engagement.id, first_attempt_at=at(0.1 + 0.05 * n),
                                    reached_at=None if reach is None else at(reach),
                                    resolved_at=None if reach is None else at(reach + 0.5))
            for item in case.records.all(Evidence):
                assert item.system_id is not None  # each evidence request of a drill comes from a system
                took = hours_to_logs[in_case[item.system_id]]
                if took is None:
                    ops.edit_evidence(case, item.id, status=EvidenceStatus.UNAVAILABLE, requested_at=at(0.2),
                                      unavailable_reason="Not kept long enough.")
                else:
                    ops.edit_evidence(case, item.id, status=EvidenceStatus.COLLECTED, requested_at=at(0.2),
                                      collected_at=at(0.2 + took))
            for title, owner, due, status, verification in drill.actions:
                ops.add_action(case, title, owner=owner, due=due, status=status, verification=verification)
        file_case(book, case)


def _run_past(case: CaseFile, past: Past) -> None:
    t0 = Moment(past.detected.astimezone(UTC), CET)

    def at(hours: float) -> Moment:
        return Moment(t0.utc + timedelta(hours=hours), CET)

    people = {c.name: c for c in case.records.all(Contact)}
    systems = {s.name: s.id for s in case.records.all(System)}  # the book's, copied in
    with case.transaction():
        ops.edit_case(case, severity=Severity.HIGH, first_activity_at=at(-past.detect_after), detected_at=t0,
                      reported_at=at(1.0), contained_at=at(past.contain), recovered_at=at(past.recover),
                      closed_at=at(past.recover + 24 * 20), status=CaseStatus.CLOSED)
        infra, legal = people["Marta Kowalczyk"], people["Daniel Okafor"]
        ops.add_engagement(case, infra.id, "Access to systems", needed_at=at(1.0), first_attempt_at=at(1.2),
                           reached_at=at(1.0 + past.reach_infra), resolved_at=at(2.0 + past.reach_infra))
        ops.add_engagement(case, legal.id, "Approval for notices", needed_at=at(3.0), first_attempt_at=at(3.1),
                           reached_at=at(3.0 + past.reach_legal), resolved_at=at(4.0 + past.reach_legal))
        firewall = ops.add_evidence(case, "Core firewall logs", system_id=systems["Core firewall"],
                                    requested_at=at(2.0)).value
        ops.edit_evidence(case, firewall.id, status=EvidenceStatus.UNAVAILABLE,
                          unavailable_reason=f"Retention is 7 days; asked {past.firewall_hours:g} h in, too late.")
        logs = ops.add_evidence(case, "FS01 security log", system_id=systems["FS01"], requested_at=at(1.5)).value
        ops.edit_evidence(case, logs.id, status=EvidenceStatus.COLLECTED, collected_at=at(1.5 + past.reach_infra))
        ops.add_note(case, Phase.DETECTION, "Firewall logs for the first activity were already overwritten.",
                     occurred=at(2.0), gap=Gap.ACCESS, tags=("Core firewall",))
        ops.add_note(case, Phase.DETECTION, "Infrastructure on-call did not answer at first.", occurred=at(1.5),
                     gap=Gap.COMMUNICATION, tags=("Infrastructure",))
        for title, owner, due, status, verification in past.actions:
            ops.add_action(case, title, owner=owner, due=due, status=status, verification=verification)
