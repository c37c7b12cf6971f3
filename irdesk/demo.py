"""A realistic demo case: a ransomware incident at a mid-sized logistics company.

It shows every feature: notes in all four phases (some marked as gaps), evidence at every
status with custody, contacts whose engagements show real delays, action items at every
status, key times and the post-incident summary. ``scale`` adds synthetic notes for
benchmarks.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from typing import Any

from irdesk.casefile import operations as ops
from irdesk.casefile.changes import NO_CHANGES, Done
from irdesk.casefile.store import CaseFile
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
    RegimeKind,
    Severity,
)
from irdesk.domain.moment import Moment
from irdesk.domain.records import (
    Contact,
    Evidence,
    System,
)
from irdesk.templates import readiness_items

TITLE = "Ransomware on the Rotterdam file servers"
CET = 60  # the responders' offset, minutes


def _at(start: Moment, hours: float) -> Moment:
    return Moment(start.utc + timedelta(hours=hours), CET)


# The standard checklist (as a new case gets it), which items were in place, and the team's own.
READINESS_DONE = (True, False, True, False, True)
OWN_READINESS = [("Out-of-band bridge (Signal group) tested in the last quarter", False)]

NOTES: list[tuple[Phase, float, str, Gap | None, tuple[str, ...]]] = [
    (Phase.PREPARATION, -2000, "Last tabletop exercise (March) covered ransomware on the ERP "
     "cluster only; the **file servers were out of scope**.", None, ("exercise",)),
    (Phase.PREPARATION, -1500, "Backup restore test for FS01/FS02 was scheduled but never run.",
     Gap.DOCUMENTATION, ("backup",)),
    (Phase.PREPARATION, -10, "On-call list in the wiki still names the former network lead; "
     "the new lead's mobile number is missing.", Gap.COMMUNICATION, ("contacts",)),
    (Phase.DETECTION, 0.0, "Service desk ticket #48213: users in Rotterdam cannot open shared "
     "drives; files end in `.lockbit3`.", None, ("ticket",)),
    (Phase.DETECTION, 0.5, "Confirmed ransom note `README.txt` on `\\\\fs01\\shares\\ops`. "
     "Declared a **major incident**; bridge opened.", None, ()),
    (Phase.DETECTION, 1.2, "Asked for EDR telemetry from FS01: the file servers have **no EDR "
     "agent** (excluded in 2023 for performance). Working from Windows event logs only.",
     Gap.VISIBILITY, ("edr",)),
    (Phase.DETECTION, 2.0, "Firewall logs older than 7 days are not retained; the first "
     "activity cannot be bounded from the network side.", Gap.VISIBILITY, ("logging",)),
    (Phase.DETECTION, 3.5, "Domain admin account `svc-backup` logged on to FS01 from "
     "10.20.4.17 at 02:14 — a jump host that should not use that account.", None, ("ioc",)),
    (Phase.DETECTION, 4.0, "Needed the hypervisor console to snapshot FS01 memory; nobody on "
     "the bridge holds vCenter credentials. Waiting for the infrastructure on-call.",
     Gap.ACCESS, ("memory",)),
    (Phase.DETECTION, 6.5, "Infrastructure on-call reached after **2 h 30 min** — phone went to "
     "voicemail three times. Memory snapshot of FS01 taken.", Gap.COMMUNICATION, ()),
    (Phase.DETECTION, 7.0, "Hash of the encryptor `svchost_.exe`: "
     "`3b4c…e91f` (full value in the evidence register). Matches public LockBit 3.0 builds.",
     None, ("ioc",)),
    (Phase.CONTAINMENT, 7.5, "Isolated FS01 and FS02 at the switch; disabled `svc-backup`; "
     "blocked 10.20.4.17 at the core firewall.", None, ()),
    (Phase.CONTAINMENT, 9.0, "Vendor support for the backup appliance needs a contract number "
     "we do not have on hand; ticket opened through the portal instead.", Gap.VENDOR, ()),
    (Phase.CONTAINMENT, 12.0, "Legal approval needed before resetting all service-account "
     "passwords (contractual notice to the MSP). Took 5 hours to get a decision.",
     Gap.AUTHORIZATION, ()),
    (Phase.CONTAINMENT, 20.0, "Reset 214 service-account passwords; krbtgt rotated twice, "
     "10 hours apart.", None, ()),
    (Phase.CONTAINMENT, 30.0, "No tool to check all 1,900 endpoints for the encryptor hash "
     "quickly; wrote a PowerShell sweep by hand.", Gap.TOOLING, ("sweep",)),
    (Phase.CONTAINMENT, 44.0, "Restored FS02 from the offline copy of Sunday; 31 GB of Monday's "
     "work lost. FS01 rebuilt from scratch.", None, ("restore",)),
    (Phase.CONTAINMENT, 50.0, "Services back for Rotterdam users; monitoring for re-entry.",
     None, ()),
    (Phase.POST_INCIDENT, 120.0, "Lessons-learned meeting held with IT, legal, communications "
     "and the MSP. Actions below.", None, ()),
    (Phase.POST_INCIDENT, 121.0, "Root cause: an MSP technician's reused password for "
     "`svc-backup` was in a public credential dump; no MFA on the jump host.", None, ()),
]


def build_demo(case: CaseFile, *, scale: int = 0, progress: Callable[[int], None] | None = None) -> None:
    """Fill an empty case with the demo incident, plus ``scale`` synthetic notes."""
    t0 = Moment(datetime(2026, 10, 12, 7, 40, tzinfo=timezone(timedelta(hours=1))), CET)
    with case.transaction():
        ops.edit_case(
            case, title=TITLE, codename="HARBOUR LIGHT", severity=Severity.HIGH,
            veris_discovery="internal/Reported by employee", veris_actors=["external/Organized crime"],
            veris_actions=["malware/Ransomware", "hacking/Use of stolen creds"],
            veris_assets=["S - File", "S - Authentication"],
            first_activity_at=_at(t0, -5.4), detected_at=t0, reported_at=_at(t0, 1.0),
            contained_at=_at(t0, 20.0), eradicated_at=_at(t0, 30.0), recovered_at=_at(t0, 50.0),
            status=CaseStatus.RECOVERED,
            cause="An MSP technician's password for the backup service account had leaked in a "
            "public credential dump. The jump host it was used on had no MFA.",
            effects="Two file servers encrypted; Rotterdam operations worked on paper for two "
            "days; 31 GB of one day's work lost. No evidence of data theft was found.",
            handling="Detected by the service desk 5.4 hours after first activity. Contained in "
            "20 hours by isolating the servers and resetting every service account, recovered "
            "from offline backups in 50 hours.",
            worked="The offline backup copy was intact and restorable. The bridge was open "
            "within 30 minutes. Isolation at the switch was quick.",
            failed="No EDR on file servers; firewall logs kept only 7 days; nobody on the bridge "
            "could reach the hypervisor; the on-call list was out of date; legal approval for "
            "password resets took 5 hours.",
        )
        for text, done in [*zip(readiness_items(), READINESS_DONE, strict=True), *OWN_READINESS]:
            ops.add_checklist_items(case, [text], done=done)
        notes = {}
        for phase, hours, body, gap, tags in NOTES:
            notes[body[:20]] = ops.add_note(case, phase, body, occurred=_at(t0, hours), gap=gap, tags=tags,
                                            attack=NOTE_ATTACK.get(body[:20], ())).value
        contacts = _contacts(case, t0)
        _evidence(case, t0, contacts)
        _link_systems(case)
        _actions(case, notes)
        _indicators(case, t0, notes)
        _regulators(case, t0)
        if scale:
            add_synthetic_notes(case, scale, start=t0, progress=progress)


def _contacts(case: CaseFile, t0: Moment) -> dict[str, Contact]:
    known = {c.name: c for c in case.records.all(Contact)}  # a case started from the demo book has them

    def person(**fields: Any) -> Done[Contact]:
        existing = known.get(str(fields["name"]))
        if existing is not None:
            return Done(existing, NO_CHANGES)
        return ops.add_contact(case, **fields)

    people = {
        "infra": person(name="Marta Kowalczyk", organisation="Example Logistics",
                          team="Infrastructure", role="Infrastructure on-call",
                          phone="+31 10 555 0142", email="m.kowalczyk@example.net",
                          out_of_band="Signal: +31 6 5550 0142", grants_access="vCenter, storage",
                          last_verified=date(2026, 3, 2),
                          notes="Can grant span port access, router ACL changes.\n"
                                "Escalate via duty phone after 18:00.").value,
        "legal": person(name="Daniel Okafor", organisation="Example Logistics",
                          team="Legal", role="Counsel", kind=ContactKind.LEGAL,
                          phone="+31 10 555 0190", email="d.okafor@example.net",
                          grants_access="Approval for contractual notices",
                          last_verified=date(2026, 9, 20)).value,
        "msp": person(name="Priya Raman", organisation="NorthSea MSP",
                        role="Service delivery manager", kind=ContactKind.VENDOR,
                        phone="+31 20 555 7781", email="priya.raman@northsea-msp.example",
                        grants_access="Jump hosts, service accounts",
                        last_verified=date(2025, 11, 5),
                        notes="Contract IR-7731: 4-hour response. Only the duty manager may "
                              "approve changes to our jump hosts.").value,
        "backup": person(name="Backup appliance support", organisation="VaultCo",
                           kind=ContactKind.VENDOR, phone="+44 20 5550 1000",
                           email="support@vaultco.example", grants_access="Appliance recovery").value,
        "police": person(name="Cybercrime desk", organisation="National Police",
                           kind=ContactKind.LAW_ENFORCEMENT, phone="+31 88 555 0000",
                           last_verified=date(2026, 6, 1)).value,
        "comms": person(name="Sanne de Vries", organisation="Example Logistics",
                          team="Communications", role="Press officer",
                          kind=ContactKind.COMMUNICATIONS, email="s.devries@example.net",
                          last_verified=date(2026, 8, 14)).value,
    }
    ops.add_engagement(case, contact_id=people["infra"].id, purpose="Hypervisor access for a memory snapshot",
             needed_at=_at(t0, 4.0), first_attempt_at=_at(t0, 4.1), reached_at=_at(t0, 6.5),
             resolved_at=_at(t0, 6.9), outcome="Snapshot taken by Marta.")
    ops.add_engagement(case, contact_id=people["legal"].id, purpose="Approve service-account resets",
             needed_at=_at(t0, 12.0), first_attempt_at=_at(t0, 12.2), reached_at=_at(t0, 15.5),
             resolved_at=_at(t0, 17.0), outcome="Approved after MSP notice was sent.")
    ops.add_engagement(case, contact_id=people["msp"].id, purpose="Who used svc-backup from the jump host?",
             needed_at=_at(t0, 4.0), first_attempt_at=_at(t0, 4.5), reached_at=_at(t0, 9.0),
             resolved_at=_at(t0, 26.0), outcome="Technician identified; password reuse confirmed.")
    ops.add_engagement(case, contact_id=people["backup"].id, purpose="Appliance restore support",
             needed_at=_at(t0, 9.0), first_attempt_at=_at(t0, 9.1), reached_at=_at(t0, 22.0),
             outcome="Portal ticket answered next morning.")
    ops.add_engagement(case, contact_id=people["police"].id, purpose="Report the extortion",
             needed_at=_at(t0, 8.0), first_attempt_at=_at(t0, 8.2), reached_at=_at(t0, 8.4),
             resolved_at=_at(t0, 9.0), outcome="Case number PR-2026-1187.")
    ops.add_engagement(case, contact_id=people["comms"].id, purpose="Holding statement for customers",
             needed_at=_at(t0, 3.0), first_attempt_at=_at(t0, 3.0), reached_at=_at(t0, 3.2),
             resolved_at=_at(t0, 5.0), outcome="Statement published at 13:00.")
    return people


def _evidence(case: CaseFile, t0: Moment, contacts: dict[str, Contact]) -> None:
    me = case.actor or "Responder"
    memory = ops.add_evidence(
        case, label="FS01 memory snapshot", kind=EvidenceKind.MEMORY_IMAGE, source_system="FS01",
        status=EvidenceStatus.VERIFIED, requested_from=contacts["infra"].id, requested_at=_at(t0, 4.0),
        collected_at=_at(t0, 6.9), holder=me, location="Evidence safe 2, shelf B",
        path="E:/cases/harbour-light/fs01-mem.vmsn", size=17_179_869_184,
        sha256="9f2c4b1e0d6a7c3b58e4f1a2d9c0b7e6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0",
    ).value
    ops.add_custody(case, evidence_id=memory.id, action=CustodyAction.COLLECTED, at=_at(t0, 6.9),
             by_whom="Marta Kowalczyk", to_whom=me, location="Rotterdam server room")
    ops.add_custody(case, evidence_id=memory.id, action=CustodyAction.STORED, at=_at(t0, 8.0),
             by_whom=me, location="Evidence safe 2, shelf B")
    ops.add_custody(case, evidence_id=memory.id, action=CustodyAction.EXAMINED, at=_at(t0, 30.0),
             by_whom=me, location="Forensic workstation FW-3", note="Volatility 3 analysis")
    encryptor = ops.add_evidence(
        case, label="Encryptor binary svchost_.exe", kind=EvidenceKind.FILE, source_system="FS01",
        status=EvidenceStatus.COLLECTED, requested_at=_at(t0, 6.0), collected_at=_at(t0, 7.0),
        holder=me, location="Encrypted evidence share", size=1_261_568,
        sha256="3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7e91f00",
    ).value
    ops.add_custody(case, evidence_id=encryptor.id, action=CustodyAction.COLLECTED, at=_at(t0, 7.0),
             by_whom=me, location="FS01")
    ops.add_evidence(case, label="Jump host 10.20.4.17 security log", kind=EvidenceKind.LOG,
             source_system="JMP02", status=EvidenceStatus.REQUESTED, requested_from=contacts["msp"].id,
             requested_at=_at(t0, 4.5))
    ops.add_evidence(case, label="Firewall logs before 5 October", kind=EvidenceKind.LOG,
             source_system="Core firewall", status=EvidenceStatus.UNAVAILABLE,
             unavailable_reason="Retention is 7 days; older logs were overwritten.",
             requested_at=_at(t0, 2.0))
    ops.add_evidence(case, label="Backup appliance audit trail", kind=EvidenceKind.LOG,
             source_system="VaultCo appliance", status=EvidenceStatus.NEEDED)
    note = ops.attach(case, "ransom-note.txt", b"~~~ LockBit 3.0 ~~~\nYour data are stolen and encrypted.\n"
                       b"(demo excerpt; contact details removed)\n", media_type="text/plain").value
    ops.add_evidence(case, label="Ransom note README.txt", kind=EvidenceKind.FILE, source_system="FS01",
             status=EvidenceStatus.VERIFIED, requested_at=_at(t0, 0.5), collected_at=_at(t0, 0.6),
             holder=me, size=note.size, sha256=note.sha256, attachment_id=note.id)


def _link_systems(case: CaseFile) -> None:
    """A demo case started from the demo book has its systems: link the evidence that comes from them."""
    systems = {s.name: s for s in case.records.all(System)}
    for item in case.records.all(Evidence):
        system = systems.get(item.source_system)
        if system is not None:
            ops.edit_evidence(case, item.id, system_id=system.id)


def _actions(case: CaseFile, notes: dict) -> None:
    def source(prefix: str) -> str | None:
        note = notes.get(prefix[:20])
        return note.id if note else None

    ops.add_action(case, title="Deploy EDR to all file servers", owner="Head of IT operations",
             due=date(2026, 12, 15), status=ActionStatus.IMPLEMENTED,
             source_note_id=source("Asked for EDR telemetry from FS01"),
             verification="Agent deployed 2026-11-20; detection test pending.")
    ops.add_action(case, title="Keep firewall logs for 180 days", owner="Network lead",
             due=date(2026, 11, 30), status=ActionStatus.TESTED,
             source_note_id=source("Firewall logs older than 7 days"),
             verification="Retrieved a 90-day-old log on 2026-11-25.")
    ops.add_action(case, title="Break-glass hypervisor account for the incident bridge",
             owner="Infrastructure manager", due=date(2027, 1, 31), status=ActionStatus.ACCEPTED,
             source_note_id=source("Needed the hypervisor console"))
    ops.add_action(case, title="Pre-approve service-account resets in the MSP contract",
             owner="Legal", due=date(2027, 2, 28), status=ActionStatus.PROPOSED,
             source_note_id=source("Legal approval needed before"))
    ops.add_action(case, title="Quarterly check of the on-call list", owner="CISO office",
             status=ActionStatus.WAIVED, waived_reason="Replaced by the automated HR sync in January.",
             source_note_id=source("On-call list in the wiki"))


ENCRYPTOR_SHA256 = "3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7e91f00"

INDICATORS = [
    (IndicatorKind.IPV4, "10.20.4.17", "Jump host that logged on to FS01 as svc-backup",
     "Domain admin account", 3.5),
    (IndicatorKind.SHA256, ENCRYPTOR_SHA256, "Encryptor svchost_.exe (LockBit 3.0 build)",
     "Hash of the encryptor", 7.0),
    (IndicatorKind.FILE_NAME, "svchost_.exe", "Encryptor dropped on FS01", "Hash of the encryptor",
     7.0),
    (IndicatorKind.FILE_NAME, "README.txt", "Ransom note in every encrypted share",
     "Confirmed ransom note", 0.5),
    (IndicatorKind.DOMAIN, "lockbit-leaks.example", "Leak site named in the ransom note",
     "Confirmed ransom note", 0.5),
]

# ATT&CK techniques the demo's responders tagged (by the note's first 20 characters / the value).
NOTE_ATTACK = {
    "Service desk ticket ": ("T1486",),
    "Domain admin account": ("T1078.002", "T1021.002"),
    "Hash of the encrypto": ("T1486",),
    "Root cause: an MSP t": ("T1078.002", "T1133"),
}
INDICATOR_ATTACK = {"svchost_.exe": ("T1486",), "README.txt": ("T1486",)}


def _indicators(case: CaseFile, t0: Moment, notes: dict) -> None:
    for kind, value, description, note_prefix, hours in INDICATORS:
        note = notes.get(note_prefix[:20])
        ops.add_indicator(case, kind=kind, value=value, description=description,
                          source_note_id=note.id if note else None, first_seen=_at(t0, hours),
                          attack=INDICATOR_ATTACK.get(value, ()))


def _regulators(case: CaseFile, t0: Moment) -> None:
    """GDPR and NIS2 apply (a transport operator in the Netherlands); NIS2's final report was late."""
    aware = _at(t0, 0.5)  # the major incident was declared at 08:10
    dpa = ops.add_contact(case, name="Meldloket datalekken", organisation="Autoriteit Persoonsgegevens",
                          kind=ContactKind.REGULATOR, phone="+31 70 555 8888",
                          email="datalekken@ap.example", last_verified=date(2026, 5, 12)).value
    csirt = ops.add_contact(case, name="NCSC incident desk", organisation="Nationaal Cyber Security Centrum",
                            kind=ContactKind.REGULATOR, phone="+31 70 555 1500", email="cert@ncsc.example",
                            out_of_band="Secure portal", last_verified=date(2026, 5, 12)).value
    gdpr = ops.add_regime(case, RegimeKind.GDPR, name="Dutch DPA", aware_at=aware,
                          jurisdiction="NL").value
    ops.add_notification(case, gdpr.id, "notification", _at(t0, 52.0), dpa.id, reference="AP-2026-10417")
    nis2 = ops.add_regime(case, RegimeKind.NIS2, aware_at=aware, jurisdiction="NL").value
    ops.add_notification(case, nis2.id, "early-warning", _at(t0, 9.0), csirt.id, reference="NCSC-26-3391")
    ops.add_notification(case, nis2.id, "incident-notification", _at(t0, 70.0), csirt.id,
                         reference="NCSC-26-3391")
    ops.add_notification(case, nis2.id, "final-report", _at(t0, 70.0 + 24 * 35), csirt.id,
                         reference="NCSC-26-3391",
                         late_reason="The MSP's root-cause analysis arrived on 17 November; the final "
                         "report waited for it, as agreed with the NCSC by phone on 10 November.")


_SYNTHETIC = [
    "Checked {host}: no sign of the encryptor; event log 4624 entries reviewed.",
    "Reset credentials for {host} local administrator.",
    "Collected autoruns from {host}; nothing unusual.",
    "User on {host} reports slow logon; unrelated to the incident.",
    "Sweep result for {host}: hash not present.",
]


def add_synthetic_notes(
    case: CaseFile, count: int, *, start: Moment | None = None, progress: Callable[[int], None] | None = None
) -> None:
    """Add ``count`` plausible sweep notes spread over the phases (deterministic)."""
    rng = random.Random(8061)
    start = start or case.clock()
    phases = list(Phase)
    gaps = list(Gap)
    with case.transaction():
        for i in range(count):
            host = f"WS-{rng.randrange(1, 1900):04d}"
            body = _SYNTHETIC[i % len(_SYNTHETIC)].format(host=host) + f" (sweep item {i + 1})"
            gap = gaps[i % len(gaps)] if i % 37 == 0 else None
            ops.add_note(case, phases[i % 4], body, occurred=_at(start, i * 0.01), gap=gap)
            if progress and i % 1000 == 0:
                progress(i)
