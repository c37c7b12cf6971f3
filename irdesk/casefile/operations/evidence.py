"""Operations on the evidence checklist: items, files hashed into it, and chain of custody."""

from __future__ import annotations

import hashlib
import os
from typing import Any

from irdesk.casefile.errors import NotAllowed
from irdesk.casefile.hashing import FileDigest
from irdesk.casefile.operations.base import operation
from irdesk.casefile.store import ATTACHMENT_LIMIT, CaseFile
from irdesk.domain.enums import CustodyAction, EvidenceKind, EvidenceStatus
from irdesk.domain.moment import Moment
from irdesk.domain.paths import shown
from irdesk.domain.records import Attachment, CustodyEvent, Evidence, RecordId, System

ARRIVED = (EvidenceStatus.COLLECTED, EvidenceStatus.VERIFIED)


def _stamp_times(case: CaseFile, fields: dict[str, Any], current: Evidence | None = None) -> None:
    """A request or an arrival without a time happened now, by the case's clock."""
    status = fields.get("status", current.status if current else EvidenceStatus.NEEDED)

    def unset(name: str) -> bool:
        return fields.get(name) is None and (current is None or getattr(current, name) is None)

    if status is EvidenceStatus.REQUESTED and unset("requested_at"):
        fields["requested_at"] = case.clock()
    if status in ARRIVED and unset("collected_at"):
        fields["collected_at"] = case.clock()


def _known_system(case: CaseFile, fields: dict[str, Any]) -> None:
    """Evidence that comes from a system names one of the case's systems; its name becomes the
    evidence's source system when that is not given."""
    system_id = fields.get("system_id")
    if system_id:
        system = case.records.get(System, system_id)
        fields["system_id"] = RecordId(system_id)
        fields.setdefault("source_system", system.name)


@operation
def add_evidence(case: CaseFile, label: str, **fields: Any) -> Evidence:
    _known_system(case, fields)
    _stamp_times(case, fields)
    return case.records.create(Evidence, label=label, **fields)


@operation
def edit_evidence(case: CaseFile, evidence_id: str, **changes: Any) -> Evidence:
    current = case.records.get(Evidence, evidence_id)
    _known_system(case, changes)
    if "status" in changes and changes["status"] is not EvidenceStatus.UNAVAILABLE:
        changes.setdefault("unavailable_reason", "")
    _stamp_times(case, changes, current)
    return case.records.revise(Evidence, evidence_id, **changes)


@operation
def add_evidence_file(case: CaseFile, path: str, digest: FileDigest, *, label: str = "",
                      kind: EvidenceKind = EvidenceKind.FILE, source_system: str = "",
                      status: EvidenceStatus = EvidenceStatus.COLLECTED, content: bytes | None = None,
                      ) -> Evidence:
    """A file hashed into the checklist: collected now, held by whoever added it, with a
    "collected" custody event; ``content`` (a small file's bytes) is embedded, encrypted."""
    path = shown(os.path.abspath(path))  # stored text: a name that is not UTF-8 as ``\xNN``
    name = os.path.basename(path)
    attachment_id = None
    if content is not None:
        if hashlib.sha256(content).hexdigest() != digest.sha256:
            raise NotAllowed(f"{name} changed while it was being added; add it again.")
        attachment_id = _attach(case, name, content).id
    now = case.clock()
    evidence = case.records.create(
        Evidence, label=label or name, kind=kind, source_system=source_system, path=path,
        size=digest.size, sha256=digest.sha256, status=status,
        collected_at=now if status in ARRIVED else None, holder=case.actor, attachment_id=attachment_id,
    )
    case.records.create(CustodyEvent, evidence_id=evidence.id, action=CustodyAction.COLLECTED, at=now,
                        by_whom=case.actor, location=os.path.dirname(path))
    return evidence


@operation
def add_custody(case: CaseFile, evidence_id: str, action: CustodyAction, *, by_whom: str,
                at: Moment | None = None, to_whom: str = "", location: str = "", note: str = "") -> CustodyEvent:
    case.records.get(Evidence, evidence_id)  # the item must exist
    return case.records.create(CustodyEvent, evidence_id=evidence_id, action=action, at=at or case.clock(),
                               by_whom=by_whom, to_whom=to_whom, location=location, note=note)


@operation
def attach(case: CaseFile, name: str, data: bytes, *, media_type: str = "application/octet-stream") -> Attachment:
    """Store a small file encrypted inside the case."""
    return _attach(case, name, data, media_type)


def _attach(case: CaseFile, name: str, data: bytes, media_type: str = "application/octet-stream") -> Attachment:
    if len(data) > ATTACHMENT_LIMIT:
        raise NotAllowed(
            f"The file is {len(data) // (1024 * 1024)} MiB; files over "
            f"{ATTACHMENT_LIMIT // (1024 * 1024)} MiB are referenced by path and hash instead."
        )
    return case.records.create(Attachment, content=data, name=os.path.basename(name) or "attachment",
                               media_type=media_type, size=len(data), sha256=hashlib.sha256(data).hexdigest())
