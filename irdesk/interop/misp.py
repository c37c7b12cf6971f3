"""MISP: the case as a MISP event, and a MISP event's attributes brought in as indicators.

The event is plain MISP JSON (``{"Event": {...}}``), what MISP's *Import from… MISP JSON* and
PyMISP's ``MISPEvent().load()`` read (tests/interop/test_misp.py loads every export with
PyMISP and checks types and categories against PyMISP's ``describeTypes.json`` and the case
object against the ``incident`` object template PyMISP ships). Ids are stable: the event's
``uuid`` is the case's, each attribute's the indicator's, so a second export updates the same
event in MISP. Note text is never put into the event, as in the STIX bundle.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any

from irdesk.casefile.changes import Done
from irdesk.casefile.operations import IncomingIndicator, IndicatorImport, import_indicators
from irdesk.casefile.store import CaseFile
from irdesk.domain import attack
from irdesk.domain.enums import CaseStatus, IndicatorKind, Severity, Tlp
from irdesk.domain.errors import BadInput
from irdesk.domain.moment import Moment
from irdesk.domain.records import Case, Indicator
from irdesk.domain.timebounds import in_bounds

# Indicator kind -> (MISP attribute type, category): MISP's default category for the type.
ATTRIBUTE_TYPES = {
    IndicatorKind.IPV4: ("ip-dst", "Network activity"),
    IndicatorKind.IPV6: ("ip-dst", "Network activity"),
    IndicatorKind.DOMAIN: ("domain", "Network activity"),
    IndicatorKind.URL: ("url", "Network activity"),
    IndicatorKind.EMAIL: ("email-src", "Payload delivery"),
    IndicatorKind.SHA256: ("sha256", "Payload delivery"),
    IndicatorKind.SHA1: ("sha1", "Payload delivery"),
    IndicatorKind.MD5: ("md5", "Payload delivery"),
    IndicatorKind.FILE_NAME: ("filename", "Payload delivery"),
}
# MISP attribute type -> indicator kind, for import (an address's kind is told by its form).
IMPORTED_TYPES = {
    "ip-dst": None, "ip-src": None, "domain": IndicatorKind.DOMAIN, "hostname": IndicatorKind.DOMAIN,
    "url": IndicatorKind.URL, "uri": IndicatorKind.URL,
    "email": IndicatorKind.EMAIL, "email-src": IndicatorKind.EMAIL, "email-dst": IndicatorKind.EMAIL,
    "sha256": IndicatorKind.SHA256, "sha1": IndicatorKind.SHA1, "md5": IndicatorKind.MD5,
    "filename": IndicatorKind.FILE_NAME,
}
THREAT_LEVELS = {Severity.CRITICAL: "1", Severity.HIGH: "1", Severity.MEDIUM: "2", Severity.LOW: "3"}
ANALYSIS = {CaseStatus.OPEN: "1", CaseStatus.CONTAINED: "1", CaseStatus.RECOVERED: "1",
            CaseStatus.CLOSED: "2"}  # 0 initial, 1 ongoing, 2 completed
# TLP -> MISP distribution: 0 your organisation only, 1 this community only, 3 all communities.
DISTRIBUTION = {Tlp.CLEAR: "3", Tlp.GREEN: "1", Tlp.AMBER: "0", Tlp.AMBER_STRICT: "0", Tlp.RED: "0"}
CRITICALITY = {Severity.CRITICAL: "Extreme", Severity.HIGH: "High", Severity.MEDIUM: "Moderate",
               Severity.LOW: "Low"}
INVESTIGATION = {CaseStatus.OPEN: "open", CaseStatus.CONTAINED: "open", CaseStatus.RECOVERED: "open",
                 CaseStatus.CLOSED: "closed"}
GALAXY = 'misp-galaxy:mitre-attack-pattern="'
# MISP's ``incident`` object template (misp-objects, as PyMISP 2.5.34.4 ships it): uuid, version.
INCIDENT_TEMPLATE = ("38597424-f9bb-4865-9b4b-819172df0334", "1")


def epoch(moment: Moment) -> str:
    return str(int(moment.utc.timestamp()))


def galaxy_tag(technique_id: str) -> str:
    """MISP's ATT&CK galaxy tag: ``misp-galaxy:mitre-attack-pattern="Data Encrypted for Impact - T1486"``."""
    technique = attack.catalogue().techniques.get(technique_id)
    name = technique.name if technique else technique_id
    return f'{GALAXY}{name} - {technique_id}"'


