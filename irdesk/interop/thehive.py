"""TheHive 5: the case, its tasks, observables and ATT&CK procedures, as TheHive's API takes them.

One JSON document ``{"case": …, "tasks": [...], "observables": [...], "procedures": [...]}``:
each part is what thehive4py 2.1.0 sends for ``InputCase``, ``InputTask``, ``InputObservable``
and ``InputProcedure`` (tests/interop/test_thehive.py checks every part against those
TypedDicts: required keys, no unknown keys, field types), so a script can create the case with
``hive.case.create(case=doc["case"])`` and add the rest to it. Times are milliseconds since
1970 (UTC), as TheHive keeps them. Note text is not included, as in the STIX bundle.
"""

from __future__ import annotations

import json
from typing import IO, Any

from irdesk.casefile.store import CaseFile
from irdesk.domain import attack
from irdesk.domain.enums import ActionStatus, CaseStatus, IndicatorKind, Severity, Tlp
from irdesk.domain.moment import Moment
from irdesk.domain.records import KEY_TIMES, ActionItem, Indicator

SEVERITY = {Severity.LOW: 1, Severity.MEDIUM: 2, Severity.HIGH: 3, Severity.CRITICAL: 4}
TLP = {Tlp.CLEAR: 0, Tlp.GREEN: 1, Tlp.AMBER: 2, Tlp.AMBER_STRICT: 3, Tlp.RED: 4}  # TheHive 5: TLP 2.0
# PAP (what a recipient may do with it) follows the marking: 0 clear, 1 green, 2 amber, 3 red.
PAP = {Tlp.CLEAR: 0, Tlp.GREEN: 1, Tlp.AMBER: 2, Tlp.AMBER_STRICT: 2, Tlp.RED: 3}
TASK_STATUS = {ActionStatus.PROPOSED: "Waiting", ActionStatus.ACCEPTED: "InProgress",
               ActionStatus.IMPLEMENTED: "InProgress", ActionStatus.TESTED: "Completed",
               ActionStatus.WAIVED: "Cancel"}
DATA_TYPES = {
    IndicatorKind.IPV4: "ip", IndicatorKind.IPV6: "ip", IndicatorKind.DOMAIN: "domain",
    IndicatorKind.URL: "url", IndicatorKind.EMAIL: "mail", IndicatorKind.SHA256: "hash",
    IndicatorKind.SHA1: "hash", IndicatorKind.MD5: "hash", IndicatorKind.FILE_NAME: "filename",
}
TASK_GROUP = "Lessons learned"


def millis(moment: Moment) -> int:
    return int(moment.utc.timestamp() * 1000)


def build_thehive(case: CaseFile) -> dict[str, Any]:
    record = case.case()
    lines = [f"**Severity:** {record.severity.value}. **Status:** {record.status.value}."]
    if record.codename:
        lines.insert(0, f"**Codename:** {record.codename}")
    for name in KEY_TIMES:
        moment = getattr(record, name)
        if moment is not None:
            lines.append(f"- {name.removesuffix('_at').replace('_', ' ').capitalize()}: {moment.isoformat()}")
    for label, text in (("Cause", record.cause), ("Effects", record.effects), ("Handling", record.handling)):
        if text:
            lines.append(f"\n**{label}:** {text}")
    tags = ["irdesk", f"tlp:{record.tlp.value}"] + (["exercise"] if record.drill else [])
    start = record.first_activity_at or record.detected_at or record.created
    thehive_case: dict[str, Any] = {
        "title": record.title, "description": "\n".join(lines),
        "severity": SEVERITY[record.severity], "startDate": millis(start),
        "tags": tags, "flag": record.severity == Severity.CRITICAL,
        "tlp": TLP[record.tlp], "pap": PAP[record.tlp],
        "status": _status(record.status, record.drill),
    }
    if record.closed_at is not None:
        thehive_case["endDate"] = millis(record.closed_at)
    summary = " ".join(t for t in (record.cause, record.effects) if t)
    if summary:
        thehive_case["summary"] = summary
    indicators = case.records.all(Indicator)
    return {
        "case": thehive_case,
        "tasks": [_task(item, n) for n, item in enumerate(case.records.all(ActionItem))],
        "observables": [_observable(item, record.tlp) for item in indicators],
        "procedures": _procedures(case, indicators),
    }


def _status(status: CaseStatus, drill: bool) -> str:
    if status != CaseStatus.CLOSED:
        return "InProgress"
    return "Other" if drill else "TruePositive"


def _task(item: ActionItem, order: int) -> dict[str, Any]:
    details = [f"Status in irdesk: {item.status.value}."]
    if item.owner:
        details.append(f"Owner: {item.owner}.")
    if item.verification:
        details.append(f"Verification: {item.verification}")
    if item.waived_reason:
        details.append(f"Waived: {item.waived_reason}")
    task: dict[str, Any] = {
        "title": item.title, "group": TASK_GROUP, "description": "\n\n".join(details),
        "status": TASK_STATUS[item.status], "order": order,
    }
    if item.due is not None:
        from datetime import UTC, datetime, time

        task["dueDate"] = int(datetime.combine(item.due, time(0), UTC).timestamp() * 1000)
    return task


def _observable(item: Indicator, tlp: Tlp) -> dict[str, Any]:
    observable: dict[str, Any] = {
        "dataType": DATA_TYPES[item.kind], "data": item.value, "tlp": TLP[tlp], "pap": PAP[tlp],
        "ioc": True, "tags": [f"irdesk:{item.kind.value}", *item.attack],
    }
    if item.description:
        observable["message"] = item.description
    if item.first_seen is not None:
        observable["startDate"] = millis(item.first_seen)
        observable["sighted"] = True
        observable["sightedAt"] = millis(item.first_seen)
    return observable


def _procedures(case: CaseFile, indicators: list[Indicator]) -> list[dict[str, Any]]:
    """One procedure per technique, dated by the earliest note or indicator tagged with it."""
    first: dict[str, Moment] = {}
    counts: dict[str, list[int]] = {}
    from irdesk.casefile.notes import NoteFilter

    for note in case.notes.page(NoteFilter(attack_only=True)):  # live notes with techniques only
        for tid in note.attack:
            if tid not in first or note.occurred.utc < first[tid].utc:
                first[tid] = note.occurred
            counts.setdefault(tid, [0, 0])[0] += 1
    for item in indicators:
        when = item.first_seen or item.created
        for tid in item.attack:
            if tid not in first or when.utc < first[tid].utc:
                first[tid] = when
            counts.setdefault(tid, [0, 0])[1] += 1
    procedures = []
    catalogue = attack.catalogue()
    for tid in sorted(first, key=lambda t: first[t].utc):
        technique = catalogue.techniques.get(tid)
        notes, items = counts[tid]
        procedure: dict[str, Any] = {
            "patternId": tid, "occurDate": millis(first[tid]),
            "description": f"{attack.flag(tid)}: tagged on {notes} note(s) and {items} indicator(s) "
                           "in irdesk.",
        }
        if technique is not None and technique.tactics:
            procedure["tactic"] = technique.tactics[0]  # the kill-chain name, as TheHive keeps it
        procedures.append(procedure)
    return procedures


def write_thehive(case: CaseFile, out: IO[str]) -> int:
    """Write the document; returns the number of observables."""
    document = build_thehive(case)
    json.dump(document, out, ensure_ascii=False, indent=2)
    out.write("\n")
    return len(document["observables"])
