"""Operations on the regulators' clocks: the regimes a case falls under, and notifications sent.

The rules (times in bounds and in order, a notification's stage in its regime and not sent
before its clock starts) are in ``irdesk.casefile.rules``; the deadlines themselves are
computed, never stored (``irdesk.domain.deadlines``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from irdesk.casefile.errors import NotAllowed
from irdesk.casefile.operations.base import operation
from irdesk.casefile.store import CaseFile
from irdesk.domain import regimes
from irdesk.domain.deadlines import Deadline, schedule
from irdesk.domain.enums import RegimeKind
from irdesk.domain.moment import Moment
from irdesk.domain.records import Contact, Notification, RecordId, Regime


def _normalised(fields: dict[str, Any]) -> dict[str, Any]:
    if "jurisdiction" in fields:
        fields["jurisdiction"] = str(fields["jurisdiction"] or "").strip().upper()
    for name in ("name", "time_zone"):
        if name in fields:
            fields[name] = str(fields[name] or "").strip()
    if "stages" in fields:
        fields["stages"] = tuple(" ".join(s.split()) for s in fields["stages"] if s.strip())
    return fields


@operation
def add_regime(case: CaseFile, kind: RegimeKind, *, name: str = "", stages: Sequence[str] = (),
               **fields: Any) -> Regime:
    """A regime that applies to the case; ``fields``: jurisdiction, time zone and trigger times.

    SEC Form 8-K counts US business days unless another jurisdiction is given. The same
    regime (kind and name) applies once.
    """
    fields = _normalised({"name": name, "stages": stages, **fields})
    if kind is RegimeKind.SEC_8K and not fields.get("jurisdiction"):
        fields["jurisdiction"] = "US"
    for other in case.records.all(Regime):
        if other.kind is kind and other.name.casefold() == fields["name"].casefold():
            raise NotAllowed(f"{regimes.regime_label(other)} already applies to this case; change its "
                             "times instead (irdesk regime set).")
    return case.records.create(Regime, kind=kind, **fields)


@operation
def edit_regime(case: CaseFile, regime_id: str, **changes: Any) -> Regime:
    return case.records.revise(Regime, regime_id, **_normalised(changes))


@operation
def delete_regime(case: CaseFile, regime_id: str) -> Regime:
    """Tombstone a regime and every notification recorded under it."""
    for n in case.records.select(Notification, where="regime_id = ?", params=(regime_id,)):
        case.records.revise(Notification, n.id, deleted=True)
    return case.records.revise(Regime, regime_id, deleted=True)


def _live_regime(case: CaseFile, regime_id: str) -> Regime:
    regime = case.records.get(Regime, regime_id)
    if regime.deleted:
        raise NotAllowed(f"The regime {regimes.regime_label(regime)} was deleted.")
    return regime


@operation
def add_notification(case: CaseFile, regime_id: str, stage: str, sent_at: Moment, contact_id: str, *,
                     reference: str = "", late_reason: str = "") -> Notification:
    """A notification sent under ``stage`` (its key or its label) of a live regime, to a contact."""
    regime = _live_regime(case, regime_id)
    try:
        key = regimes.find_stage(regime, stage).key
    except ValueError as exc:
        raise NotAllowed(f"{exc}.") from None
    contact = case.records.get(Contact, contact_id)
    if contact.deleted:
        raise NotAllowed(f"The contact {contact.name} was deleted; choose another.")
    return case.records.create(Notification, regime_id=RecordId(regime.id), stage=key, sent_at=sent_at,
                               contact_id=RecordId(contact.id), reference=reference.strip(),
                               late_reason=late_reason.strip())


@operation
def edit_notification(case: CaseFile, notification_id: str, **changes: Any) -> Notification:
    for name in ("reference", "late_reason"):
        if name in changes:
            changes[name] = str(changes[name]).strip()
    return case.records.revise(Notification, notification_id, **changes)


def deadlines(case: CaseFile, as_of: Moment | None = None) -> list[Deadline]:
    """Every stage of every regime of the case, as of ``as_of`` (default: the case's clock); reads only."""
    return schedule(case.records.all(Regime), case.records.all(Notification), as_of or case.clock())
