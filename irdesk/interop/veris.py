"""VERIS 1.4: the case as one VERIS incident record (validated against VERIS's own
``verisc-merged.json`` in tests/interop/test_veris.py).

The record is filled only with what the case knows: its classification (discovery method,
actors, actions, assets, set with ``case set --veris-*`` from VERIS's own enumerations), its key
times as VERIS's timeline, its post-incident summary as ``summary``, ``impact`` and ``notes``,
and its indicators as ``ioc``. What the responder has not classified is VERIS's "unknown", with
the note VERIS asks for. A drill is not exported: VERIS records real incidents.
"""

from __future__ import annotations

import json
from typing import IO, Any

from irdesk.casefile.store import CaseFile
from irdesk.domain import veris
from irdesk.domain.errors import BadInput
from irdesk.domain.moment import Moment
from irdesk.domain.records import Case, Indicator

NOT_CLASSIFIED = "Not classified in irdesk yet."
_UNITS = (("Minutes", 60), ("Hours", 3600), ("Days", 86400), ("Weeks", 7 * 86400))


def span(start: Moment | None, end: Moment | None) -> dict[str, Any]:
    """A VERIS duration: the largest unit that gives a value of at least 1 (rounded to 0.1)."""
    if start is None or end is None or end.utc < start.utc:
        return {"unit": "Unknown"}
    seconds = (end.utc - start.utc).total_seconds()
    if seconds < 60:
        return {"unit": "Seconds", "value": round(seconds, 1)}
    unit, size = next(((u, s) for u, s in reversed(_UNITS) if seconds >= s), _UNITS[0])
    if unit == "Weeks" and seconds >= 60 * 86400:
        unit, size = "Months", 30 * 86400
    return {"unit": unit, "value": round(seconds / size, 1)}


def _incident_time(record: Case) -> dict[str, Any]:
    when = record.first_activity_at or record.detected_at or record.created
    local = when.local
    if not 1950 <= local.year <= 2050:
        raise BadInput(f"VERIS 1.4 takes incidents from 1950 to 2050; this one began in {local.year}.")
    return {"year": local.year, "month": local.month, "day": local.day,
            "time": local.strftime("%I:%M:%S %p")}


def _discovery(value: str) -> dict[str, Any]:
    category, variety = veris.split(value) if value else ("unknown", "")
    if not variety:
        return {category: True}
    return {category: {"variety": [variety]}}


def _grouped(values: tuple[str, ...]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for value in values:
        category, variety = veris.split(value)
        groups.setdefault(category, [])
        if variety:
            groups[category].append(variety)
    return groups


def _actors(values: tuple[str, ...]) -> dict[str, Any]:
    actors: dict[str, Any] = {}
    for category, varieties in _grouped(values).items():
        if category == "unknown":
            actors[category] = {"notes": "The responder does not know who the actor was."}
        elif category == "partner":
            actors[category] = {"country": ["Unknown"], "motive": ["Unknown"]}
        else:
            actors[category] = {"variety": varieties, "motive": ["Unknown"]}
    return actors or {"unknown": {"notes": NOT_CLASSIFIED}}


def _actions(values: tuple[str, ...]) -> dict[str, Any]:
    actions: dict[str, Any] = {}
    for category, varieties in _grouped(values).items():
        if category == "unknown":
            actions[category] = {"notes": "The responder does not know what the actor did."}
            continue
        action: dict[str, Any] = {"variety": varieties}
        if category != "environmental":
            action["vector"] = ["Unknown"]
        if category == "social":
            action["target"] = ["Unknown"]
        actions[category] = action
    return actions or {"unknown": {"notes": NOT_CLASSIFIED}}


def build_veris(case: CaseFile) -> dict[str, Any]:
    record = case.case()
    if record.drill:
        raise BadInput("This case is a drill; VERIS records real incidents, so it is not exported.")
    summary = " ".join(t for t in (record.title + ".", record.cause) if t.strip())
    document: dict[str, Any] = {
        "schema_version": veris.enumerations().schema_version, "schema_name": "verisc",
        "incident_id": record.id, "security_incident": "Confirmed", "summary": summary,
        "timeline": {
            "incident": _incident_time(record),
            "discovery": span(record.first_activity_at, record.detected_at),
            "containment": span(record.detected_at, record.contained_at),
        },
        "discovery_method": _discovery(record.veris_discovery),
        "actor": _actors(record.veris_actors),
        "action": _actions(record.veris_actions),
        "asset": {"assets": [{"variety": v} for v in record.veris_assets or ("Unknown",)],
                  "cloud": ["Unknown"]},
        "impact": {"overall_rating": "Unknown", **({"notes": record.effects} if record.effects else {})},
    }
    notes = "\n\n".join(t for t in (record.handling, record.worked and f"Worked: {record.worked}",
                                     record.failed and f"Failed: {record.failed}") if t)
    if notes:
        document["notes"] = notes
    if record.codename:
        document["reference"] = record.codename
    iocs = [{"indicator": i.value, **({"comment": f"{i.kind.value}: {i.description}"} if i.description
                                      else {"comment": i.kind.value})}
            for i in case.records.all(Indicator)]
    if iocs:
        document["ioc"] = iocs
    return document


def write_veris(case: CaseFile, out: IO[str]) -> int:
    """Write the record; returns 1 (one incident)."""
    json.dump(build_veris(case), out, ensure_ascii=False, indent=2)
    out.write("\n")
    return 1
