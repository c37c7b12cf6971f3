"""A STIX 2.1 bundle for threat-intelligence platforms: the incident and its indicators.

Identifiers are stable: the incident is ``incident--<case UUID>`` and each indicator
``indicator--<indicator UUID>``, so exporting again updates the same objects in a platform
instead of duplicating them. Every object carries the case's TLP 2.0 marking, using the
marking-definition objects OASIS publishes (fixed ids, see cti-stix-common-objects).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import IO, Any

from irdesk.casefile.store import CaseFile
from irdesk.domain import attack
from irdesk.domain.enums import IndicatorKind, Tlp
from irdesk.domain.moment import Moment
from irdesk.domain.records import KEY_TIMES, Indicator

TLP2_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP2_CREATED = "2022-10-01T00:00:00.000Z"
TLP2_MARKINGS = {
    Tlp.CLEAR: "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    Tlp.GREEN: "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    Tlp.AMBER: "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    Tlp.AMBER_STRICT: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    Tlp.RED: "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}

_PATTERNS = {
    IndicatorKind.IPV4: "ipv4-addr:value",
    IndicatorKind.IPV6: "ipv6-addr:value",
    IndicatorKind.DOMAIN: "domain-name:value",
    IndicatorKind.URL: "url:value",
    IndicatorKind.EMAIL: "email-addr:value",
    IndicatorKind.SHA256: "file:hashes.'SHA-256'",
    IndicatorKind.SHA1: "file:hashes.'SHA-1'",
    IndicatorKind.MD5: "file:hashes.MD5",
    IndicatorKind.FILE_NAME: "file:name",
}


def stable_uuid(text: str) -> str:
    """A UUID in version 4 form derived from ``text``: the same ends give the same id.

    (STIX asks for version 4 ids; a hash keeps relationship and bundle ids stable.)
    """
    return str(uuid.UUID(bytes=hashlib.sha256(text.encode("utf-8")).digest()[:16], version=4))


def timestamp(moment: Moment) -> str:
    """STIX timestamps are UTC with a Z; milliseconds are enough."""
    return moment.utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.utc.microsecond // 1000:03d}Z"


def pattern(kind: IndicatorKind, value: str) -> str:
    """A STIX pattern matching the value (quotes and backslashes escaped)."""
    escaped = value.replace("\\", "\\\\").replace("'", "\\'")
    return f"[{_PATTERNS[kind]} = '{escaped}']"


def tlp_marking(tlp: Tlp) -> dict[str, Any]:
    return {
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": TLP2_MARKINGS[tlp],
        "created": TLP2_CREATED,
        "name": tlp.label,
        "extensions": {TLP2_EXTENSION: {"extension_type": "property-extension",
                                        "tlp_2_0": tlp.value}},
    }


def build_bundle(case: CaseFile) -> dict[str, Any]:
    """The bundle as plain JSON values (read-only on the case)."""
    record = case.case()
    marking = TLP2_MARKINGS[record.tlp]
    lines = [f"Severity: {record.severity.value}. Status: {record.status.value}."]
    if record.codename:
        lines.insert(0, f"Codename: {record.codename}.")
    for name in KEY_TIMES:
        moment = getattr(record, name)
        if moment is not None:
            lines.append(f"{name.removesuffix('_at').replace('_', ' ').capitalize()}: "
                         f"{moment.isoformat()}")
    if record.cause:
        lines.append(f"Cause: {record.cause}")
    incident_id = f"incident--{record.id}"
    incident: dict[str, Any] = {
        "type": "incident", "spec_version": "2.1", "id": incident_id,
        "created": timestamp(record.created), "modified": timestamp(record.updated),
        "name": record.title, "description": "\n".join(lines),
        "object_marking_refs": [marking],
    }
    if record.drill:
        incident["labels"] = ["exercise"]
    objects: list[dict[str, Any]] = [tlp_marking(record.tlp), incident]
    indicators = case.records.all(Indicator)
    for indicator in indicators:
        objects += _indicator(indicator, incident_id, marking)
    objects += _attack_patterns(case, indicators, incident_id, marking)
    bundle_id = stable_uuid(f"bundle {record.id} {case.chain_head}")
    return {"type": "bundle", "id": f"bundle--{bundle_id}", "objects": objects}


def _indicator(item: Indicator, incident_id: str, marking: str) -> list[dict[str, Any]]:
    indicator_id = f"indicator--{item.id}"
    valid_from = item.first_seen or item.created
    indicator = {
        "type": "indicator", "spec_version": "2.1", "id": indicator_id,
        "created": timestamp(item.created), "modified": timestamp(item.updated),
        "name": f"{item.kind.value}: {item.value}",
        "indicator_types": ["malicious-activity"],
        "pattern": pattern(item.kind, item.value), "pattern_type": "stix",
        "valid_from": timestamp(valid_from),
        "object_marking_refs": [marking],
    }
    if item.description:
        indicator["description"] = item.description
    relationship = {
        "type": "relationship", "spec_version": "2.1",
        "id": f"relationship--{stable_uuid(f'related-to {indicator_id} {incident_id}')}",
        "created": timestamp(item.created), "modified": timestamp(item.updated),
        "relationship_type": "related-to", "source_ref": indicator_id,
        "target_ref": incident_id,
        "description": "Indicator recorded while handling this incident.",
        "object_marking_refs": [marking],
    }
    return [indicator, relationship]


def techniques_of(case: CaseFile, indicators: list[Indicator] | None = None) -> list[str]:
    """The ATT&CK ids on live notes (in time order), then indicators, each once."""
    from irdesk.casefile.notes import NoteFilter

    seen: dict[str, None] = {}
    for note in case.notes.page(NoteFilter(attack_only=True)):  # live tagged notes, in time order
        seen.update(dict.fromkeys(note.attack))
    for item in case.records.all(Indicator) if indicators is None else indicators:
        if not item.deleted:
            seen.update(dict.fromkeys(item.attack))
    return list(seen)


def attack_pattern(technique_id: str) -> dict[str, Any]:
    """The ATT&CK technique as a STIX ``attack-pattern``: MITRE's own id, name and dates when the
    shipped catalogue knows it (so a platform holding ATT&CK matches it), a stable id of ours
    with the bare ``external_id`` for one that came in by import from another catalogue.
    (No ``url`` in the reference: STIX wants a hash beside a URL, and the id is what matches.)"""
    known = attack.catalogue().techniques.get(technique_id)
    reference: dict[str, Any] = {"source_name": "mitre-attack", "external_id": technique_id}
    if known is None:
        created = modified = TLP2_CREATED
        pattern_id = f"attack-pattern--{stable_uuid(f'mitre-attack {technique_id}')}"
        name, phases = technique_id, []
    else:
        created, modified, pattern_id, name = known.created, known.modified, known.stix_id, known.name
        phases = [{"kill_chain_name": "mitre-attack", "phase_name": t} for t in known.tactics]
    obj: dict[str, Any] = {
        "type": "attack-pattern", "spec_version": "2.1", "id": pattern_id,
        "created": created, "modified": modified, "name": name,
        "external_references": [reference],
    }
    if phases:
        obj["kill_chain_phases"] = phases
    return obj


def _attack_patterns(case: CaseFile, indicators: list[Indicator], incident_id: str,
                     marking: str) -> list[dict[str, Any]]:
    """An ``attack-pattern`` per technique observed, ``related-to`` the incident; an indicator
    tagged with a technique ``indicates`` it (STIX 2.1 defines that relationship)."""
    objects: list[dict[str, Any]] = []
    created = timestamp(case.case().created)
    ids: dict[str, str] = {}
    for technique_id in techniques_of(case, indicators):
        pattern_object = attack_pattern(technique_id)
        pattern_id = ids[technique_id] = pattern_object["id"]
        objects.append(pattern_object)
        objects.append({
            "type": "relationship", "spec_version": "2.1",
            "id": f"relationship--{stable_uuid(f'related-to {pattern_id} {incident_id}')}",
            "created": created, "modified": created,
            "relationship_type": "related-to", "source_ref": pattern_object["id"],
            "target_ref": incident_id,
            "description": "Technique observed while handling this incident.",
            "object_marking_refs": [marking],
        })
    for item in indicators:
        if item.deleted:
            continue
        for technique_id in item.attack:
            indicator_id = f"indicator--{item.id}"
            objects.append({
                "type": "relationship", "spec_version": "2.1",
                "id": "relationship--" + stable_uuid(f"indicates {indicator_id} {ids[technique_id]}"),
                "created": timestamp(item.created), "modified": timestamp(item.updated),
                "relationship_type": "indicates", "source_ref": indicator_id,
                "target_ref": ids[technique_id], "object_marking_refs": [marking],
            })
    return objects


def write_stix(case: CaseFile, out: IO[str]) -> int:
    """Write the bundle; returns the number of indicators in it."""
    bundle = build_bundle(case)
    json.dump(bundle, out, ensure_ascii=False, indent=2)
    out.write("\n")
    return sum(1 for o in bundle["objects"] if o["type"] == "indicator")