def technique_of(tag: str) -> str | None:
    """The technique id in an ATT&CK galaxy tag, else None."""
    if not (tag.startswith(GALAXY) and tag.endswith('"')):
        return None
    tail = tag[len(GALAXY):-1].rsplit(" - ", 1)[-1].strip().upper()
    return tail if attack.ID_PATTERN.fullmatch(tail) else None


def _tags(names: Iterable[str]) -> list[dict[str, Any]]:
    return [{"name": name, "exportable": True} for name in names]


def event_date(record: Case) -> date:
    moment = record.first_activity_at or record.detected_at or record.created
    return moment.local.date()


def build_event(case: CaseFile) -> dict[str, Any]:
    """The MISP event as plain JSON values (read-only on the case)."""
    from irdesk.interop.stix import techniques_of

    record = case.case()
    indicators = case.records.all(Indicator)
    techniques = techniques_of(case, indicators)
    tags = [f"tlp:{record.tlp.value}"] + [galaxy_tag(t) for t in techniques]
    attributes = [_attribute(item, record) for item in indicators]
    event = {
        "uuid": record.id, "info": record.title, "date": event_date(record).isoformat(),
        "threat_level_id": THREAT_LEVELS[record.severity], "analysis": ANALYSIS[record.status],
        "distribution": DISTRIBUTION[record.tlp], "published": False,
        "timestamp": epoch(record.updated),
        "Tag": _tags(tags), "Attribute": attributes, "Object": [_case_object(record)],
    }
    return {"Event": event}


def _attribute(item: Indicator, record: Case) -> dict[str, Any]:
    kind, category = ATTRIBUTE_TYPES[item.kind]
    attribute: dict[str, Any] = {
        "uuid": item.id, "type": kind, "category": category, "value": item.value,
        "to_ids": True, "distribution": "5",  # 5: inherit the event's
        "comment": item.description, "timestamp": epoch(item.updated),
        "Tag": _tags(galaxy_tag(t) for t in item.attack),
    }
    if item.first_seen is not None:
        attribute["first_seen"] = item.first_seen.isoformat()  # with the offset it was entered with
    return attribute


def _case_object(record: Case) -> dict[str, Any]:
    """The case as MISP's ``incident`` object (its template ships with PyMISP)."""
    object_uuid = str(uuid.uuid5(uuid.UUID(record.id), "misp-object incident"))
    description = "\n".join(f"{label}: {text}" for label, text in (
        ("Codename", record.codename), ("Cause", record.cause), ("Effects", record.effects),
        ("Handling", record.handling)) if text)
    values = [("name", "text", record.title),
              ("criticality", "text", CRITICALITY[record.severity]),
              ("investigation_status", "text", INVESTIGATION[record.status])]
    if description:
        values.append(("description", "text", description))
    if record.drill:
        values.append(("determination", "text", "low-value"))  # an exercise, not an intrusion
    attributes = [{
        "uuid": str(uuid.uuid5(uuid.UUID(object_uuid), relation)), "object_relation": relation,
        "type": kind, "category": "Other", "value": value, "to_ids": False,
        "distribution": "5", "timestamp": epoch(record.updated),
    } for relation, kind, value in values]
    return {
        "uuid": object_uuid, "name": "incident", "meta-category": "misc",
        "template_uuid": INCIDENT_TEMPLATE[0], "template_version": INCIDENT_TEMPLATE[1],
        "description": "Incident object template as described in STIX 2.1 Incident object and its "
                       "core extension.", "distribution": "5", "timestamp": epoch(record.updated),
        "Attribute": attributes,
    }


def write_misp(case: CaseFile, out: IO[str]) -> int:
    """Write the event; returns the number of attributes made from indicators."""
    event = build_event(case)
    json.dump(event, out, ensure_ascii=False, indent=2)
    out.write("\n")
    return len(event["Event"]["Attribute"])


# ---------------------------------------------------------------- import


@dataclass
class MispAttributes:
    """What a MISP event offers: the attributes that are indicators, and what was skipped."""

    info: str
    techniques: tuple[str, ...] = ()  # the event's own ATT&CK tags (shown, not imported)
    indicators: list[IncomingIndicator] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)  # MISP type -> how many

    @property
    def skipped_count(self) -> int:
        return sum(self.skipped.values())


def read_misp(data: bytes) -> MispAttributes:
    """The attributes of a MISP event file (and of its objects) that map to indicators.

    Raises:
        BadInput: not JSON, or not a MISP event.
    """
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadInput(f"The file is not MISP JSON: {exc}.") from None
    if isinstance(document, dict) and isinstance(document.get("response"), list) and document["response"]:
        document = document["response"][0]
    event = document.get("Event", document) if isinstance(document, dict) else None
    if not isinstance(event, dict) or not ("Attribute" in event or "Object" in event or "info" in event):
        raise BadInput("The file is not a MISP event (no Event with attributes or objects).")
    found = MispAttributes(info=str(event.get("info", "")), techniques=_technique_tags(event))
    for attribute in _list(event, "Attribute"):
        _take(found, attribute)
    for obj in _list(event, "Object"):
        if not isinstance(obj, dict):
            raise BadInput("The MISP event holds an object that is not a JSON object.")
        for attribute in _list(obj, "Attribute"):
            _take(found, attribute)
    return found


def _list(holder: dict[str, Any], key: str) -> list[Any]:
    items = holder.get(key, [])
    if not isinstance(items, list):
        raise BadInput(f"The MISP event's {key} is not a list.")
    return items


def _technique_tags(holder: dict[str, Any]) -> tuple[str, ...]:
    tags = holder.get("Tag", [])
    names = [t.get("name", "") for t in tags if isinstance(t, dict)] if isinstance(tags, list) else []
    return tuple(dict.fromkeys(t for t in (technique_of(str(n)) for n in names) if t))


def _take(found: MispAttributes, attribute: Any) -> None:
    from irdesk.domain.indicators import normalise

    if not isinstance(attribute, dict):
        raise BadInput("The MISP event holds an attribute that is not a JSON object.")
    misp_type = str(attribute.get("type", ""))
    value = attribute.get("value")
    if misp_type not in IMPORTED_TYPES or not isinstance(value, str) or attribute.get("deleted") is True:
        found.skipped[misp_type or "(no type)"] = found.skipped.get(misp_type or "(no type)", 0) + 1
        return
    kind = IMPORTED_TYPES[misp_type] or (IndicatorKind.IPV6 if ":" in value else IndicatorKind.IPV4)
    try:
        value = normalise(kind, value)
    except ValueError:
        found.skipped[misp_type] = found.skipped.get(misp_type, 0) + 1
        return
    uid = attribute.get("uuid")
    try:
        uid = str(uuid.UUID(str(uid))) if uid else None
    except ValueError:
        uid = None
    first_seen = None
    if isinstance(attribute.get("first_seen"), str):
        try:
            first_seen = Moment.parse(attribute["first_seen"])
        except (ValueError, TypeError):
            first_seen = None
        if first_seen is not None and not in_bounds(first_seen):
            first_seen = None  # a time irdesk cannot record is left out, the indicator kept
    comment = attribute.get("comment")
    found.indicators.append(IncomingIndicator(
        uid=uid, kind=kind, value=value, description=comment if isinstance(comment, str) else "",
        first_seen=first_seen, attack=_technique_tags(attribute)))


def import_misp(case: CaseFile, found: MispAttributes, *, source: str) -> Done[IndicatorImport]:
    """Bring the event's indicators in, in one operation audited as ``import``."""
    summary = import_indicators(case, found.indicators, source=source)
    summary.value.skipped = dict(found.skipped)
    return summary
